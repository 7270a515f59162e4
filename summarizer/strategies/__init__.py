"""Strategies: how article text becomes a summary."""

from __future__ import annotations

from summarizer.backends.base import Backend
from summarizer.errors import ConfigError
from summarizer.strategies.base import Engine, Strategy, StrategyOutput
from summarizer.strategies.single import SingleStrategy

__all__ = ["Engine", "SingleStrategy", "Strategy", "StrategyOutput", "resolve_strategy"]


def resolve_strategy(name: str, backend: Backend) -> Strategy:
    """The strategy ``name`` names; ``auto`` picks what suits the backend."""
    if name in {"auto", "single"}:
        return SingleStrategy()
    raise ConfigError(f"strategy {name!r} is not available", hint="use 'single' or 'auto'")
