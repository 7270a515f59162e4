"""Comparing runs: a report against a baseline, or several runs side by side, with paired
bootstrap deltas over the articles they share (see docs/metrics.md)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from summarizer import InputError
from summarizer.eval.metrics import METRICS, OVERALL_PARTS, Tally
from summarizer.eval.stats import FIELDS, Counts, paired_deltas

#: Metrics whose regression fails a gated run unless ``--gate`` names others.
DEFAULT_GATE = ("overall", *OVERALL_PARTS)
#: What a comparison keeps of its baseline: enough to name it and draw it beside the run.
BASELINE_KEYS = ("model", "strategy", "dataset", "dataset_hash", "created", "metrics", "intervals")


class NotComparable(InputError):
    """Two reports cannot be compared: another dataset, too few shared articles, or not a report."""


def load_report(path: Path) -> dict[str, Any]:
    """A ``report.json``, given as the file or the run folder holding it."""
    file = path / "report.json" if path.is_dir() else path
    try:
        report = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise NotComparable(f"cannot read report {file}: {reason}") from None
    except ValueError as exc:
        raise NotComparable(f"{file} is not JSON ({exc})") from None
    if not isinstance(report, dict) or not isinstance(report.get("per_article"), list):
        raise NotComparable(f"{file} is not an eval report (no 'per_article' list)")
    for article in report["per_article"]:
        counts = article.get("counts") if isinstance(article, dict) else None
        if not isinstance(counts, dict) or any(
            not isinstance(c, list) or len(c) != FIELDS for c in counts.values()
        ):
            raise NotComparable(
                f"{file}: per-article counts are missing or in an older format; score its "
                "predictions again with `summarizer score`"
            )
    report["_path"] = str(file)
    return report


def _articles(report: Mapping[str, Any]) -> dict[str, dict[str, Tally]]:
    return {
        a["id"]: {name: Tally.from_list(c) for name, c in a["counts"].items()}
        for a in report["per_article"]
    }


def shared_articles(new: Mapping[str, Any], old: Mapping[str, Any], label: str) -> list[str]:
    """Ids of ``new``'s articles that ``old`` has too; refuses another dataset, or an overlap
    below half of ``new``'s articles."""
    new_hash, old_hash = new.get("dataset_hash"), old.get("dataset_hash")
    if (new_hash and old_hash and new_hash != old_hash) or (
        not (new_hash and old_hash) and new.get("dataset") != old.get("dataset")
    ):
        raise NotComparable(
            f"{label} was scored on another dataset ({old.get('dataset')} {old_hash or '?'}, "
            f"this run: {new.get('dataset')} {new_hash or '?'}): its figures are not comparable"
        )
    old_ids = {a["id"] for a in old["per_article"]}
    ids = [a["id"] for a in new["per_article"] if a["id"] in old_ids]
    if 2 * len(ids) < len(new["per_article"]):
        raise NotComparable(
            f"only {len(ids)} of this run's {len(new['per_article'])} articles are in {label}; "
            "a comparison needs at least half of them"
        )
    return ids


def _round(number: float | None) -> float | None:
    return None if number is None else round(number, 6)


def compare(
    new: Mapping[str, Any],
    old: Mapping[str, Any],
    *,
    label: str = "the baseline",
    gate: Sequence[str] = DEFAULT_GATE,
    samples: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """Per-metric delta of ``new`` against ``old`` with a paired bootstrap 95% interval over the
    shared articles; a regression is a delta whose whole interval is below zero."""
    ids = shared_articles(new, old, label)
    a, b = _articles(new), _articles(old)
    deltas = paired_deltas(
        Counts.of([(i, a[i]) for i in ids]), Counts.of([(i, b[i]) for i in ids]), samples=samples, seed=seed
    )  # fmt: skip
    metrics = {}
    for name in METRICS:
        d = deltas[name]
        metrics[name] = {"old": _round(d.old), "new": _round(d.new), "delta": _round(d.delta),
                         "low": _round(d.low), "high": _round(d.high), "regression": d.regression,
                         "gated": name in gate}  # fmt: skip
    return {
        "baseline": {key: old.get(key) for key in BASELINE_KEYS},
        "compared": len(ids),
        "run_articles": len(new["per_article"]),
        "baseline_articles": len(old["per_article"]),
        "gate": list(gate),
        "metrics": metrics,
    }  # fmt: skip


def regressions(comparison: Mapping[str, Any], *, gated_only: bool = True) -> list[str]:
    """Names of the metrics that regressed (only the gated ones by default)."""
    return [
        name
        for name, m in comparison["metrics"].items()
        if m["regression"] and (m["gated"] or not gated_only)
    ]


def _source(report: Mapping[str, Any]) -> str:
    """The run folder's name, or the report file's when it is not a ``report.json``."""
    path = Path(str(report.get("_path", "")))
    return path.parent.name if path.name == "report.json" else path.stem


def _labels(reports: Sequence[Mapping[str, Any]]) -> list[str]:
    base = [f"{r.get('model') or '?'} ({r.get('strategy') or 'n/a'})" for r in reports]
    return [
        f"{label} · {_source(r)}" if base.count(label) > 1 else label
        for label, r in zip(base, reports, strict=True)
    ]


def compare_runs(
    reports: Sequence[Mapping[str, Any]], *, samples: int = 1000, seed: int = 0
) -> dict[str, Any]:
    """Several runs side by side: each run's metrics and intervals, and paired deltas of every
    run after the first against the first."""
    labels = _labels(reports)
    runs = [
        {"label": label, "path": r.get("_path"), "n": len(r["per_article"]),
         **{k: r.get(k) for k in ("model", "strategy", "dataset", "dataset_hash", "created")},
         "metrics": r.get("metrics", {}), "intervals": r.get("intervals", {})}
        for label, r in zip(labels, reports, strict=True)
    ]  # fmt: skip
    deltas = [
        compare(r, reports[0], label=labels[0], samples=samples, seed=seed) for r in reports[1:]
    ]
    return {"command": "compare", "runs": runs, "deltas": [None, *deltas]}
