"""sanctions-summarizer: typed, evidence-grounded summaries of sanctions announcements."""

from __future__ import annotations

from summarizer.api import Result, ResultMeta, Summarizer, summarize
from summarizer.batch import BatchReport, arun_batch, load_batch, run_batch
from summarizer.config import SummarizerConfig
from summarizer.errors import (
    BackendError,
    ConfigError,
    InputError,
    OutputTruncated,
    SummarizerError,
    ValidationFailed,
)
from summarizer.schema import (
    CountQualifier,
    Measure,
    Official,
    SanctionAction,
    SanctionsSummary,
    Status,
    Target,
    TargetKind,
)
from summarizer.usage import Usage

__version__ = "0.1.0"

__all__ = [
    "BackendError",
    "BatchReport",
    "ConfigError",
    "CountQualifier",
    "InputError",
    "Measure",
    "Official",
    "OutputTruncated",
    "Result",
    "ResultMeta",
    "SanctionAction",
    "SanctionsSummary",
    "Status",
    "Summarizer",
    "SummarizerConfig",
    "SummarizerError",
    "Target",
    "TargetKind",
    "Usage",
    "ValidationFailed",
    "arun_batch",
    "load_batch",
    "run_batch",
    "summarize",
]
