"""The two retry policies and the one loop that runs them.

* Transient policy (tenacity): connection errors, timeouts, 408, 409, 429 and 5xx are retried with
  exponential backoff and jitter, honouring ``Retry-After`` within what is left of the policy's
  patience. Only :class:`BackendError` with ``retryable`` counts: a request the server rejected is
  never retried. Callers may pass their own :class:`tenacity.Retrying`.
* Re-ask policy: a reply that is not valid JSON or fails validation goes back to the model with the
  errors, at most ``max_reasks`` times. Transport errors never reach a prompt.
* A reply cut at the token limit is retried once with twice the budget, then raised as
  :class:`OutputTruncated` — never a loop.
* Within :func:`stop_on` (a batch's worker threads), no new attempt starts once the run is stopped
  (an interrupt) and a backoff wait ends at once: :class:`Stopped` is raised instead.
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Generic, TypeVar

import tenacity
from tenacity import RetryCallState, Retrying
from tenacity.wait import wait_base

from summarizer.backends.base import Backend, ChatRequest, Completion, Message
from summarizer.errors import (
    BackendError,
    OutputTruncated,
    ParseError,
    SummarizerError,
    ValidationFailed,
)
from summarizer.usage import Usage

log = logging.getLogger(__name__)
T = TypeVar("T")
_local = threading.local()


class Stopped(SummarizerError):
    """The run was stopped (an interrupt) before this article finished; nothing is recorded."""

    def __init__(self) -> None:
        super().__init__("stopped before the article finished", hint="rerun to resume")


@contextmanager
def stop_on(event: threading.Event) -> Iterator[None]:
    """Within the block, in this thread: once ``event`` is set no new attempt starts and a
    backoff wait ends at once (:class:`Stopped` is raised instead)."""
    previous = getattr(_local, "stop", None)
    _local.stop = event
    try:
        yield
    finally:
        _local.stop = previous


def _stop_event() -> threading.Event | None:
    event: threading.Event | None = getattr(_local, "stop", None)
    return event


class _WaitRetryAfter(wait_base):
    """Wait what the server asked for (``Retry-After``, capped), else the fallback backoff; never
    past the policy's patience."""

    def __init__(self, fallback: wait_base, cap: float, patience: float) -> None:
        self.fallback = fallback
        self.cap = cap
        self.patience = patience

    def __call__(self, retry_state: RetryCallState) -> float:
        outcome = retry_state.outcome
        error = outcome.exception() if outcome is not None else None
        if isinstance(error, BackendError) and error.retry_after is not None:
            wait = min(error.retry_after, self.cap)
        else:
            wait = float(self.fallback(retry_state))
        left = self.patience - (retry_state.seconds_since_start or 0.0)
        return max(0.0, min(wait, left))


def _is_transient(error: BaseException) -> bool:
    return isinstance(error, BackendError) and error.retryable


