"""sanctions-summarizer: typed, evidence-grounded summaries of sanctions announcements.

The public names are loaded on first use (``from summarizer import Summarizer`` loads what it
needs), so that ``import summarizer`` and ``summarizer --help`` stay quick; the openai SDK,
llama.cpp, trafilatura and rich are imported only where they are used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the "X as X" form re-exports for type checkers
    from summarizer.api import Result as Result
    from summarizer.api import ResultMeta as ResultMeta
    from summarizer.api import Summarizer as Summarizer
    from summarizer.api import summarize as summarize
    from summarizer.batch import BatchReport as BatchReport
    from summarizer.batch import arun_batch as arun_batch
    from summarizer.batch import load_batch as load_batch
    from summarizer.batch import run_batch as run_batch
    from summarizer.config import SummarizerConfig as SummarizerConfig
    from summarizer.errors import BackendError as BackendError
    from summarizer.errors import ConfigError as ConfigError
    from summarizer.errors import InputError as InputError
    from summarizer.errors import OutputTruncated as OutputTruncated
    from summarizer.errors import SummarizerError as SummarizerError
    from summarizer.errors import ValidationFailed as ValidationFailed
    from summarizer.schema import CountQualifier as CountQualifier
    from summarizer.schema import Measure as Measure
    from summarizer.schema import Official as Official
    from summarizer.schema import SanctionAction as SanctionAction
    from summarizer.schema import SanctionsSummary as SanctionsSummary
    from summarizer.schema import Status as Status
    from summarizer.schema import Target as Target
    from summarizer.schema import TargetKind as TargetKind
    from summarizer.usage import Usage as Usage

__version__ = "0.1.0"

#: Where each public name lives.
_HOMES = {
    **dict.fromkeys(("Result", "ResultMeta", "Summarizer", "summarize"), "api"),
    **dict.fromkeys(("BatchReport", "arun_batch", "load_batch", "run_batch"), "batch"),
    "SummarizerConfig": "config",
    **dict.fromkeys(
        (
            "BackendError",
            "ConfigError",
            "InputError",
            "OutputTruncated",
            "SummarizerError",
            "ValidationFailed",
        ),
        "errors",
    ),
    **dict.fromkeys(
        (
            "CountQualifier",
            "Measure",
            "Official",
            "SanctionAction",
            "SanctionsSummary",
            "Status",
            "Target",
            "TargetKind",
        ),
        "schema",
    ),
    "Usage": "usage",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'summarizer' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"summarizer.{home}"), name)
    globals()[name] = value  # found once: later look-ups do not come here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
