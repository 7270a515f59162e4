"""Work spread over daemon threads that an interrupt stops at once.

:func:`run_all` is how :meth:`~summarizer.Summarizer.summarize_many` and the eval runner use
threads. The calling thread hands out the items and receives every result; on an interrupt
(``KeyboardInterrupt``) or any error there, it stops the run (no item starts, no retry or backoff
goes on: :func:`summarizer.retry.stop_on`) and re-raises at once, without waiting for the
requests in flight: the worker threads are daemons, so they do not hold the process either.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from summarizer.retry import Stopped, stop_on

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class _Raised:
    """An exception a worker's function raised, to re-raise in the calling thread."""

    error: BaseException


@dataclass
class _Pool(Generic[T, R]):
    work: Callable[[T], R]
    cancelled: Callable[[T], R]
    stop: threading.Event

    def __post_init__(self) -> None:
        self.todo: queue.SimpleQueue[tuple[int, T] | None] = queue.SimpleQueue()
        self.done: queue.SimpleQueue[tuple[int, R | _Raised]] = queue.SimpleQueue()

    def worker(self) -> None:
        """Run queued items until told to end; once stopped, items only get ``cancelled``."""
        with stop_on(self.stop):
            while (job := self.todo.get()) is not None:
                index, item = job
                result: R | _Raised
                try:
                    result = self.cancelled(item) if self.stop.is_set() else self.work(item)
                except Stopped:
                    result = self.cancelled(item)
                except BaseException as exc:  # never leave the caller waiting for a result
                    result = _Raised(exc)
                self.done.put((index, result))


def run_all(
    work: Callable[[T], R],
    items: Sequence[T],
    *,
    concurrency: int,
    cancelled: Callable[[T], R],
    on_result: Callable[[R], None] | None = None,
    stop: threading.Event | None = None,
) -> list[R]:
    """``work`` on every item, ``concurrency`` at a time; the results in the items' order.

    ``on_result`` sees each result in this thread as it arrives. An item that has not started
    when ``stop`` is set (by the caller, or by an interrupt or error here) gets ``cancelled(item)``.
    An exception ``work`` raises is re-raised here after stopping the run."""
    pool = _Pool(work, cancelled, stop or threading.Event())
    threads = [
        threading.Thread(target=pool.worker, name=f"worker-{n}", daemon=True)
        for n in range(min(max(1, concurrency), len(items)))
    ]
    for index, item in enumerate(items):
        pool.todo.put((index, item))
    for thread in threads:
        pool.todo.put(None)
        thread.start()
    results: dict[int, R] = {}
    try:
        while len(results) < len(items):
            index, result = pool.done.get()
            if isinstance(result, _Raised):
                raise result.error
            results[index] = result
            if on_result is not None:
                on_result(result)
    except BaseException:
        pool.stop.set()  # nothing starts, no retry goes on; requests in flight are left
        raise
    return [results[i] for i in range(len(items))]
