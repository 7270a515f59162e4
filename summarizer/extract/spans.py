"""Sorted spans and mentions, looked up by bisection, so that extraction stays linear in the text."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from summarizer.sentences import merge_spans


class _Located(Protocol):
    @property
    def start(self) -> int: ...


T = TypeVar("T", bound=_Located)


class Intervals:
    """Character ranges merged into disjoint sorted intervals; ``covers(i)`` in O(log n)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged = merge_spans(spans)
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def covers(self, position: int) -> bool:
        """True when ``position`` lies in one of the intervals (end exclusive)."""
        index = bisect_right(self._starts, position) - 1
        return index >= 0 and position < self._ends[index]

    def overlaps(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` shares a character with an interval."""
        index = bisect_left(self._ends, start + 1)
        return index < len(self._starts) and self._starts[index] < end

    def add(self, start: int, end: int) -> None:
        """Add a range that overlaps no interval (callers check :meth:`overlaps` first)."""
        index = bisect_left(self._starts, start)
        self._starts.insert(index, start)
        self._ends.insert(index, end)


class ByStart(Sequence[T]):
    """Items sorted by ``start``, with range and "last before" lookups in O(log n)."""

    def __init__(self, items: Iterable[T]) -> None:
        self._items = sorted(items, key=lambda item: item.start)
        self._starts = [item.start for item in self._items]

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index: int) -> T:  # type: ignore[override]
        return self._items[index]

    def between(self, start: int, end: int) -> list[T]:
        """Items whose start lies in ``[start, end)``."""
        return self._items[bisect_left(self._starts, start) : bisect_left(self._starts, end)]

    def last_before(self, position: int, window: int | None = None) -> T | None:
        """The last item starting at or before ``position`` (within ``window`` of it, if given)."""
        index = bisect_right(self._starts, position) - 1
        if index < 0:
            return None
        item = self._items[index]
        if window is not None and item.start < position - window:
            return None
        return item
