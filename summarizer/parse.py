"""Model reply → JSON → pydantic, validated with the source text as context."""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from summarizer.errors import ParseError

M = TypeVar("M", bound=BaseModel)
_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.S)
MAX_ERRORS = 8
#: Deepest nesting of arrays and objects accepted in untrusted JSON (a summary needs 4).
MAX_DEPTH = 32
_INNERMOST = re.compile(r"\[[^][{}]*\]|\{[^][{}]*\}")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)


class TooDeep(ValueError):
    """JSON nested deeper than :data:`MAX_DEPTH`."""


def loads(text: str | bytes) -> Any:
    """``json.loads`` for untrusted text: nesting deeper than :data:`MAX_DEPTH` raises
    :class:`TooDeep` (a ``ValueError``, as malformed JSON does) instead of exhausting the stack."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if _depth_exceeds(text):
        raise TooDeep(f"arrays or objects nested more than {MAX_DEPTH} deep")
    try:
        return json.loads(text)
    except RecursionError:  # pragma: no cover - the check above comes first
        raise TooDeep(f"arrays or objects nested more than {MAX_DEPTH} deep") from None


def _depth_exceeds(text: str) -> bool:
    """True when brackets outside strings nest deeper than :data:`MAX_DEPTH`. Few brackets cannot
    (the common case, checked first); otherwise each pass removes the innermost pairs, so a text
    that still changes after that many passes is deeper."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    text = _STRING.sub("", text)
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    for _ in range(MAX_DEPTH + 1):
        reduced = _INNERMOST.sub("", text)
        if reduced == text:
            return False
        text = reduced
    return True


def extract_json(raw: str) -> Any:
    """The JSON value in a reply, tolerating code fences and prose around one object."""
    text = raw.strip()
    if not text:
        raise ParseError(["the reply was empty; reply with one JSON object"])
    candidates = [text]
    fenced = _FENCE.search(text)
    if fenced:
        candidates.insert(0, fenced.group(1).strip())
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        candidates.append(text[start : end + 1])
    error: json.JSONDecodeError | None = None
    for candidate in candidates:
        try:
            return loads(candidate)
        except TooDeep as exc:
            raise ParseError([f"the reply has {exc}; reply with one flat JSON object"]) from None
        except json.JSONDecodeError as exc:
            error = error or exc
    assert error is not None
    raise ParseError(
        [
            f"the reply is not valid JSON ({error.msg} at line {error.lineno} "
            f"column {error.colno}); reply with one JSON object"
        ]
    )


def format_errors(error: ValidationError) -> list[str]:
    """Readable one-line validation errors: ``actions.0.status: Input should be …``."""
    lines = []
    for item in error.errors(include_url=False)[:MAX_ERRORS]:
        location = ".".join(str(part) for part in item["loc"]) or "(root)"
        lines.append(f"{location}: {item['msg']}")
    return lines


def parse_model(raw: str, model: type[M], *, source: str | None = None) -> M:
    """Parse and validate ``raw`` into ``model``; errors become a :class:`ParseError`."""
    data = extract_json(raw)
    if not isinstance(data, dict):
        raise ParseError([f"expected a JSON object, got {type(data).__name__}"])
    try:
        return model.model_validate(data, context={"source": source} if source else None)
    except ValidationError as exc:
        raise ParseError(format_errors(exc)) from None
