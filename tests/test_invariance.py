"""The rules read what an article says, not how it is typeset: the test split rewritten in ways
that keep every label (curly quote marks, dashes, date forms, small numbers in words or in digits,
"US" for "U.S.", a headline in capitals, single line breaks) scores within 0.02 of itself on
every structured metric, through the facts writer as users call it."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from summarizer import Summarizer
from summarizer.eval import metrics
from summarizer.eval.dataset import Case, load_dataset
from summarizer.eval.scorers import score_case

ROOT = Path(__file__).resolve().parents[1]
MONTHS = "January February March April May June July August September October November December"
_MONTH = "|".join(MONTHS.split())
WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]
METRICS = (*metrics.OVERALL_PARTS, "is_sanctions_accuracy")


def curly_quotes(text: str) -> str:
    opened = re.sub(r'"(?=\w)', "\u201c", text).replace('"', "\u201d")
    return opened.replace("'", "\u2019")


def double_hyphens(text: str) -> str:
    return text.replace(" \u2014 ", " -- ").replace(" \u2013 ", " -- ")


def day_first_dates(text: str) -> str:
    return re.sub(rf"\b({_MONTH}) (\d{{1,2}}), (\d{{4}})", r"\2 \1 \3", text)


def abbreviated_months(text: str) -> str:
    return re.sub(rf"\b({_MONTH}) (?=\d{{1,2}}, \d{{4}})", lambda m: f"{m.group(1)[:3]}. ", text)


def numbers_in_digits(text: str) -> str:
    small = "|".join(WORDS[2:])
    return re.sub(rf"\b({small})\b(?= [a-z])", lambda m: str(WORDS.index(m.group(1))), text)


def plain_us(text: str) -> str:
    return text.replace("U.S.", "US")


def capitals_headline(text: str) -> str:
    first, _, rest = text.partition("\n")
    return f"{first.upper()}\n{rest}" if rest and len(first.split()) >= 6 else text


def single_line_breaks(text: str) -> str:
    return re.sub(r"\n\s*\n", "\n", text)


REWRITES: list[Callable[[str], str]] = [
    curly_quotes,
    double_hyphens,
    day_first_dates,
    abbreviated_months,
    numbers_in_digits,
    plain_us,
    capitals_headline,
    single_line_breaks,
]


@functools.cache
def _summarizer() -> Summarizer:
    return Summarizer(writer="facts")


def _scores(cases: list[Case]) -> dict[str, float | None]:
    summarizer = _summarizer()
    scored = [score_case(c, summarizer.summarize(c.text).summary) for c in cases]
    return metrics.finalize(metrics.total(s.tallies for s in scored))


@functools.cache
def _split() -> tuple[list[Case], dict[str, float | None]]:
    cases = load_dataset(ROOT / "evals" / "datasets" / "test.jsonl")
    return cases, _scores(cases)


@pytest.mark.parametrize("rewrite", REWRITES, ids=lambda f: f.__name__)
def test_a_rewrite_that_keeps_the_labels_keeps_the_scores(rewrite: Callable[[str], str]) -> None:
    cases, before = _split()
    rewritten = [dataclasses.replace(c, text=rewrite(c.text)) for c in cases]
    assert sum(r.text != c.text for r, c in zip(rewritten, cases, strict=True)) >= 3
    after = _scores(rewritten)
    moved = {
        m: (before[m], after[m])
        for m in METRICS
        if abs((before[m] or 0.0) - (after[m] or 0.0)) > 0.02
    }
    assert moved == {}, f"{rewrite.__name__} moved {moved}"
