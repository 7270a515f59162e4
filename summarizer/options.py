"""Option names and checks that the configuration and the backends share (neither imports the other)."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

OutputMode = Literal["auto", "json_schema", "json_object", "text"]
#: How JSON is asked of a remote model. ``auto`` tries ``json_schema``, then ``json_object`` with
#: the schema, then plain ``json_object``, then ``text``, as the server rejects each.
OUTPUT_MODES: tuple[OutputMode, ...] = ("auto", "json_schema", "json_object", "text")

StrategyName = Literal["auto", "single", "assisted"]
STRATEGIES: tuple[StrategyName, ...] = ("auto", "single", "assisted")


def base_url_problem(url: str) -> str | None:
    """What is wrong with ``url`` as an OpenAI-compatible endpoint, or None if nothing is."""
    if not url.strip() or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return "it is empty or contains spaces or control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  # raises ValueError for a port that is not a number in range
    except ValueError as exc:
        return str(exc)
    if parts.scheme not in {"http", "https"}:
        return "it must start with http:// or https://"
    if not parts.hostname:
        return "it names no host"
    return None


WriterName = Literal["model", "facts"]
#: Who writes the assisted strategy's summary: the model (falling back to the facts when its text
#: fails the checks), or the facts alone, without any model.
WRITERS: tuple[WriterName, ...] = ("model", "facts")
