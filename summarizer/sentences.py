"""Sentences and paragraphs with character offsets."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_ABBREVIATIONS = {
    "u.s", "e.o", "mr", "mrs", "ms", "dr", "no", "nos", "co", "ltd", "inc", "jr", "sr", "st", "a.k.a",
    "f.k.a", "i.e", "e.g", "gen", "lt", "col", "sen", "rep", "gov", "corp", "vs", "u.k", "u.n", "e.u",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "art", "para",
    "s.a", "p.j.s.c", "j.s.c", "l.l.c", "d.p.r.k", "op", "ref", "approx", "est", "dept", "pte", "sdn", "bhd",
    "d.o.o", "s.a.e", "c.a", "a.s", "c.v", "hon", "sec", "secs", "cf", "fig",
}  # fmt: skip
# a full stop, then space and a capital (Latin, Greek or Cyrillic), a digit or an Arabic letter; or a
# CJK full stop, which needs no space
_BOUNDARY = re.compile(
    r"[.!?\u061f][\"'\u201d\u2019)\]\u00bb]*\s+"
    r"(?=[\"'\u201c\u2018(\[\u00ab]?[A-Z0-9\u00c0-\u00de\u0391-\u03a9\u0400-\u042f\u0621-\u064a])"
    r"|[\u3002\uff01\uff1f][\u201d\u300d\u300f\uff09]*\s*(?=\S)"
)
_PARAGRAPH = re.compile(r"\n+")


@dataclass(frozen=True)
class Sentence:
    """A sentence: its text and ``[start, end)`` offsets in the source, and its paragraph number."""

    text: str
    start: int
    end: int
    paragraph: int
    index: int


def _ends_with_abbreviation(chunk: str) -> bool:
    match = re.search(
        r"(?:^|[\s(\[\"'\u201c\u2018])([A-Za-z.]+)\.$", chunk.rstrip("\"'\u201d\u2019)]")
    )
    if not match:
        return False
    word = match.group(1).lower()
    return (
        word in _ABBREVIATIONS or len(word) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))
    )


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences; every line break ends a sentence (lists, subheads, datelines)."""
    sentences: list[Sentence] = []
    paragraph = 0
    position = 0
    for block in _PARAGRAPH.split(text):
        start_block = text.find(block, position)
        position = start_block + len(block)
        if not block.strip():
            continue
        cursor = 0
        for match in _BOUNDARY.finditer(block):
            piece = block[cursor : match.start() + 1]
            if _ends_with_abbreviation(piece) or re.fullmatch(
                r"\s*(?:\d{1,3}|[IVX]{1,4})\.", piece
            ):
                continue
            _add(sentences, block, start_block, cursor, match.end(), paragraph)
            cursor = match.end()
        _add(sentences, block, start_block, cursor, len(block), paragraph)
        paragraph += 1
    return sentences


def _add(
    out: list[Sentence], block: str, offset: int, start: int, end: int, paragraph: int
) -> None:
    piece = block[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    begin = offset + start + lead
    out.append(Sentence(stripped, begin, begin + len(stripped), paragraph, len(out)))


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character ranges merged where they overlap or touch, in order."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
