"""``report.html`` and ``comparison.html``: one self-contained page each, rendered from the Jinja
templates in ``summarizer/templates`` with inline SVG charts from :mod:`summarizer.charts`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from summarizer import SanctionAction, SanctionsSummary, Status
from summarizer.charts import (
    DeltaRow,
    Heatmap,
    IntervalRow,
    Point,
    Series,
    forest_chart,
    heatmap,
    histogram,
    interval_chart,
)
from summarizer.eval.align import align_actions, match_names
from summarizer.eval.dataset import Case
from summarizer.eval.metrics import DEFINITIONS, METRICS, OVERALL_PARTS, basis_text, fmt
from summarizer.eval.runner import Prediction
from summarizer.eval.scorers import MISSING, rules_of
from summarizer.templates import Segment, environment, evidence_segments

FIELDS = (
    "imposer",
    "status",
    "target_countries",
    "targets",
    "measures",
    "legal_basis",
    "target_count",
    "count_qualifier",
    "authority",
    "effective_date",
)
CATEGORY_METRICS = ("overall", *OVERALL_PARTS, "is_sanctions_accuracy")


def _point(value: Any, interval: Any) -> Point:
    low, high = (
        interval if isinstance(interval, list | tuple) and len(interval) == 2 else (None, None)
    )
    return Point(value, low, high)


def metrics_chart(report: Mapping[str, Any], comparison: Mapping[str, Any] | None) -> Markup:
    """Every metric with its interval; the baseline's in a second colour."""
    series, sources = ["this run"], [report]
    if comparison:
        series.append("baseline")
        sources.append(comparison["baseline"])
    rows = [
        IntervalRow(name, DEFINITIONS[name], [
            _point(s.get("metrics", {}).get(name), s.get("intervals", {}).get(name)) for s in sources
        ])
        for name in METRICS
    ]  # fmt: skip
    return Markup(interval_chart(rows, series, label="metrics with 95% intervals"))


def forest(comparison: Mapping[str, Any]) -> Markup:
    """Deltas against a baseline with their paired intervals; regressions in red."""
    rows = [
        DeltaRow(name, DEFINITIONS[name], m["delta"], m["low"], m["high"], m["regression"])
        for name, m in comparison["metrics"].items()
    ]
    return Markup(forest_chart(rows, label="deltas against the baseline"))


def confusion_chart(matrix: Mapping[str, Mapping[str, int]]) -> Markup:
    """Gold status (rows) against predicted status (columns), counts shaded."""
    order = [s.value for s in Status] + [MISSING]
    rows = [s for s in order if s in matrix]
    cols = [s for s in order if any(s in row for row in matrix.values())]
    cells = {(g, p): float(matrix[g].get(p, 0)) for g in rows for p in cols}
    chart = Heatmap(rows, cols, cells, counts=True, corner="gold \\ predicted")
    return Markup(heatmap(chart, label="status confusion"))


def category_chart(found: Mapping[str, Mapping[str, Any]]) -> Markup:
    """Category groups (rows) against the main metrics (columns)."""
    rows = {f"{group} ({entry['n']})": entry["metrics"] for group, entry in found.items()}
    cells = {(row, m): values.get(m) for row, values in rows.items() for m in CATEGORY_METRICS}
    tips = {m: DEFINITIONS[m] for m in CATEGORY_METRICS}
    chart = Heatmap(list(rows), list(CATEGORY_METRICS), cells, col_tips=tips, corner="category (n)")
    return Markup(heatmap(chart, label="metrics by category"))


def cost_charts(per_article: Sequence[Mapping[str, Any]]) -> dict[str, Markup]:
    """Latency and token histograms, model calls and cached answers apart."""
    runs = [run for a in per_article for run in a.get("cost", [])]
    out = {}
    for key, unit in (("latency_s", "seconds"), ("tokens", "tokens")):
        series = [
            Series(name, [r[key] for r in runs if r.get(key) is not None and r.get("cache_hit") is cached])
            for name, cached in (("model calls", False), ("cached answers", True))
        ]  # fmt: skip
        out[key] = Markup(histogram(series, unit=unit, label=f"{unit} per run"))
    return out


def metric_rows(
    report: Mapping[str, Any], comparison: Mapping[str, Any] | None
) -> list[dict[str, Any]]:
    """The metrics table: value, interval, what it is computed from, baseline and delta."""
    rows = []
    for name in METRICS:
        interval = report["intervals"].get(name)
        row = {"name": name, "tip": DEFINITIONS[name], "value": fmt(report["metrics"].get(name)),
               "ci": f"{interval[0]:.3f} to {interval[1]:.3f}" if interval else "n/a",
               "basis": basis_text(report.get("basis", {}).get(name)) if name != "overall" else
               f"mean of {report.get('basis', {}).get('overall', {}).get('parts', 0)} parts"}  # fmt: skip
        if comparison:
            c = comparison["metrics"][name]
            delta = "n/a" if c["delta"] is None else f"{c['delta']:+.3f}"
            ci = "" if c["low"] is None else f" ({c['low']:+.3f}, {c['high']:+.3f})"
            row.update(
                old=fmt(c["old"]), delta=delta + ci, regression=c["regression"], gated=c["gated"]
            )
        rows.append(row)
    return rows


@dataclass
class Cell:
    text: str
    ok: bool | None = None  # None: gold side, not judged


@dataclass
class ArticleView:
    id: str
    category: str
    overall: float | None
    failed: bool
    scores: str
    errors: list[dict[str, str]]
    headline: str
    summary: str
    news: tuple[bool, bool | None]
    columns: int
    table: list[tuple[str, list[Cell]]]
    segments: list[Segment] = field(default_factory=list)


