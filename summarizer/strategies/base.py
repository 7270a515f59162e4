"""What a strategy is given and what it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from tenacity import Retrying

from summarizer.backends.base import Backend
from summarizer.config import SummarizerConfig
from summarizer.prompts import Prompts
from summarizer.schema import SanctionsSummary
from summarizer.usage import Usage


@dataclass(frozen=True)
class Engine:
    """The pieces a strategy drives: a backend, the prompts, the transient policy, the config."""

    backend: Backend
    prompts: Prompts
    policy: Retrying
    config: SummarizerConfig


@dataclass
class StrategyOutput:
    """A validated summary and what it cost."""

    summary: SanctionsSummary
    attempts: int
    usage: Usage
    cache_hit: bool
    details: dict[str, Any] = field(default_factory=dict)


class Strategy(Protocol):
    """Turns article text into a :class:`SanctionsSummary` using an :class:`Engine`."""

    name: str
    templates: tuple[str, ...]

    def prepare(self, engine: Engine) -> None:
        """Build what every article needs (compiled templates, schema, extractor tables) now."""
        ...

    def run(self, text: str, engine: Engine) -> StrategyOutput: ...

    async def arun(self, text: str, engine: Engine) -> StrategyOutput: ...
