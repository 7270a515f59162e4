"""``report.md`` and ``comparison.md``: the same figures as the HTML pages, as readable tables."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from summarizer.eval.metrics import METRICS, basis_text, fmt


def _interval(pair: Any, signed: bool = False) -> str:
    if not pair or pair[0] is None:
        return "n/a"
    form = "{:+.3f}" if signed else "{:.3f}"
    return f"{form.format(pair[0])} to {form.format(pair[1])}"


def _delta(c: Mapping[str, Any]) -> str:
    if c["delta"] is None:
        return "n/a"
    flag = (
        (" **regression**" if c["gated"] else " regression (not gated)") if c["regression"] else ""
    )
    return f"{c['delta']:+.3f} ({_interval([c['low'], c['high']], signed=True)}){flag}"


def _header(report: Mapping[str, Any]) -> list[str]:
    t = report["timing"]
    hits = "an unknown number" if t["cache_hits"] is None else t["cache_hits"]
    runs = f"{t['runs']} runs: {t['model']['runs']} called the model"
    if t["model"]["runs"]:
        runs += f" (mean latency {fmt(t['model']['mean_latency_s'], 2)} s, {t['model']['tokens']} tokens)"
    runs += f", {hits} answered from the cache"
    if t["cache_hits"]:
        runs += f" (mean latency {fmt(t['cached']['mean_latency_s'])} s)"
    return [
        f"# Eval report — {report['model']} ({report.get('strategy') or 'n/a'})",
        "",
        f"Dataset `{report['dataset']}` (`{report.get('dataset_hash', '?')}`) · {report['n']} articles"
        f" · {report['repeat']} repeat(s) · prompt `{report.get('template_hash') or 'n/a'}`"
        f" · {report['created']} · `summarizer {report.get('command', '?')}`",
        "",
        runs + ".",
        "",
    ]


def _metrics(report: Mapping[str, Any]) -> list[str]:
    comparison = report.get("comparison")
    lines = []
    if comparison:
        lines += [
            f"Compared with the baseline ({comparison['baseline']['model']}, "
            f"{comparison['baseline'].get('created')}) on {comparison['compared']} of this run's "
            f"{comparison['run_articles']} articles; gated: {', '.join(comparison['gate'])}.",
            "",
        ]
    lines += [
        "| metric | value | 95% CI | computed from |"
        + (" baseline | Δ (95% CI) |" if comparison else ""),
        "|---|---|---|---|" + ("---|---|" if comparison else ""),
    ]
    for name in METRICS:
        found = report.get("basis", {}).get(name)
        source = (
            f"mean of {found['parts']} parts" if name == "overall" and found else basis_text(found)
        )
        row = f"| {name} | {fmt(report['metrics'][name])} | {_interval(report['intervals'].get(name))} | {source} |"
        if comparison:
            c = comparison["metrics"][name]
            row += f" {fmt(c['old'])} | {_delta(c)} |"
        lines.append(row)
    return [*lines, "", "n/a: nothing to measure; left out of means.", ""]


def _confusion(report: Mapping[str, Any]) -> list[str]:
    matrix = report["status_confusion"]
    predicted = sorted({p for row in matrix.values() for p in row})
    lines = ["## Status confusion (rows: gold, columns: predicted)", ""]
    lines += [
        "| gold \\ predicted | " + " | ".join(predicted) + " |",
        "|---|" + "---|" * len(predicted),
    ]
    for gold in sorted(matrix):
        lines.append(
            f"| {gold} | " + " | ".join(str(matrix[gold].get(p, 0)) for p in predicted) + " |"
        )
    return [*lines, ""]


def _categories(report: Mapping[str, Any]) -> list[str]:
    names = ("overall", "actions_f1", "status_f1", "targets_f1", "is_sanctions_accuracy")
    lines = ["## By category", "", "| category | n | " + " | ".join(names) + " |"]
    lines.append("|---|---|" + "---|" * len(names))
    for group, entry in report.get("categories", {}).items():
        values = " | ".join(fmt(entry["metrics"].get(n), 2) for n in names)
        lines.append(f"| {group} | {entry['n']} | {values} |")
    return [*lines, ""]


def _rules(report: Mapping[str, Any]) -> list[str]:
    rules = report.get("rules")
    if not rules:
        return ["## Rules", "", "No rule data (the predictions carry no `meta.details.rules`).", ""]
    lines = [
        "## Rules (worst first)",
        "",
        "| rule | fired | matched | unmatched | precision | status right |",
    ]
    lines.append("|---|---|---|---|---|---|")
    for rule, r in rules.items():
        lines.append(
            f"| `{rule}` | {r['fired']} | {r['matched']} | {r['unmatched']} | {r['precision']:.2f} | {r['status_right']} |"
        )
    return [*lines, ""]


def _repeats(report: Mapping[str, Any]) -> list[str]:
    repeats = report.get("repeats")
    if not repeats:
        return []
    a = repeats["agreement"]
    lines = [f"## Repeats ({repeats['n']})", "",
             f"Agreement over {a['articles']} articles: identical {fmt(a['identical'], 2)}, "
             f"is_sanctions_news {fmt(a['is_sanctions_news'], 2)}, actions {fmt(a['actions'], 2)}.", "",
             "| metric | min | max | std |", "|---|---|---|---|"]  # fmt: skip
    for name, s in repeats["spread"].items():
        lines.append(f"| {name} | {fmt(s['min'])} | {fmt(s['max'])} | {fmt(s['std'])} |")
    return [*lines, ""]


def _articles(report: Mapping[str, Any]) -> list[str]:
    lines = [
        "## Per article, worst first",
        "",
        "| id | category | overall | actions_f1 | status_f1 | errors |",
    ]
    lines.append("|---|---|---|---|---|---|")
    ordered = sorted(
        report["per_article"],
        key=lambda a: (a["metrics"]["overall"] or 0.0, -a.get("failed", 0), a["id"]),
    )
    for a in ordered:
        m = a["metrics"]
        errors = "; ".join(e["type"] for e in a["errors"])
        lines.append(
            f"| {a['id']} | {a['category']} | {fmt(m['overall'], 2)} | {fmt(m['actions_f1'], 2)} | {fmt(m['status_f1'], 2)} | {errors} |"
        )
    return [*lines, ""]


def render_markdown(report: Mapping[str, Any]) -> str:
    """A readable summary of a report."""
    lines = [*_header(report), *_metrics(report), *_confusion(report), *_categories(report),
             *_rules(report), *_repeats(report), *_articles(report)]  # fmt: skip
    if report.get("warnings"):
        lines += ["## Warnings", "", *(f"- {w}" for w in report["warnings"]), ""]
    return "\n".join(lines)


def render_compare_markdown(result: Mapping[str, Any]) -> str:
    """Several runs side by side: value [interval] per run, Δ against the first."""
    runs, deltas = result["runs"], result["deltas"]
    lines = [f"# Comparison of {len(runs)} runs", ""]
    lines += [f"{k}. {r['label']} — `{r['dataset']}` (`{r.get('dataset_hash')}`), {r['n']} articles, `{r['path']}`"
              for k, r in enumerate(runs, 1)]  # fmt: skip
    shared = ", ".join(f"run {k}: {d['compared']}" for k, d in enumerate(deltas, 1) if d)
    lines += ["", f"Δ: paired bootstrap against run 1 over the articles both share ({shared}).", ""]
    head = ["metric"] + [
        f"{k}. {r['label']}" + ("" if k == 1 else " | Δ vs 1") for k, r in enumerate(runs, 1)
    ]
    lines += ["| " + " | ".join(head) + " |", "|---|" + "---|" * (2 * len(runs) - 1)]
    for name in METRICS:
        cells = [name]
        for r, d in zip(runs, deltas, strict=True):
            cell = f"{fmt(r['metrics'].get(name))} [{_interval(r['intervals'].get(name))}]"
            cells.append(cell if d is None else f"{cell} | {_delta(d['metrics'][name])}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
