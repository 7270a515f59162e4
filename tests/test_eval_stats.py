"""The vectorized bootstrap against the scalar rules it must follow."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarizer.eval.metrics import METRICS, Tally, finalize, total, value
from summarizer.eval.stats import (
    BOOTSTRAPPED,
    Counts,
    _draws,
    _weights,
    bootstrap,
    paired_deltas,
    values,
)

NAMES = (*BOOTSTRAPPED, "actions_precision", "actions_recall", "hallucinated.reason")
tallies = st.builds(
    Tally,
    num=st.integers(0, 5),
    den=st.integers(0, 5),
    other=st.integers(0, 3),
    failed=st.integers(0, 2),
    runs=st.integers(0, 3),
)


@given(st.lists(tallies, min_size=len(NAMES), max_size=len(NAMES)))
def test_vectorized_values_follow_the_scalar_rule(found: list[Tally]) -> None:
    array = np.array([t.as_list() for t in found], dtype=float)
    vectorized = values(NAMES, array)
    for name, tally, got in zip(NAMES, found, vectorized, strict=True):
        expected = value(name, tally)
        assert math.isnan(got) if expected is None else got == pytest.approx(expected), name


def random_articles(n: int, seed: int) -> list[tuple[str, dict[str, Tally]]]:
    rng = random.Random(seed)
    articles = []
    for k in range(n):
        failed = int(rng.random() < 0.1)
        row = {}
        for name in BOOTSTRAPPED:
            den = rng.randint(0, 4)
            row[name] = Tally(rng.randint(0, den), den, rng.randint(0, 1), failed, 1)
        articles.append((f"a{k}", row))
    return articles


def test_each_resample_is_the_scalar_metric_of_the_weighted_articles() -> None:
    articles = random_articles(12, seed=1)
    counts = Counts.of(articles)
    weights = next(_weights(len(articles), 5, seed=3))
    draws = _draws(counts, weights)
    for b in range(5):
        repeated = [
            t for (_, t), w in zip(articles, weights[b], strict=True) for _ in range(int(w))
        ]
        expected = finalize(total(repeated))
        for name in METRICS:
            got = draws[name][b]
            want = expected[name]
            assert math.isnan(got) if want is None else got == pytest.approx(want), (b, name)


def test_intervals_hold_the_point_and_are_reproducible() -> None:
    articles = random_articles(40, seed=2)
    counts = Counts.of(articles)
    point = finalize(total(t for _, t in articles))
    first = bootstrap(counts, samples=300, seed=7)
    assert first == bootstrap(counts, samples=300, seed=7)
    for name in METRICS:
        interval = first[name]
        assert interval is not None and interval[0] <= point[name] <= interval[1], name  # type: ignore[operator]


def test_a_metric_never_measured_has_no_interval() -> None:
    articles = [(f"a{k}", {"grounding_rate": Tally(0, 0, runs=1)}) for k in range(5)]
    assert bootstrap(Counts.of(articles), samples=50)["grounding_rate"] is None


def test_paired_deltas() -> None:
    articles = random_articles(30, seed=4)
    same = paired_deltas(Counts.of(articles), Counts.of(articles), samples=200)
    assert all(d.delta in (0.0, None) and not d.regression for d in same.values())
    assert same["overall"].low == same["overall"].high == 0.0
    worse = [
        (i, {**t, "status_f1": Tally(0, t["status_f1"].den or 1, runs=1)}) for i, t in articles
    ]
    deltas = paired_deltas(Counts.of(worse), Counts.of(articles), samples=200)
    assert deltas["status_f1"].regression and deltas["status_f1"].high < 0  # type: ignore[operator]
    assert not deltas["targets_f1"].regression
