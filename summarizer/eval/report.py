"""``report.json``: per-article records, then the dataset's metrics, intervals and breakdowns.

The dataset-level parts are computed from the per-article records alone (:func:`aggregate`), so a
saved report can be compared, re-rendered or re-scored without its predictions.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from summarizer.eval.dataset import Case, dataset_hash
from summarizer.eval.metrics import (
    F1_FIELDS,
    METRICS,
    OVERALL_PARTS,
    Tally,
    basis,
    finalize,
    total,
    value,
)
from summarizer.eval.repeats import agreement, spread
from summarizer.eval.runner import Prediction
from summarizer.eval.scorers import CaseScore, rules_of, score_case
from summarizer.eval.stats import Counts, bootstrap
from summarizer.eval.timing import RunCost, timing

Run = tuple[Prediction, CaseScore]


def _round(number: float | None, digits: int = 4) -> float | None:
    return None if number is None else round(number, digits)


def _score_run(case: Case, prediction: Prediction, warnings: list[str]) -> CaseScore:
    actions = len(prediction.summary.actions) if prediction.summary else 0
    rules, problem = rules_of(prediction.meta, actions)
    if problem:
        warnings.append(f"id {case.id!r}: {problem}")
    return score_case(case, prediction.summary, rules if prediction.summary else None)


def score_runs(
    cases: Sequence[Case], predictions: Sequence[Prediction]
) -> tuple[list[list[Run]], list[str]]:
    """Every run of every case scored (a case without a prediction gets one failed run), and
    warnings about missing, unknown or malformed predictions."""
    by_id: dict[str, list[Prediction]] = {}
    for prediction in sorted(predictions, key=lambda p: p.repeat):
        by_id.setdefault(prediction.id, []).append(prediction)
    known = {case.id for case in cases}
    warnings = [f"prediction for unknown id {pid!r} ignored" for pid in by_id if pid not in known]
    scored = []
    for case in cases:
        runs = by_id.get(case.id) or []
        if not runs:
            warnings.append(f"no prediction for id {case.id!r}: scored as no valid output")
            runs = [Prediction(case.id, 0, None, {"type": "Missing", "message": "no prediction"})]
        scored.append([(run, _score_run(case, run, warnings)) for run in runs])
    return scored, warnings


def _merge_rules(found: Iterable[Mapping[str, Sequence[int]]]) -> dict[str, list[int]]:
    merged: dict[str, list[int]] = {}
    for hits in found:
        for rule, counts in hits.items():
            merged[rule] = [a + b for a, b in zip(merged.get(rule, [0, 0, 0]), counts, strict=True)]
    return merged


def article_record(case: Case, runs: Sequence[Run]) -> dict[str, Any]:
    """One article's entry of ``per_article``: its runs pooled."""
    summed = total(score.tallies for _, score in runs)
    values = finalize(summed)
    record: dict[str, Any] = {
        "id": case.id,
        "category": case.category,
        "runs": len(runs),
        "failed": sum(p.summary is None for p, _ in runs),
        "metrics": {name: _round(values.get(name)) for name in METRICS},
        "counts": {name: tally.as_list() for name, tally in summed.items()},
        "confusion": [list(pair) for _, score in runs for pair in score.confusion],
        "errors": [p.error for p, _ in runs if p.error],
        "cost": [RunCost.of(p.meta).as_dict() for p, _ in runs],
    }
    with_rules = [score.rules for _, score in runs if score.rules is not None]
    if with_rules:
        record["rules"] = _merge_rules(with_rules)
    return record


def _tallies(article: Mapping[str, Any]) -> dict[str, Tally]:
    return {name: Tally.from_list(counts) for name, counts in article["counts"].items()}


def _precision_recall(summed: Mapping[str, Tally]) -> dict[str, dict[str, Any]]:
    out = {}
    for field in F1_FIELDS:
        p, r = f"{field}_precision", f"{field}_recall"
        if p in summed and r in summed:
            out[field] = {
                "precision": value(p, summed[p]),
                "recall": value(r, summed[r]),
                **(basis(f"{field}_f1", summed) or {}),
            }
    return out


