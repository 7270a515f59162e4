"""Matching predictions to gold: names (strict, normalized) and actions (one-to-one)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TypeVar

from rapidfuzz import fuzz
from rigour.names import (
    normalize_name,
    remove_obj_prefixes,
    remove_org_types,
    remove_person_prefixes,
)

from summarizer import SanctionAction

#: Minimum rapidfuzz ``ratio``/``token_sort_ratio`` of two normalized names to count as the same.
#: Whole-string similarity only: a word-subset ("Gazprom" / "Gazprombank") never matches.
NAME_THRESHOLD = 90.0
_ALIAS = re.compile(r"\s*[(,;]?\s*\b(?:a\.?k\.?a|f\.?k\.?a|also known as|formerly)\b.*$", re.I)
T = TypeVar("T")
U = TypeVar("U")


def _ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """Comparison form of a name: aliases, titles and legal forms dropped, case and accents folded."""
    base = _ALIAS.sub("", name).strip() or name
    stripped = remove_org_types(remove_obj_prefixes(remove_person_prefixes(base)))
    key = normalize_name(_ascii_fold(stripped)) or normalize_name(_ascii_fold(base)) or ""
    return " ".join(key.split())


def name_similarity(a: str, b: str) -> float:
    """0-100 similarity of two names after :func:`name_key`."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 100.0
    return max(fuzz.ratio(ka, kb), fuzz.token_sort_ratio(ka, kb))


def names_match(a: str, b: str) -> bool:
    """True when two names denote the same party under the strict threshold."""
    return name_similarity(a, b) >= NAME_THRESHOLD


def match_one_to_one(
    predicted: Sequence[T], gold: Sequence[U], score: Callable[[T, U], float | None]
) -> list[tuple[int, int]]:
    """Greedy best-first one-to-one pairing; ``score`` None means the pair may not match."""
    candidates = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            value = score(p, g)
            if value is not None:
                candidates.append((value, -i, -j))
    candidates.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, neg_i, neg_j in candidates:
        i, j = -neg_i, -neg_j
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return sorted(pairs, key=lambda pair: pair[1])


def match_names(predicted: Sequence[str], gold: Sequence[str]) -> list[tuple[int, int]]:
    """One-to-one name pairs that pass the threshold."""

    def score(p: str, g: str) -> float | None:
        value = name_similarity(p, g)
        return value if value >= NAME_THRESHOLD else None

    return match_one_to_one(predicted, gold, score)


def _action_score(p: SanctionAction, g: SanctionAction) -> float | None:
    if p.imposer != g.imposer:
        return None
    pc, gc = set(p.target_countries), set(g.target_countries)
    if pc or gc:
        overlap = len(pc & gc)
        if not overlap:
            return None
        jaccard = overlap / len(pc | gc)
    else:
        jaccard = 1.0
    return jaccard * 10 + (1.0 if p.status == g.status else 0.0)


def align_actions(
    predicted: Sequence[SanctionAction], gold: Sequence[SanctionAction]
) -> list[tuple[int, int]]:
    """Aligned (prediction, gold) index pairs: same imposer, target countries overlapping or both
    empty; the best country overlap first, then equal status."""
    return match_one_to_one(predicted, gold, _action_score)
