"""Reports: ``report.json`` (n, model, metrics, per_article and more), ``report.md`` and a self-contained ``report.html``."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summarizer.eval.dataset import Case
from summarizer.eval.html import render_html
from summarizer.eval.metrics import (
    F1_FIELDS,
    METRICS,
    CaseScore,
    Tally,
    bootstrap,
    confusion_matrix,
    finalize,
    score_case,
    total,
)
from summarizer.eval.runner import Prediction
from summarizer.masking import mask


def _merge_repeats(case: Case, scores: list[CaseScore]) -> CaseScore:
    merged = CaseScore(case.id)
    merged.tallies = total(scores)
    merged.confusion = [pair for score in scores for pair in score.confusion]
    return merged


def score_predictions(
    cases: Sequence[Case], predictions: Sequence[Prediction]
) -> tuple[list[CaseScore], list[str]]:
    """Per-article scores (repeats pooled) and warnings about missing or unknown ids."""
    by_id: dict[str, list[Prediction]] = defaultdict(list)
    for prediction in predictions:
        by_id[prediction.id].append(prediction)
    known = {case.id for case in cases}
    warnings = [f"prediction for unknown id {pid!r} ignored" for pid in by_id if pid not in known]
    scores = []
    for case in cases:
        runs = by_id.get(case.id) or []
        if not runs:
            warnings.append(f"no prediction for id {case.id!r}: scored as no valid output")
            runs = [Prediction(case.id, 0, None, {"type": "Missing", "message": "no prediction"})]
        scores.append(_merge_repeats(case, [score_case(case, run.summary) for run in runs]))
    return scores, warnings


def _details(summed: dict[str, Tally]) -> dict[str, Any]:
    values = {name: tally.value for name, tally in summed.items()}
    pr = {
        f: {"precision": values[f"{f}_precision"], "recall": values[f"{f}_recall"]}
        for f in F1_FIELDS
    }
    optional: dict[str, dict[str, float]] = {"hallucinated": {}, "omitted": {}}
    for name, value in sorted(values.items()):
        kind, _, field = name.partition(".")
        if kind in optional and field:
            optional[kind][field] = value
    return {"precision_recall": pr, "optional_fields": optional}


def build_report(
    cases: Sequence[Case],
    predictions: Sequence[Prediction],
    *,
    model: str,
    dataset: str,
    strategy: str = "",
    template_hash: str = "",
    wall_time_s: float | None = None,
    bootstrap_samples: int = 1000,
) -> dict[str, Any]:
    """The full report as a JSON-ready dict."""
    scores, warnings = score_predictions(cases, predictions)
    summed = total(scores)
    metrics = finalize(summed)
    intervals = bootstrap(scores, samples=bootstrap_samples)
    preds_by_id: dict[str, list[Prediction]] = defaultdict(list)
    for prediction in predictions:
        preds_by_id[prediction.id].append(prediction)
    per_article = []
    for case, score in zip(cases, scores, strict=True):
        runs = sorted(preds_by_id.get(case.id, []), key=lambda p: p.repeat)
        per_article.append({
            "id": case.id,
            "category": case.category,
            "metrics": {name: round(score.metrics()[name], 4) for name in METRICS},
            "counts": {name: [t.num, t.den, t.gold] for name, t in score.tallies.items()},
            "errors": [run.error for run in runs if run.error],
        })  # fmt: skip
    latencies = [p.meta["latency_s"] for p in predictions if p.meta and "latency_s" in p.meta]
    tokens = sum(
        p.meta["usage"]["total_tokens"] for p in predictions if p.meta and "usage" in p.meta
    )
    repeats = sorted({p.repeat for p in predictions}) or [0]
    return {
        "n": len(cases),
        "model": model,
        "strategy": strategy,
        "template_hash": template_hash,
        "dataset": dataset,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "repeat": len(repeats),
        "metrics": {name: metrics[name] for name in METRICS},
        "intervals": {
            name: [round(lo, 4), round(hi, 4)]
            for name, (lo, hi) in intervals.items()
            if name in METRICS
        },
        **_details(summed),
        "status_confusion": confusion_matrix(scores),
        "timing": {
            "wall_time_s": round(wall_time_s, 2) if wall_time_s is not None else None,
            "mean_latency_s": round(sum(latencies) / len(latencies), 3) if latencies else None,
            "total_tokens": tokens,
        },
        "warnings": warnings,
        "per_article": per_article,
    }


def compare(
    report: dict[str, Any], baseline: dict[str, Any], *, samples: int = 1000, seed: int = 0
) -> dict[str, dict[str, float | bool]]:
    """Per-metric delta against a baseline report, with a paired bootstrap 95% interval over the
    articles both reports share. A regression is a delta whose whole interval is below zero."""
    old = {a["id"]: a["counts"] for a in baseline.get("per_article", [])}
    new = {a["id"]: a["counts"] for a in report.get("per_article", [])}
    shared = [i for i in new if i in old]
    rng = random.Random(seed)

    def values(counts: dict[str, dict[str, list[float]]], ids: list[str]) -> dict[str, float]:
        summed: dict[str, Tally] = {}
        for article in ids:
            for name, (num, den, gold) in counts[article].items():
                summed[name] = summed.get(name, Tally()) + Tally(num, den, gold)
        return finalize(summed)

    base_new, base_old = values(new, shared), values(old, shared)
    draws: dict[str, list[float]] = defaultdict(list)
    for _ in range(samples if shared else 0):
        ids = [shared[rng.randrange(len(shared))] for _ in shared]
        a, b = values(new, ids), values(old, ids)
        for name in METRICS:
            draws[name].append(a.get(name, 0.0) - b.get(name, 0.0))
    result: dict[str, dict[str, float | bool]] = {}
    for name in METRICS:
        if name not in base_new or name not in base_old:
            continue
        deltas = sorted(draws[name]) or [0.0]
        lo, hi = deltas[int(0.025 * (len(deltas) - 1))], deltas[int(0.975 * (len(deltas) - 1))]
        delta = base_new[name] - base_old[name]
        result[name] = {"old": round(base_old[name], 4), "new": round(base_new[name], 4), "delta": round(delta, 4),
                        "low": round(lo, 4), "high": round(hi, 4), "regression": hi < 0}  # fmt: skip
    return result


def render_markdown(
    report: dict[str, Any], comparison: dict[str, dict[str, float | bool]] | None = None
) -> str:
    """A readable summary of a report."""
    lines = [
        f"# Eval report — {report['model']} ({report.get('strategy') or 'n/a'})",
        "",
        f"Dataset `{report['dataset']}` · {report['n']} articles · {report['repeat']} repeat(s) · "
        f"prompt `{report.get('template_hash') or 'n/a'}` · {report['created']}",
        "",
        "| metric | value | 95% CI |" + (" baseline | Δ (95% CI) |" if comparison else ""),
        "|---|---|---|" + ("---|---|" if comparison else ""),
    ]
    for name in METRICS:
        lo, hi = report["intervals"].get(name, [None, None])
        row = f"| {name} | {report['metrics'][name]:.3f} | " + (
            f"{lo:.3f} to {hi:.3f} |" if lo is not None else "|"
        )
        if comparison and name in comparison:
            c = comparison[name]
            flag = " **regression**" if c["regression"] else ""
            row += (
                f" {c['old']:.3f} | {c['delta']:+.3f} ({c['low']:+.3f}, {c['high']:+.3f}){flag} |"
            )
        lines.append(row)
    confusion = report["status_confusion"]
    predicted = sorted({p for row in confusion.values() for p in row})
    lines += ["", "## Status confusion (rows: gold, columns: predicted)", "",
              "| gold \\ predicted | " + " | ".join(predicted) + " |", "|---|" + "---|" * len(predicted)]  # fmt: skip
    for gold in sorted(confusion):
        lines.append(
            f"| {gold} | " + " | ".join(str(confusion[gold].get(p, 0)) for p in predicted) + " |"
        )
    lines += [
        "",
        "## Per article",
        "",
        "| id | category | overall | actions_f1 | status_f1 | errors |",
        "|---|---|---|---|---|---|",
    ]
    for article in report["per_article"]:
        m = article["metrics"]
        errors = "; ".join(e["type"] for e in article["errors"])
        lines.append(
            f"| {article['id']} | {article['category']} | {m['overall']:.2f} | {m['actions_f1']:.2f} | {m['status_f1']:.2f} | {errors} |"
        )
    if report.get("warnings"):
        lines += ["", "## Warnings", ""] + [f"- {w}" for w in report["warnings"]]
    return "\n".join(lines) + "\n"


def write_report(
    out_dir: Path,
    report: dict[str, Any],
    cases: Sequence[Case],
    predictions: Sequence[Prediction],
    comparison: dict[str, dict[str, float | bool]] | None = None,
) -> None:
    """Write ``report.json``, ``report.md`` and ``report.html`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if comparison is not None:
        report = {**report, "comparison": comparison}
    texts = {
        "report.json": json.dumps(report, indent=2, ensure_ascii=False) + "\n",
        "report.md": render_markdown(report, comparison),
        "report.html": render_html(report, cases, predictions),
    }
    for name, text in texts.items():
        (out_dir / name).write_text(mask(text), encoding="utf-8")