def _optional_fields(summed: Mapping[str, Tally]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {"hallucinated": {}, "omitted": {}}
    for name, tally in sorted(summed.items()):
        kind, _, field = name.partition(".")
        if kind in out and field:
            out[kind][field] = {"rate": value(name, tally), "num": tally.num, "den": tally.den}
    return out


def confusion(per_article: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """Gold status → predicted status → count, ``(none)`` for missed and spurious actions."""
    pairs = Counter(tuple(pair) for a in per_article for pair in a.get("confusion", []))
    matrix: dict[str, dict[str, int]] = {}
    for (gold, predicted), count in sorted(pairs.items()):
        matrix.setdefault(gold, {})[predicted] = count
    return matrix


def category_group(category: str) -> str:
    """The heatmap's row of a category: its first word (``ofac-russia`` → ``ofac``)."""
    return category.split("-", 1)[0] if category else "(none)"


def categories(
    per_article: Sequence[Mapping[str, Any]], tallies: Sequence[Mapping[str, Tally]]
) -> dict[str, dict[str, Any]]:
    """Metrics of each category group, from the summed tallies of its articles."""
    groups: dict[str, list[Mapping[str, Tally]]] = {}
    for article, found in zip(per_article, tallies, strict=True):
        groups.setdefault(category_group(article.get("category", "")), []).append(found)
    out = {}
    for group, members in sorted(groups.items()):
        values = finalize(total(members))
        out[group] = {"n": len(members), "metrics": {m: _round(values.get(m)) for m in METRICS}}
    return out


def rules_summary(per_article: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]] | None:
    """Per rule id: how often it produced a matched and an unmatched action; None without data."""
    found = [a["rules"] for a in per_article if "rules" in a]
    if not found:
        return None
    out = {}
    for rule, (matched, unmatched, right) in _merge_rules(found).items():
        fired = matched + unmatched
        out[rule] = {"fired": fired, "matched": matched, "unmatched": unmatched,
                     "precision": round(matched / fired, 4), "status_right": right}  # fmt: skip
    return dict(sorted(out.items(), key=lambda item: (-item[1]["unmatched"], item[0])))


def aggregate(
    per_article: Sequence[Mapping[str, Any]], *, samples: int = 1000, seed: int = 0
) -> dict[str, Any]:
    """The dataset-level sections of a report, from its per-article records."""
    tallies = [(a["id"], _tallies(a)) for a in per_article]
    summed = total(t for _, t in tallies)
    values = finalize(summed)
    intervals = bootstrap(Counts.of(tallies), samples=samples, seed=seed)
    bases = {name: basis(name, summed) for name in METRICS if name != "overall"}
    bases["overall"] = {"parts": sum(values.get(p) is not None for p in OVERALL_PARTS)}
    return {
        "metrics": {name: values.get(name) for name in METRICS},
        "intervals": {name: _round_pair(intervals.get(name)) for name in METRICS},
        "basis": bases,
        "precision_recall": _precision_recall(summed),
        "optional_fields": _optional_fields(summed),
        "status_confusion": confusion(per_article),
        "categories": categories(per_article, [t for _, t in tallies]),
        "rules": rules_summary(per_article),
    }


def _round_pair(pair: tuple[float, float] | None) -> list[float] | None:
    return None if pair is None else [round(pair[0], 4), round(pair[1], 4)]


def _repeats(scored: Sequence[Sequence[Run]], predictions: Sequence[Prediction]) -> dict[str, Any]:
    per_repeat: dict[int, list[CaseScore]] = {}
    for runs in scored:
        for prediction, score in runs:
            per_repeat.setdefault(prediction.repeat, []).append(score)
    return {
        "n": len(per_repeat),
        "spread": spread(per_repeat),
        "agreement": agreement(predictions, len(per_repeat)),
    }


def build_report(
    cases: Sequence[Case],
    predictions: Sequence[Prediction],
    *,
    model: str,
    dataset: str,
    command: str = "eval",
    strategy: str = "",
    template_hash: str = "",
    wall_time_s: float | None = None,
    bootstrap_samples: int = 1000,
    warnings: Sequence[str] = (),
) -> dict[str, Any]:
    """The full report as a JSON-ready dict."""
    scored, found = score_runs(cases, predictions)
    per_article = [article_record(c, runs) for c, runs in zip(cases, scored, strict=True)]
    repeats = sorted({p.repeat for p in predictions}) or [0]
    return {
        "command": command,
        "n": len(cases),
        "model": model,
        "strategy": strategy,
        "template_hash": template_hash,
        "dataset": dataset,
        "dataset_hash": dataset_hash(cases),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "repeat": len(repeats),
        **aggregate(per_article, samples=bootstrap_samples),
        "repeats": _repeats(scored, predictions) if len(repeats) > 1 else None,
        "timing": timing(predictions, wall_time_s),
        "warnings": [*warnings, *found],
        "per_article": per_article,
    }
