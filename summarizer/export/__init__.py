"""Exports of results into the formats analysts load: FollowTheMoney entities and CSV."""

from __future__ import annotations

import importlib
from types import ModuleType

from summarizer.errors import ConfigError

#: How to install what the FollowTheMoney export and the linker need.
ANALYST_EXTRA = "pip install 'sanctions-summarizer[analyst]'"


def require(module: str, feature: str) -> ModuleType:
    """Import ``module``; a missing third-party package is a :class:`ConfigError` that says what
    to install."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.split(".")[0] == "summarizer":
            raise
        raise ConfigError(
            f"{feature} needs the '{exc.name.split('.')[0]}' package, which is not installed",
            hint=ANALYST_EXTRA,
        ) from None
