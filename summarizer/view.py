"""A self-contained, offline review page for many results: per article the summary, the actions as
cards and the source with every evidence quote highlighted (a card's click jumps to its quotes), with
filters by imposer, status and country. Templates: ``summarizer/templates/view.html.j2`` and the
highlighter macro in ``_highlight.html.j2``."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pycountry

from summarizer.records import Record, parse_record
from summarizer.schema import SanctionAction
from summarizer.templates import environment


@dataclass(frozen=True)
class Segment:
    """A run of source text: the quotes covering it, and the quotes that start where it starts."""

    text: str
    quotes: tuple[str, ...] = ()
    anchors: tuple[str, ...] = ()


def segments(text: str, spans: Iterable[tuple[str, int, int]]) -> list[Segment]:
    """``text`` cut where the quotes ``(key, start, end)`` begin and end."""
    spans = [(k, max(0, s), min(len(text), e)) for k, s, e in spans if e > s]
    cuts = sorted({0, len(text), *(s for _, s, _ in spans), *(e for _, _, e in spans)})
    out = []
    for start, end in itertools.pairwise(cuts):
        covering = tuple(k for k, s, e in spans if s <= start and end <= e)
        anchors = tuple(k for k, s, _ in spans if s == start)
        out.append(Segment(text[start:end], covering, anchors))
    return out


def _country(code: str) -> str:
    found = pycountry.countries.get(alpha_2=code)
    return f"{code} ({found.name})" if found else code


def _action(prefix: str, number: int, action: SanctionAction) -> dict[str, Any]:
    key = f"{prefix}-{number}"
    spans = {(s.quote, s.start) for s in action.evidence_spans}
    quotes = [
        {"key": f"{key}-{n}", "text": quote, "placed": any(q == quote for q, _ in spans)}
        for n, quote in enumerate(action.evidence)
    ]
    return {
        "key": key,
        "action": action,
        "quotes": quotes,
        "countries": sorted({*action.target_countries, *(t.country for t in action.targets if t.country)}),
    }  # fmt: skip


def _article(number: int, record: Record) -> dict[str, Any]:
    prefix = f"q-{number}"
    actions = [_action(prefix, n, a) for n, a in enumerate(record.summary.actions)]
    spans = [
        (f"{prefix}-{n}-{i}", span.start, span.end)
        for n, action in enumerate(record.summary.actions)
        for i, quote in enumerate(action.evidence)
        for span in action.evidence_spans
        if span.quote == quote
    ]
    text = record.source
    return {
        "number": number,
        "record": record,
        "actions": actions,
        "segments": segments(text, spans) if text is not None else None,
    }


def render_view(records: Iterable[Record], *, title: str = "Sanctions summaries") -> str:
    """The review page of ``records``: one HTML document, no external resources."""
    articles = [_article(n, r) for n, r in enumerate(records)]
    actions = [a for article in articles for a in article["actions"]]
    filters = {
        "imposer": sorted({a["action"].imposer for a in actions}),
        "status": sorted({a["action"].status.value for a in actions}),
        "country": sorted({c for a in actions for c in a["countries"]}),
    }
    template = environment().get_template("view.html.j2")
    return template.render(title=title, articles=articles, filters=filters, country=_country)


def result_html(data: dict[str, Any], *, title: str) -> str:
    """The review page of one result, given as ``Result.as_dict(source=True)``."""
    record = parse_record(data, default_id=title, where=title)
    assert record is not None  # a result is never a failed record
    return render_view([record], title=title)
