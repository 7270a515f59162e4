"""Bootstrap intervals, vectorized with numpy: articles are resampled with replacement, and every
resample's metrics are ratios of weighted sums of the per-article tallies."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from summarizer.eval.metrics import METRICS, OVERALL_PARTS, Tally, agrees_when_empty

Array = npt.NDArray[np.float64]
#: The tallies behind the bootstrapped metrics (``overall`` is computed from its parts).
BOOTSTRAPPED = tuple(name for name in METRICS if name != "overall")
CHUNK = 250  # resamples per matrix product: bounds memory for large datasets
FIELDS = 5  # a tally's numbers


@dataclass(frozen=True)
class Counts:
    """Per-article tallies as one array: articles x metrics x (num, den, other, failed, runs)."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    data: Array

    @classmethod
    def of(
        cls,
        articles: Sequence[tuple[str, Mapping[str, Tally]]],
        names: Sequence[str] = BOOTSTRAPPED,
    ) -> Counts:
        data = np.zeros((len(articles), len(names), FIELDS))
        for row, (_, tallies) in enumerate(articles):
            for col, name in enumerate(names):
                if name in tallies:
                    data[row, col] = tallies[name].as_list()
        return cls(tuple(i for i, _ in articles), tuple(names), data)

    def subset(self, ids: Sequence[str]) -> Counts:
        index = {article: row for row, article in enumerate(self.ids)}
        return Counts(tuple(ids), self.names, self.data[[index[i] for i in ids]])


def values(names: Sequence[str], sums: Array) -> Array:
    """Metric values of summed tallies (``... x metrics x 5`` → ``... x metrics``); NaN where there
    is nothing to measure. Same rule as :func:`summarizer.eval.metrics.value`."""
    num, den, other, failed, runs = (sums[..., k] for k in range(FIELDS))
    agree = np.array([agrees_when_empty(name) for name in names])
    valid_share = np.where(runs > 0, 1.0 - failed / np.maximum(runs, 1), 1.0)
    empty = np.where(agree & (other == 0), valid_share, np.nan)
    return np.where(den > 0, num / np.maximum(den, 1), empty)


def with_overall(names: Sequence[str], found: Array) -> dict[str, Array]:
    """Per-name value arrays plus ``overall``, the mean of its parts that have a value."""
    out = {name: found[..., col] for col, name in enumerate(names)}
    parts = np.stack([out[name] for name in OVERALL_PARTS if name in out], axis=-1)
    present = ~np.isnan(parts)
    count = present.sum(axis=-1)
    total = np.where(present, parts, 0.0).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["overall"] = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return out


def _weights(n: int, samples: int, seed: int) -> Iterator[Array]:
    """Chunks of resample weights: how often each article is drawn in each resample."""
    rng = np.random.default_rng(seed)
    for start in range(0, samples, CHUNK):
        size = min(CHUNK, samples - start)
        drawn = rng.integers(0, n, size=(size, n))
        offsets = (np.arange(size) * n)[:, None]
        found = np.bincount((drawn + offsets).ravel(), minlength=size * n)
        yield found.reshape(size, n).astype(np.float64)


def _draws(counts: Counts, weights: Array) -> dict[str, Array]:
    n, m, k = counts.data.shape
    sums = (weights @ counts.data.reshape(n, m * k)).reshape(-1, m, k)
    return with_overall(counts.names, values(counts.names, sums))


def _interval(draws: Array) -> tuple[float, float] | None:
    kept = draws[~np.isnan(draws)]
    if not kept.size:
        return None
    low, high = np.quantile(kept, [0.025, 0.975], method="lower")
    return float(low), float(high)


def bootstrap(
    counts: Counts, *, samples: int = 1000, seed: int = 0
) -> dict[str, tuple[float, float] | None]:
    """95% percentile interval of every metric; None where no resample has a value."""
    if not counts.ids or samples < 1:
        return {}
    chunks = [_draws(counts, w) for w in _weights(len(counts.ids), samples, seed)]
    names = chunks[0].keys()
    return {name: _interval(np.concatenate([c[name] for c in chunks])) for name in names}


@dataclass(frozen=True)
class Delta:
    """One metric's paired difference, new minus old, over the shared articles."""

    old: float | None
    new: float | None
    delta: float | None
    low: float | None
    high: float | None

    @property
    def regression(self) -> bool:
        """The whole 95% interval is below zero."""
        return self.high is not None and self.high < 0


def _point(counts: Counts) -> dict[str, float | None]:
    found = with_overall(counts.names, values(counts.names, counts.data.sum(axis=0)))
    return {name: None if np.isnan(v) else float(v) for name, v in found.items()}


def paired_deltas(
    new: Counts, old: Counts, *, samples: int = 1000, seed: int = 0
) -> dict[str, Delta]:
    """Per-metric delta with a paired bootstrap interval: each resample draws the same articles
    from both runs (``new`` and ``old`` hold the same ids in the same order)."""
    a, b = _point(new), _point(old)
    chunks = [
        (_draws(new, w), _draws(old, w)) for w in _weights(len(new.ids), samples, seed)
    ] if new.ids else []  # fmt: skip
    out = {}
    for name in a:
        new_value, old_value = a[name], b[name]
        delta = None
        if new_value is not None and old_value is not None:
            delta = new_value - old_value
        bounds = None
        if chunks and delta is not None:
            bounds = _interval(np.concatenate([x[name] - y[name] for x, y in chunks]))
        low, high = bounds or (None, None)
        out[name] = Delta(old_value, new_value, delta, low, high)
    return out
