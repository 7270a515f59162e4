"""Self-contained HTML report: per article, gold against prediction, evidence highlighted in the source."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from summarizer import SanctionAction, SanctionsSummary
from summarizer.eval.align import align_actions, match_names
from summarizer.eval.dataset import Case
from summarizer.eval.metrics import METRICS
from summarizer.eval.runner import Prediction
from summarizer.grounding import align

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1200px;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top}
th{background:#f3f3f3}.bad{background:#fdd}.ok{background:#dfd}.src{white-space:pre-wrap;border:1px solid #ddd;
padding:.6em;max-height:28em;overflow:auto;background:#fafafa}mark.g{background:#cde6ff}mark.p{background:#ffe58a}
mark.gp{background:#b6f0b6}details{margin:.4em 0;border-bottom:1px solid #eee}summary{cursor:pointer}
.err{color:#a00}.legend mark{padding:0 .3em}
"""
_FIELDS = (
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


def _value(action: SanctionAction | None, field: str) -> str:
    if action is None:
        return "—"
    value = getattr(action, field)
    if field == "targets":
        return "; ".join(t.name for t in value)
    if isinstance(value, list):
        return ", ".join(str(getattr(v, "value", v)) for v in value)
    return "" if value is None else str(getattr(value, "value", value))


def _same(p: SanctionAction | None, g: SanctionAction | None, field: str) -> bool:
    if p is None or g is None:
        return False
    if field == "targets":
        names_p, names_g = [t.name for t in p.targets], [t.name for t in g.targets]
        return len(match_names(names_p, names_g)) == len(names_p) == len(names_g)
    if field == "legal_basis":
        return {x.lower() for x in p.legal_basis} == {x.lower() for x in g.legal_basis}
    return _value(p, field) == _value(g, field)


def _highlight(text: str, gold: Sequence[str], predicted: Sequence[str]) -> str:
    marks = [0] * (len(text) + 1)
    for bit, quotes in ((1, gold), (2, predicted)):
        for quote in quotes:
            found = align(quote, text)
            if found.start is not None and found.end is not None:
                for i in range(found.start, found.end):
                    marks[i] |= bit
    out, start = [], 0
    classes = {1: "g", 2: "p", 3: "gp"}
    for i in range(1, len(text) + 1):
        if i == len(text) or marks[i] != marks[start]:
            chunk = escape(text[start:i])
            out.append(
                f'<mark class="{classes[marks[start]]}">{chunk}</mark>' if marks[start] else chunk
            )
            start = i
    return "".join(out)


def _actions_table(pred: SanctionsSummary | None, gold: SanctionsSummary) -> str:
    p_actions = list(pred.actions) if pred else []
    pairs = align_actions(p_actions, gold.actions)
    rows: list[tuple[SanctionAction | None, SanctionAction | None]] = [
        (p_actions[i], gold.actions[j]) for i, j in pairs
    ]
    rows += [(None, g) for j, g in enumerate(gold.actions) if j not in {j for _, j in pairs}]
    rows += [(p, None) for i, p in enumerate(p_actions) if i not in {i for i, _ in pairs}]
    if not rows:
        return "<p>No actions in gold or prediction.</p>"
    head = (
        "<tr><th>field</th>"
        + "".join(f"<th>gold #{n}</th><th>predicted #{n}</th>" for n in range(1, len(rows) + 1))
        + "</tr>"
    )
    body = []
    for field in _FIELDS:
        cells = []
        for p, g in rows:
            css = "ok" if _same(p, g, field) else "bad"
            cells.append(
                f"<td>{escape(_value(g, field))}</td><td class='{css}'>{escape(_value(p, field))}</td>"
            )
        body.append(f"<tr><th>{field}</th>{''.join(cells)}</tr>")
    return f"<table>{head}{''.join(body)}</table>"


def _article(case: Case, article: dict[str, Any], runs: Sequence[Prediction]) -> str:
    pred = runs[0].summary if runs else None
    m = article["metrics"]
    errors = "".join(
        f"<p class='err'>{escape(e['type'])}: {escape(e['message'])}</p>" for e in article["errors"]
    )
    gold_quotes = [q for a in case.gold.actions for q in a.evidence]
    pred_quotes = [q for a in pred.actions for q in a.evidence] if pred else []
    news = "ok" if pred and pred.is_sanctions_news == case.gold.is_sanctions_news else "bad"
    headline = escape(pred.headline) if pred else "(no valid output)"
    summary = escape(pred.summary) if pred else ""
    scores = " · ".join(
        f"{k} {m[k]:.2f}" for k in ("overall", "actions_f1", "status_f1", "targets_f1")
    )
    return (
        f"<details><summary><b>{escape(case.id)}</b> ({escape(case.category)}) — {scores}</summary>{errors}"
        f"<p><b>Predicted headline:</b> {headline}<br><b>Summary:</b> {summary}</p>"
        f"<p>is_sanctions_news: gold <b>{case.gold.is_sanctions_news}</b>, "
        f"predicted <span class='{news}'>{pred.is_sanctions_news if pred else '—'}</span></p>"
        f"{_actions_table(pred, case.gold)}"
        f"<div class='src'>{_highlight(case.text, gold_quotes, pred_quotes)}</div></details>"
    )


def render_html(
    report: dict[str, Any], cases: Sequence[Case], predictions: Sequence[Prediction]
) -> str:
    """The report page: metrics with intervals, then one collapsible section per article."""
    runs: dict[str, list[Prediction]] = {}
    for prediction in sorted(predictions, key=lambda p: p.repeat):
        runs.setdefault(prediction.id, []).append(prediction)
    metric_rows = "".join(
        f"<tr><td>{name}</td><td>{report['metrics'][name]:.3f}</td>"
        f"<td>{report['intervals'].get(name, ['', ''])[0]} to {report['intervals'].get(name, ['', ''])[1]}</td></tr>"
        for name in METRICS
    )
    articles = "".join(
        _article(case, article, runs.get(case.id, []))
        for case, article in zip(cases, report["per_article"], strict=True)
    )
    title = f"Eval report — {escape(report['model'])}"
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title><style>{_CSS}</style></head><body>"
        f"<h1>{title}</h1><p>Strategy {escape(report.get('strategy') or 'n/a')} · dataset {escape(report['dataset'])} · "
        f"{report['n']} articles · prompt {escape(report.get('template_hash') or 'n/a')}</p>"
        f"<table><tr><th>metric</th><th>value</th><th>95% CI</th></tr>{metric_rows}</table>"
        "<p class='legend'>Evidence: <mark class='g'>gold</mark> <mark class='p'>predicted</mark> "
        "<mark class='gp'>both</mark>. Red cells differ from gold.</p>"
        f"<h2>Articles</h2>{articles}</body></html>"
    )
