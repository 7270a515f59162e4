"""Align evidence quotes to character spans of the source text."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from rapidfuzz import fuzz

#: Minimum rapidfuzz ``partial_ratio`` (0-100) for a fuzzy alignment to count as grounded.
FUZZY_THRESHOLD = 92.0
#: Quotes shorter than this (after whitespace normalization) are too weak to be evidence.
MIN_QUOTE_CHARS = 20

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\ufeff": "",
    }
)


class AlignmentStatus(StrEnum):
    """How a quote was found in the source."""

    EXACT = "exact"
    NORMALIZED = "normalized"
    FUZZY = "fuzzy"
    UNGROUNDED = "ungrounded"


@dataclass(frozen=True)
class Alignment:
    """A quote's char span ``[start, end)`` in the source, with how it was matched."""

    status: AlignmentStatus
    start: int | None = None
    end: int | None = None
    score: float = 0.0

    @property
    def grounded(self) -> bool:
        return self.status is not AlignmentStatus.UNGROUNDED


@dataclass(frozen=True)
class _Normalized:
    text: str
    offsets: tuple[int, ...]  # original index of each char of ``text``


def normalize_space(text: str) -> str:
    """Collapse runs of whitespace to one space and strip."""
    return " ".join(text.split())


@lru_cache(maxsize=64)
def _normalize(text: str) -> _Normalized:
    chars: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for index, char in enumerate(text):
        mapped = char.translate(_TRANSLATE)
        if not mapped:
            continue
        if mapped.isspace():
            pending_space = bool(chars)
            continue
        if pending_space:
            chars.append(" ")
            offsets.append(index - 1)
            pending_space = False
        chars.append(mapped.lower())
        offsets.append(index)
    return _Normalized("".join(chars), tuple(offsets))


def align(quote: str, source: str, *, fuzzy_threshold: float = FUZZY_THRESHOLD) -> Alignment:
    """Find ``quote`` in ``source``: exact, then normalized (space, case, quotes), then fuzzy."""
    start = source.find(quote) if quote else -1
    if start >= 0 and quote.strip():
        return Alignment(AlignmentStatus.EXACT, start, start + len(quote), 100.0)
    needle = _normalize(quote).text
    if not needle:
        return Alignment(AlignmentStatus.UNGROUNDED)
    haystack = _normalize(source)
    found = haystack.text.find(needle)
    if found >= 0:
        end = found + len(needle) - 1
        return Alignment(
            AlignmentStatus.NORMALIZED,
            haystack.offsets[found],
            haystack.offsets[end] + 1,
            100.0,
        )
    if len(needle) < MIN_QUOTE_CHARS or len(haystack.text) < len(needle) * 0.8:
        return Alignment(AlignmentStatus.UNGROUNDED)
    result = fuzz.partial_ratio_alignment(needle, haystack.text, score_cutoff=fuzzy_threshold)
    if result is None or result.dest_end <= result.dest_start:
        return Alignment(AlignmentStatus.UNGROUNDED)
    return Alignment(
        AlignmentStatus.FUZZY,
        haystack.offsets[result.dest_start],
        haystack.offsets[result.dest_end - 1] + 1,
        round(result.score, 1),
    )


def occurs(fragment: str, source: str) -> bool:
    """True when ``fragment`` occurs in ``source`` after space, case and punctuation-style folding."""
    needle = _normalize(fragment).text
    return bool(needle) and needle in _normalize(source).text


_NUMBER = re.compile(r"\d(?:[\d,.]*\d)?")
_NAME = re.compile(r"\b[A-Z][\w'\u2019&.-]*(?:\s+[A-Z][\w'\u2019&.-]*)*")


def mentions(text: str) -> list[str]:
    """Names (runs of capitalized words) and numbers in ``text``."""
    names = [
        part.strip(".") for m in _NAME.finditer(text) for part in re.split(r"\.\s+", m.group(0))
    ]
    return [n for n in names if len(n) > 1] + _NUMBER.findall(text)


def mention_in_source(mention: str, source: str) -> bool:
    """True when a name or number written about ``source`` occurs in it (numbers whole)."""
    if mention[0].isdigit():  # "7" is not found in "2017"
        whole = rf"(?<!\d)(?<!\d[,.]){re.escape(mention)}(?![\d]|[,.]\d)"  # "QDe.118" has 118
        return re.search(whole, source) is not None
    if occurs(mention, source):
        return True
    words = mention.split()
    return len(words) > 1 and all(re.search(rf"\b{re.escape(w)}\b", source) for w in words)


def unsupported_mentions(written: str, source: str) -> list[str]:
    """Names and numbers in ``written`` that do not occur in ``source``."""
    return [m for m in mentions(written) if not mention_in_source(m, source)]


_WORDS = re.compile(r"[\w'\u2019-]+")


def _bigrams(text: str) -> list[tuple[str, str]]:
    words = [w.lower().replace("\u2019", "'") for w in _WORDS.findall(text)]
    return list(itertools.pairwise(words))


def bigram_support(written: str, source: str) -> float:
    """Share of the word pairs of ``written`` that also occur in ``source`` (1.0 when too short)."""
    pairs = _bigrams(written)
    if not pairs:
        return 1.0
    known = set(_bigrams(source))
    return sum(pair in known for pair in pairs) / len(pairs)
