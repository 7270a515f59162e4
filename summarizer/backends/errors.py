"""Provider errors as data: one table from SDK exceptions and HTTP statuses to our error types,
applied by one context manager that the sync and async paths both wrap around a request."""

from __future__ import annotations

import email.utils
import math
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from typing import Any

import openai

from summarizer.errors import BackendError


class UnsafeReply(Exception):
    """A reply the client stops reading: over the size cap, or encoded in a way it cannot bound
    (raised while the body is read, before it is all in memory)."""


@dataclass(frozen=True)
class Rule:
    """How a failure reads (``{detail}``, ``{status}``, ``{timeout}`` are filled in) and whether
    the transient policy retries it (never when the request itself was at fault)."""

    message: str
    retryable: bool
    hint: str = ""


_ANSWERED = "the model server answered HTTP {status}: {detail}"
_INVALID = "check the request options (output_mode='auto' finds a response format the server takes)"
TIMEOUT = Rule(
    "the model server did not answer within {timeout:g} s",
    True,
    "raise timeout, or check the server",
)
#: SDK exceptions other than HTTP statuses, most specific first.
SDK_ERRORS: tuple[tuple[type[Exception], Rule], ...] = (
    (openai.APITimeoutError, TIMEOUT),
    (
        openai.APIConnectionError,
        Rule(
            "could not connect to the model server: {detail}",
            True,
            "check OPENAI_BASE_URL and that the server is running",
        ),
    ),
    (openai.APIResponseValidationError, Rule("the server's reply was malformed: {detail}", True)),
    (UnsafeReply, Rule("the server's reply was refused: {detail}", False, "check the server")),
)
#: HTTP statuses with a rule of their own; other 4xx (and a 5xx whose body says the request failed
#: validation) are requests the server rejected, never retried; other 5xx are transient.
STATUS_RULES: dict[int, Rule] = {
    401: Rule(_ANSWERED, False, "check OPENAI_API_KEY"),
    403: Rule(_ANSWERED, False, "check that the key may use this model"),
    404: Rule(_ANSWERED, False, "check the model name and OPENAI_BASE_URL"),
    408: Rule(_ANSWERED, True, "the server timed out; it is tried again"),
    409: Rule(_ANSWERED, True),
    413: Rule(_ANSWERED, False, "shorten the article or lower max_tokens"),
    429: Rule(_ANSWERED, True, "the server is rate limiting: lower the concurrency"),
}
CLIENT_ERROR = Rule(_ANSWERED, False, _INVALID)
SERVER_ERROR = Rule(_ANSWERED, True, "the server failed; it is tried again")
#: A 5xx body that says the request failed validation (llama-cpp-python's server answers 500).
_VALIDATION = re.compile(
    r"validation error|input should be|invalid[_ ]request|'loc': \(|unsupported|not supported", re.I
)
_TRACEBACK = re.compile(r"\n\s*(?:Traceback \(most recent call last\)|File \")")


def status_rule(status: int, detail: str) -> Rule:
    """The rule for an HTTP error status with the server's message ``detail``."""
    if status in STATUS_RULES:
        return STATUS_RULES[status]
    if 500 <= status < 600:
        return CLIENT_ERROR if _VALIDATION.search(detail) else SERVER_ERROR
    return CLIENT_ERROR


def translate(exc: Exception, *, timeout: float, expired: bool = False) -> BackendError:
    """``exc`` (from the SDK, or from reading a reply) as one of our errors; an attempt past its
    deadline is a timeout whatever broke first."""
    status: int | None = None
    retry_after: float | None = None
    detail = str(getattr(exc, "message", "") or exc)
    rule = TIMEOUT if expired else None
    if rule is None and isinstance(exc, openai.APIStatusError):
        status, detail = exc.status_code, error_detail(exc.body, exc.message)
        retry_after = parse_retry_after(exc.response.headers)
        rule = status_rule(status, detail)
    if rule is None:
        rule = next((r for kind, r in SDK_ERRORS if isinstance(exc, kind)), None)
    if rule is None:
        rule = Rule("model request failed: {detail}", False)
    message = rule.message.format(status=status, detail=detail, timeout=timeout)
    return BackendError(
        message,
        retryable=rule.retryable,
        status_code=status,
        retry_after=retry_after,
        hint=rule.hint,
    )


@contextmanager
def provider_errors(*, timeout: float, expired: Callable[[], bool] = bool) -> Iterator[None]:
    """Raise what fails inside the block as a :class:`BackendError` (not chained: SDK exceptions
    hold the request, and with it the API key). ``expired`` says whether the attempt's deadline
    passed; a ``TimeoutError`` (from ``asyncio.timeout``) is the deadline too."""
    try:
        yield
    except TimeoutError as exc:
        error = translate(exc, timeout=timeout, expired=True)
    except (openai.APIError, UnsafeReply) as exc:
        error = translate(exc, timeout=timeout, expired=expired())
    else:
        return
    raise error from None


def error_detail(body: Any, fallback: str) -> str:
    """The server's own words from an error body, one line, without a traceback, at most 300
    characters."""
    text: Any = body
    if isinstance(body, Mapping):
        text = body.get("error") or body.get("message") or body.get("detail") or fallback
        if isinstance(text, Mapping):
            text = text.get("message") or text.get("detail") or fallback
    text = str(text if text not in (None, "") else fallback)[:4000]
    text = _TRACEBACK.split(text, maxsplit=1)[0]
    return " ".join(text.split())[:300]


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``retry-after`` (seconds or an HTTP date);
    None when absent or malformed (negative, not finite, not a date)."""
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value:
            seconds = _seconds(value.strip())
            if seconds is not None:
                return seconds * scale
    return None


def _seconds(value: str) -> float | None:
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = max(0.0, when.timestamp() - time.time())
    return seconds if math.isfinite(seconds) and seconds >= 0 else None
