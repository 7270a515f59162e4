"""Merge the summaries of an article's chunks into one, schema-aware."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from summarizer.schema import MAX_ACTIONS, MAX_OFFICIALS, MAX_TARGETS, SanctionsSummary

MAX_EVIDENCE = 3


def _key(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", name.casefold()).split())


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["imposer"] != b["imposer"] or a["status"] != b["status"]:
        return False
    ca, cb = set(a["target_countries"]), set(b["target_countries"])
    return not ca or not cb or bool(ca & cb)


def _union(into: list[Any], items: list[Any], key: Any = None) -> None:
    seen = {key(x) if key else x for x in into}
    for item in items:
        k = key(item) if key else item
        if k not in seen:
            seen.add(k)
            into.append(item)


def _merge_action(into: dict[str, Any], other: dict[str, Any]) -> None:
    _union(into["target_countries"], other["target_countries"])
    _union(into["targets"], other["targets"], key=lambda t: _key(t["name"]))
    _union(into["measures"], other["measures"])
    _union(into["legal_basis"], other["legal_basis"])
    _union(into["evidence"], other["evidence"])
    into["evidence"] = into["evidence"][:MAX_EVIDENCE]
    for field in ("authority", "reason", "effective_date"):
        into[field] = into[field] or other[field]
    if into["target_count"] is None and other["target_count"] is not None:
        into["target_count"], into["count_qualifier"] = (
            other["target_count"],
            other["count_qualifier"],
        )


def merge(parts: Sequence[SanctionsSummary], source: str) -> SanctionsSummary:
    """One summary of a whole article from its chunks' summaries: actions with the same imposer,
    status and overlapping countries joined, targets and officials deduplicated by name, evidence
    kept (up to three quotes an action), headline and summary from the first chunk that is news.
    The result is validated, and its evidence grounded, against the whole ``source``."""
    if not parts:
        raise ValueError("nothing to merge")
    lead = next((p for p in parts if p.is_sanctions_news), parts[0])
    actions: list[dict[str, Any]] = []
    officials: list[dict[str, Any]] = []
    for part in parts:
        for action in part.actions:
            data = action.model_dump(mode="json", exclude={"evidence_spans"})
            match = next((a for a in actions if _same(a, data)), None)
            if match is None:
                actions.append(data)
            else:
                _merge_action(match, data)
        _union(
            officials,
            [o.model_dump(mode="json") for o in part.officials],
            key=lambda o: _key(o["name"]),
        )
    data = {
        "is_sanctions_news": any(p.is_sanctions_news for p in parts),
        "headline": lead.headline,
        "summary": lead.summary,
        "published_date": next((p.published_date for p in parts if p.published_date), None),
        "actions": actions[:MAX_ACTIONS],
        "officials": officials[:MAX_OFFICIALS],
    }
    for action in data["actions"]:
        action["targets"] = action["targets"][:MAX_TARGETS]
    return SanctionsSummary.model_validate(data, context={"source": source})
