"""Strategies: how article text becomes a summary."""

from __future__ import annotations

from summarizer.backends.base import Backend
from summarizer.options import StrategyName
from summarizer.strategies.assisted import AssistedStrategy
from summarizer.strategies.base import Engine, Strategy, StrategyOutput
from summarizer.strategies.single import SingleStrategy

__all__ = [
    "AssistedStrategy",
    "Engine",
    "SingleStrategy",
    "Strategy",
    "StrategyOutput",
    "resolve_strategy",
]


def resolve_strategy(name: StrategyName, backend: Backend, *, writer: str = "model") -> Strategy:
    """The strategy ``name`` names (checked by the config); ``auto`` picks ``assisted`` for
    embedded small models (and for the facts writer, which needs no model) and ``single`` for
    remote (strong) models."""
    if name == "auto":
        name = "assisted" if backend.kind == "llamacpp" or writer == "facts" else "single"
    return AssistedStrategy() if name == "assisted" else SingleStrategy()
