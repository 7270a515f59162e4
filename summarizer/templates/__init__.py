"""Jinja HTML templates shared by the eval report and result viewers, and what they need from Python.

Templates are autoescaped; charts arrive as ready SVG strings (see :mod:`summarizer.charts`) and are
marked safe where they are passed in, never built in a template or an f-string.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from summarizer.grounding import align

#: CSS class of a source segment by what quotes it: gold, predicted, or both.
MARKS = {1: "g", 2: "p", 3: "gp"}


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The template environment (compiled once per process)."""
    return Environment(
        loader=PackageLoader("summarizer", "templates"),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass(frozen=True)
class Segment:
    """A run of source text and which quotes cover it (``""`` for none, else ``g``/``p``/``gp``)."""

    text: str
    mark: str


def evidence_segments(text: str, gold: Sequence[str], predicted: Sequence[str]) -> list[Segment]:
    """The source cut where gold and predicted evidence quotes (aligned as grounding does) begin
    and end, for the ``evidence`` macro of ``_evidence.html.j2``."""
    marks = [0] * len(text)
    for bit, quotes in ((1, gold), (2, predicted)):
        for quote in quotes:
            found = align(quote, text)
            if found.start is not None and found.end is not None:
                for i in range(found.start, found.end):
                    marks[i] |= bit
    segments: list[Segment] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or marks[i] != marks[start]:
            segments.append(Segment(text[start:i], MARKS.get(marks[start], "")))
            start = i
    return segments
