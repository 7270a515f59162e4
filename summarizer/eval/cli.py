"""``summarizer eval`` and ``summarizer score``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def add_eval_commands(
    commands: Any, model_options: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Register the eval subcommands."""
    return None
