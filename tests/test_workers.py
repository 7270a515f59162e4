"""run_all: results in the items' order, errors re-raised after stopping the run, and items not
started when the run stops get their ``cancelled`` result."""

from __future__ import annotations

import threading
import time

import pytest

from summarizer.workers import run_all


def test_results_come_back_in_the_items_order_whatever_finishes_first() -> None:
    seen: list[int] = []

    def slow_first(n: int) -> int:
        time.sleep(0.05 * (5 - n))
        return n * n

    results = run_all(
        slow_first, range(5), concurrency=3, cancelled=lambda n: -1, on_result=seen.append
    )
    assert results == [0, 1, 4, 9, 16]
    assert sorted(seen) == results and seen != results  # reported as they arrive


def test_an_error_in_one_item_stops_the_rest_and_is_raised() -> None:
    started: list[int] = []

    def work(n: int) -> int:
        started.append(n)
        if n == 0:
            raise ValueError("bad item 0")
        time.sleep(0.2)
        return n

    with pytest.raises(ValueError, match="bad item 0"):
        run_all(work, range(20), concurrency=2, cancelled=lambda n: -1)
    time.sleep(0.5)
    assert len(started) < 5  # the queue behind the error was not worked through


def test_items_not_started_when_the_caller_stops_are_cancelled() -> None:
    stop = threading.Event()

    def work(n: int) -> int:
        if n == 1:
            stop.set()
        return n

    assert run_all(work, range(4), concurrency=1, cancelled=lambda n: -n, stop=stop) == [
        0,
        1,
        -2,
        -3,
    ]


def test_no_items_start_no_threads() -> None:
    before = threading.active_count()
    assert run_all(lambda n: n, [], concurrency=4, cancelled=lambda n: n) == []
    assert threading.active_count() == before
