"""The vectorized bootstrap against the pure-Python one it replaced, on synthetic reports.

    .venv/bin/python bench/bench_bootstrap.py [--articles 1000] [--samples 1000] [--python-samples 50]

Builds two synthetic reports of ``--articles`` articles each (random per-article tallies of every
metric, 10% failed runs) and times what a report and ``--baseline`` cost on top of scoring:

* intervals: :func:`summarizer.eval.report.aggregate` (the report's bootstrap and breakdowns);
* ``--baseline``: reading the baseline report from disk and
  :func:`summarizer.eval.comparison.compare` (the paired bootstrap over the shared articles).

Beside them, in the same run, the pure-Python bootstrap and paired bootstrap this project used
before (resampling with ``random.randrange`` and summing per-article rows in Python), on the same
tallies. They are timed on ``--python-samples`` resamples and scaled to ``--samples`` (their cost is
linear in resamples); the table says so. Every figure is the best of ``--repeat`` runs, in wall
seconds and in CPU seconds of this process (all its threads), which a busy machine disturbs less.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from summarizer.eval.comparison import compare, load_report
from summarizer.eval.metrics import METRICS, Tally, finalize
from summarizer.eval.report import aggregate
from summarizer.eval.stats import BOOTSTRAPPED

TARGET_S = 2.0


def synthetic_report(n: int, seed: int) -> dict[str, Any]:
    """A report with ``n`` articles of random tallies (what the bootstrap reads)."""
    rng = random.Random(seed)
    articles = []
    for k in range(n):
        failed = int(rng.random() < 0.1)
        counts = {}
        for name in BOOTSTRAPPED:
            den = rng.randint(0, 6)
            counts[name] = Tally(rng.randint(0, den), den, rng.randint(0, 1), failed, 1).as_list()
        articles.append({"id": f"a{k:05d}", "category": f"c{k % 9}-x", "counts": counts})
    report: dict[str, Any] = {"dataset": "synthetic.jsonl", "dataset_hash": "0" * 16}
    report["per_article"] = articles
    report.update(aggregate(articles, samples=10))
    return report


def _tallies(article: Mapping[str, Any]) -> dict[str, Tally]:
    return {name: Tally.from_list(c) for name, c in article["counts"].items()}


def python_bootstrap(articles: Sequence[Mapping[str, Any]], samples: int) -> None:
    """The earlier intervals: per resample, rows drawn with randrange and summed in Python."""
    rng = random.Random(0)
    names = sorted({name for a in articles for name in a["counts"]})
    rows = [[x for name in names for x in a["counts"].get(name, [0] * 5)] for a in articles]
    draws: dict[str, list[float | None]] = {}
    for _ in range(samples):
        picked = [rows[rng.randrange(len(rows))] for _ in rows]
        sums = [sum(column) for column in zip(*picked, strict=True)]
        tallies = {name: Tally.from_list(sums[5 * i : 5 * i + 5]) for i, name in enumerate(names)}
        for name, found in finalize(tallies).items():
            draws.setdefault(name, []).append(found)


def python_paired(
    new: Sequence[Mapping[str, Any]], old: Sequence[Mapping[str, Any]], samples: int
) -> None:
    """The earlier paired bootstrap: per resample, tallies summed article by article for both runs."""
    a = {x["id"]: _tallies(x) for x in new}
    b = {x["id"]: _tallies(x) for x in old}
    shared = [i for i in a if i in b]
    rng = random.Random(0)

    def values(run: Mapping[str, Mapping[str, Tally]], ids: list[str]) -> dict[str, float | None]:
        summed: dict[str, Tally] = {}
        for article in ids:
            for name, tally in run[article].items():
                summed[name] = summed.get(name, Tally()) + tally
        return finalize(summed)

    for _ in range(samples):
        ids = [shared[rng.randrange(len(shared))] for _ in shared]
        x, y = values(a, ids), values(b, ids)
        _ = [(x[m] or 0.0) - (y[m] or 0.0) for m in METRICS]


def best(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best wall seconds and best CPU seconds of ``repeat`` runs."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return min(wall), min(cpu)


def row(step: str, ours: tuple[float, float], python: tuple[float, float]) -> str:
    return (f"| {step} | {ours[0]:.3f} / {ours[1]:.3f} | {python[0]:.2f} / {python[1]:.2f} | "
            f"{python[0] / ours[0]:.0f}x / {python[1] / ours[1]:.0f}x |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=1000, help="bootstrap resamples")
    parser.add_argument(
        "--python-samples", type=int, default=50, help="resamples timed for the pure-Python side"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best is kept)")
    args = parser.parse_args()
    new, old = synthetic_report(args.articles, 1), synthetic_report(args.articles, 2)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "baseline.json"
        path.write_text(json.dumps(old))
        ours_ci = best(lambda: aggregate(new["per_article"], samples=args.samples), args.repeat)
        ours_cmp = best(lambda: compare(new, load_report(path), samples=args.samples), args.repeat)
    scale = args.samples / args.python_samples
    py_ci = best(lambda: python_bootstrap(new["per_article"], args.python_samples), args.repeat)
    py_cmp = best(
        lambda: python_paired(new["per_article"], old["per_article"], args.python_samples),
        args.repeat,
    )
    print(f"{args.articles} articles, {args.samples} resamples, best of {args.repeat}; seconds as "
          f"wall / CPU (pure Python timed on {args.python_samples} resamples, x{scale:g})\n")  # fmt: skip
    print(
        "| step | vectorized (s) | pure Python (s) | pure Python / vectorized |\n|---|---|---|---|"
    )
    print(row("report intervals", ours_ci, (py_ci[0] * scale, py_ci[1] * scale)))
    print(
        row(
            "--baseline (read + paired bootstrap)", ours_cmp, (py_cmp[0] * scale, py_cmp[1] * scale)
        )
    )
    wall = ours_ci[0] + ours_cmp[0]
    verdict = "under" if wall < TARGET_S else "NOT under"
    print(f"\nintervals + --baseline: {wall:.3f} s wall ({ours_ci[1] + ours_cmp[1]:.3f} s CPU), "
          f"{verdict} the {TARGET_S:g} s target")  # fmt: skip
    sys.exit(0 if wall < TARGET_S else 1)


if __name__ == "__main__":
    main()