def _value(action: SanctionAction | None, name: str) -> str:
    if action is None:
        return "—"
    found = getattr(action, name)
    if name == "targets":
        return "; ".join(t.name for t in found)
    if isinstance(found, list):
        return ", ".join(str(getattr(v, "value", v)) for v in found)
    return "" if found is None else str(getattr(found, "value", found))


def _same(p: SanctionAction | None, g: SanctionAction | None, name: str) -> bool:
    if p is None or g is None:
        return False
    if name == "targets":
        names_p, names_g = [t.name for t in p.targets], [t.name for t in g.targets]
        return len(match_names(names_p, names_g)) == len(names_p) == len(names_g)
    if name == "legal_basis":
        return {x.lower() for x in p.legal_basis} == {x.lower() for x in g.legal_basis}
    return _value(p, name) == _value(g, name)


def actions_table(
    pred: SanctionsSummary | None, gold: SanctionsSummary, rules: Sequence[Sequence[str]] | None
) -> tuple[int, list[tuple[str, list[Cell]]]]:
    """Aligned gold and predicted actions side by side, field by field (and the rules behind each
    predicted action when known)."""
    p_actions = list(pred.actions) if pred else []
    pairs = align_actions(p_actions, gold.actions)
    columns: list[tuple[int | None, int | None]] = [(i, j) for i, j in pairs]
    columns += [(None, j) for j in range(len(gold.actions)) if j not in {j for _, j in pairs}]
    columns += [(i, None) for i in range(len(p_actions)) if i not in {i for i, _ in pairs}]
    table = []
    for name in FIELDS:
        cells = []
        for i, j in columns:
            p = p_actions[i] if i is not None else None
            g = gold.actions[j] if j is not None else None
            cells += [Cell(_value(g, name)), Cell(_value(p, name), _same(p, g, name))]
        table.append((name, cells))
    if rules is not None:
        cells = [
            c
            for i, _ in columns
            for c in (Cell(""), Cell(", ".join(rules[i]) if i is not None else "—"))
        ]
        table.append(("rules", cells))
    return len(columns), table


def article_view(case: Case, article: Mapping[str, Any], runs: Sequence[Prediction]) -> ArticleView:
    """One article: errors, the first run's output against gold, evidence in the source."""
    first = runs[0] if runs else None
    pred = first.summary if first else None
    rules = rules_of(first.meta, len(pred.actions))[0] if first and pred else None
    columns, table = actions_table(pred, case.gold, rules)
    m = article["metrics"]
    return ArticleView(
        id=case.id, category=case.category, overall=m.get("overall"), failed=article.get("failed", 0) > 0,
        scores=" · ".join(f"{k} {fmt(m.get(k), 2)}" for k in ("overall", "actions_f1", "status_f1", "targets_f1")),
        errors=article.get("errors", []),
        headline=pred.headline if pred else "(no valid output)", summary=pred.summary if pred else "",
        news=(case.gold.is_sanctions_news, pred.is_sanctions_news if pred else None),
        columns=columns, table=table,
        segments=evidence_segments(
            case.text, [q for a in case.gold.actions for q in a.evidence],
            [q for a in pred.actions for q in a.evidence] if pred else [],
        ),
    )  # fmt: skip


def article_views(
    report: Mapping[str, Any], cases: Sequence[Case], predictions: Sequence[Prediction]
) -> list[ArticleView]:
    """Every article, worst ``overall`` first (failed runs score 0)."""
    runs: dict[str, list[Prediction]] = {}
    for prediction in sorted(predictions, key=lambda p: p.repeat):
        runs.setdefault(prediction.id, []).append(prediction)
    views = [
        article_view(case, article, runs.get(case.id, []))
        for case, article in zip(cases, report["per_article"], strict=True)
    ]
    return sorted(
        views, key=lambda v: (1.0 if v.overall is None else v.overall, not v.failed, v.id)
    )


def render_html(
    report: Mapping[str, Any], cases: Sequence[Case], predictions: Sequence[Prediction]
) -> str:
    """The report page: charts and tables of the whole run, then every article, worst first."""
    comparison = report.get("comparison")
    charts = {
        "metrics": metrics_chart(report, comparison),
        "forest": forest(comparison) if comparison else None,
        "confusion": confusion_chart(report["status_confusion"]) if report["status_confusion"] else None,
        "categories": category_chart(report["categories"]) if report.get("categories") else None,
        **cost_charts(report["per_article"]),
    }  # fmt: skip
    return environment().get_template("report.html.j2").render(
        report=report, comparison=comparison, charts=charts,
        metric_rows=metric_rows(report, comparison), definitions=DEFINITIONS,
        articles=article_views(report, cases, predictions), fmt=fmt,
    )  # fmt: skip


def compare_chart(result: Mapping[str, Any]) -> Markup:
    """Every run's metrics with intervals, one colour per run."""
    runs = result["runs"]
    rows = [
        IntervalRow(name, DEFINITIONS[name], [_point(r["metrics"].get(name), r["intervals"].get(name)) for r in runs])
        for name in METRICS
    ]  # fmt: skip
    return Markup(interval_chart(rows, [r["label"] for r in runs], label="runs side by side"))


def render_compare_html(result: Mapping[str, Any]) -> str:
    """Several runs side by side, and each run's paired deltas against the first."""
    forests = [forest(d) if d else None for d in result["deltas"]]
    return environment().get_template("compare.html.j2").render(
        result=result, chart=compare_chart(result), forests=forests, metrics=METRICS,
        definitions=DEFINITIONS, fmt=fmt,
    )  # fmt: skip