def _log_retry(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome is not None else None
    wait = state.next_action.sleep if state.next_action is not None else 0.0
    log.info(  # shown with -v: without it, the command prints only the final failure
        "transient model error (attempt %d), retrying in %.2fs: %s",
        state.attempt_number,
        wait,
        error,
    )


def transient_policy(
    *,
    attempts: int = 5,
    initial: float = 0.5,
    maximum: float = 20.0,
    max_retry_after: float = 60.0,
    patience: float = math.inf,
) -> Retrying:
    """The default transient-error policy: up to ``attempts`` tries, jittered exponential backoff,
    and no new try once ``patience`` seconds have passed since the first (a ``Retry-After`` is
    waited for at most ``max_retry_after`` seconds, and never past the patience)."""
    stop: tenacity.stop.stop_base = tenacity.stop_after_attempt(attempts)
    if math.isfinite(patience):
        stop = stop | tenacity.stop_after_delay(patience)
    return Retrying(
        stop=stop,
        wait=_WaitRetryAfter(
            tenacity.wait_exponential_jitter(multiplier=initial, max=maximum),
            cap=max_retry_after,
            patience=patience,
        ),
        retry=tenacity.retry_if_exception(_is_transient),
        before_sleep=_log_retry,
        reraise=True,
    )


def _async_twin(policy: Retrying) -> tenacity.AsyncRetrying:
    return tenacity.AsyncRetrying(
        sleep=asyncio.sleep,
        stop=policy.stop,
        wait=policy.wait,
        retry=policy.retry,
        before=policy.before,
        after=policy.after,
        before_sleep=policy.before_sleep,
        reraise=policy.reraise,
        retry_error_callback=policy.retry_error_callback,
        retry_error_cls=policy.retry_error_cls,
    )


def call(backend: Backend, request: ChatRequest, policy: Retrying) -> Completion:
    """One completion under the transient policy (stopped early within :func:`stop_on`)."""
    stop = _stop_event()
    if stop is None:
        runner, attempt = policy.copy(), backend.complete
    else:
        runner = policy.copy(sleep=stop.wait)  # a backoff wait wakes when the run stops

        def attempt(request: ChatRequest) -> Completion:
            if stop.is_set():
                raise Stopped
            return backend.complete(request)

    try:
        return runner(attempt, request)
    except tenacity.RetryError as exc:  # a caller's policy with reraise=False
        raise exc.last_attempt.exception() or exc from None


async def acall(backend: Backend, request: ChatRequest, policy: Retrying) -> Completion:
    """Async twin of :func:`call`."""
    try:
        return await _async_twin(policy)(backend.acomplete, request)
    except tenacity.RetryError as exc:
        raise exc.last_attempt.exception() or exc from None


Repair = Callable[[str, list[str]], Sequence[Message]]


@dataclass
class Outcome(Generic[T]):
    """A validated value and what it cost."""

    value: T
    attempts: int
    usage: Usage
    cache_hit: bool


@dataclass
class ReaskLoop(Generic[T]):
    """call → parse → re-ask, as a small state machine run by :func:`run` or :func:`arun`.

    ``attempts`` (replies taken) and ``usage`` (summed over them, plus :meth:`add_usage`) are read
    as it runs; an error it raises carries both as well (``attempts`` and ``usage`` on
    :class:`ValidationFailed`, :class:`OutputTruncated` and any :class:`BackendError`), which is
    what a strategy should use after a failure.
    """

    request: ChatRequest
    parse: Callable[[str], T]
    repair: Repair
    max_reasks: int = 2
    max_tokens_ceiling: int = 8192
    accept_truncated: bool = False
    attempts: int = field(default=0, init=False)
    usage: Usage = field(default_factory=Usage, init=False)
    _base: ChatRequest = field(init=False)
    _reasks: int = field(default=0, init=False)
    _grown: bool = field(default=False, init=False)
    _cache_hits: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self._base = self.request

    def add_usage(self, usage: Usage) -> None:
        """Count tokens spent for the same result outside the loop (a question asked first)."""
        self.usage.add(usage)

    def feed(self, completion: Completion) -> Outcome[T] | None:
        """Take one reply: the outcome when it validates, None when another call is due."""
        self.attempts += 1
        self.usage.add(completion.usage)
        self._cache_hits += completion.cache_hit
        if completion.finish_reason == "length" and not self.accept_truncated:
            self._truncated()
            return None
        try:
            value = self.parse(completion.text)
        except ParseError as exc:
            self._reask(completion.text, exc.errors)
            return None
        cache_hit = self._cache_hits == self.attempts
        return Outcome(value, self.attempts, self.usage, cache_hit=cache_hit)

    @contextmanager
    def accounted(self) -> Iterator[None]:
        """Within the block, a :class:`BackendError` leaves with this loop's attempts and usage."""
        try:
            yield
        except BackendError as exc:
            exc.attempts, exc.usage = self.attempts, self.usage
            raise

    def _truncated(self) -> None:
        budget = self.request.max_tokens
        if self._grown or budget >= self.max_tokens_ceiling:
            raise OutputTruncated(budget, self.usage, attempts=self.attempts)
        self._grown = True
        self.request = replace(self.request, max_tokens=min(budget * 2, self.max_tokens_ceiling))
        log.info("reply cut at %d tokens; retrying once with %d", budget, self.request.max_tokens)

    def _reask(self, raw: str, errors: list[str]) -> None:
        if self._reasks >= self.max_reasks:
            raise ValidationFailed(
                f"the model's reply failed validation after {self.attempts} attempt(s): "
                + "; ".join(errors[:3]),
                attempts=self.attempts,
                last_raw=raw,
                errors=errors,
                usage=self.usage,
            )
        self._reasks += 1
        extra = (Message("assistant", raw), *self.repair(raw, errors))
        self.request = replace(self.request, messages=(*self._base.messages, *extra))
        log.info("re-asking after validation errors: %s", "; ".join(errors[:3]))


def run(backend: Backend, loop: ReaskLoop[T], policy: Retrying) -> Outcome[T]:
    """Drive ``loop`` with synchronous calls."""
    with loop.accounted():
        while True:
            outcome = loop.feed(call(backend, loop.request, policy))
            if outcome is not None:
                return outcome


async def arun(backend: Backend, loop: ReaskLoop[T], policy: Retrying) -> Outcome[T]:
    """Drive ``loop`` with async calls."""
    with loop.accounted():
        while True:
            outcome = loop.feed(await acall(backend, loop.request, policy))
            if outcome is not None:
                return outcome
