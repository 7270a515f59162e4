"""Error types. Each says what failed and what to try."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from summarizer.masking import mask

if TYPE_CHECKING:
    from summarizer.usage import Usage


class SummarizerError(Exception):
    """Base class of every error this library raises on purpose. Its message and hint never hold
    an API key (see :mod:`summarizer.masking`)."""

    hint: str = ""

    def __init__(self, message: str, *, hint: str = "") -> None:
        message = mask(message)
        super().__init__(message)
        self.message = message
        if hint:
            self.hint = mask(hint)

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(SummarizerError):
    """The input cannot be summarized (empty, binary, too long, missing file…)."""


class ConfigError(SummarizerError):
    """The configuration is inconsistent or names something that is not installed."""


class BackendError(SummarizerError):
    """The model backend failed; ``retryable`` tells the transient policy whether to try again.

    ``attempts`` (replies received) and ``usage`` (tokens spent) say what the article cost before
    the failure, when it was raised inside the re-ask loop.
    """

    def __init__(
        self,
        message: str,
        *,
        retryable: bool,
        status_code: int | None = None,
        retry_after: float | None = None,
        hint: str = "",
    ) -> None:
        super().__init__(message, hint=hint)
        self.retryable = retryable
        self.status_code = status_code
        self.retry_after = retry_after
        self.attempts = 0
        self.usage: Usage | None = None


class OutputTruncated(BackendError):
    """The model stopped at its token limit before finishing the JSON."""

    def __init__(self, max_tokens: int, usage: Usage | None = None, *, attempts: int = 0) -> None:
        super().__init__(
            f"the model hit its output limit of {max_tokens} tokens before the JSON was complete",
            retryable=False,
            hint="raise max_tokens, or use a model that follows the schema more tightly",
        )
        self.max_tokens = max_tokens
        self.usage = usage
        self.attempts = attempts


class ValidationFailed(SummarizerError):
    """The model's output did not validate after every allowed re-ask."""

    def __init__(
        self, message: str, *, attempts: int, last_raw: str, errors: list[str], usage: Usage
    ) -> None:
        super().__init__(
            message,
            hint="raise max_reasks, try another output mode or strategy, or a stronger model",
        )
        self.attempts = attempts
        self.last_raw = mask(last_raw)
        self.errors = [mask(error) for error in errors]
        self.usage = usage


class ParseError(Exception):
    """A reply that cannot be accepted; ``errors`` are fed back to the model (never raised to users)."""

    def __init__(self, errors: Sequence[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = list(errors)
