"""Assemble extracted candidates into the fields of a :class:`SanctionsSummary` (no model involved).

``build(text)`` reads an article (:class:`~summarizer.extract.document.Document`), finds the sentences
that announce a development (:mod:`summarizer.extract.actions`), groups them into actions, and attaches
targets, legal bases, measures and officials (:mod:`summarizer.extract.attach`). Every action keeps the
ids of the rules that produced it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rigour.territories import get_territory

from summarizer.extract import attach
from summarizer.extract.actions import (
    ActionDraft,
    Candidate,
    candidate,
    join,
    program,
    segment,
    subjects,
)
from summarizer.extract.document import Document
from summarizer.extract.facts import Count, count_in, effective_date
from summarizer.extract.places import Mention
from summarizer.extract.rules import ruleset
from summarizer.injection import mask
from summarizer.schema import MAX_ACTIONS, MAX_OFFICIALS, MAX_TARGETS
from summarizer.sentences import Sentence

__all__ = [
    "ActionDraft",
    "Draft",
    "action_fields",
    "build",
    "display_name",
    "stated_count",
    "summary_fields",
]

MAX_EVIDENCE_CHARS = 400


@dataclass
class Draft:
    """Everything extracted from one article."""

    text: str
    sentences: list[Sentence]
    actions: list[ActionDraft]
    officials: list[dict[str, Any]]
    published_date: date | None
    country_names: dict[str, str]
    #: the genre rule that classed the text as not sanctions news, if one did
    genre: str | None = None
    rules: list[str] = field(default_factory=list)
    #: what was cut to fit the schema's bounds ("action 1: 612 targets, 400 kept")
    notes: list[str] = field(default_factory=list)

    @property
    def is_sanctions_news(self) -> bool:
        return bool(self.actions)


def _group_for(
    groups: list[ActionDraft], imposer: str, found: Candidate, aimed: set[str]
) -> ActionDraft:
    """The action a sentence joins: same imposer and status, unless both name different countries
    as what the measures are aimed at ("sanctions on Iran" against "on Russia"); the countries of
    individual targets do not make another action."""
    for group in groups:
        same = group.imposer == imposer and group.status == found.status
        if same and (not aimed or not group.aimed or aimed & group.aimed):
            group.aimed |= aimed
            return group
    group = ActionDraft(imposer, found.status, aimed=set(aimed))
    groups.append(group)
    return group


def _place_for(
    doc: Document, groups: list[ActionDraft], found: Candidate, subject: Mention, rule: str
) -> None:
    span = segment(doc, found.sentence, subject.code)
    area, aimed = program(doc, span, subject.code)
    group = _group_for(groups, subject.code, found, aimed)
    if subject.text and group.authority is None and subject in doc.bodies:
        group.authority = subject.text
    if not group.imposer_text and subject.end > subject.start:
        group.imposer_text = doc.text[subject.start : subject.end]
    join(group, found.sentence, span, area)
    group.fired(*found.rules, rule)


def _place(doc: Document, groups: list[ActionDraft], found: Candidate) -> None:
    """Put one candidate sentence into its action(s)."""
    sentence = found.sentence
    named = subjects(doc, found)
    if named:
        for subject in named:
            _place_for(doc, groups, found, subject, subject.rule)
        return
    if doc.signatories and ruleset("genre").has("we", sentence.text):
        for code in doc.signatories:  # "Our governments will …" in a joint statement
            signatory = Mention(code, sentence.start, sentence.start, "", "imposer.signatories")
            _place_for(doc, groups, found, signatory, "imposer.signatories")
        return
    same = [g for g in groups if g.status == found.status]
    if same:  # descriptive sentences join the development they describe
        join(same[-1], sentence, (sentence.start, sentence.end), set())
        same[-1].fired(*found.rules)
        return
    near = doc.bodies_by_start.last_before(sentence.start, 600)
    subject = near or Mention(doc.default_imposer, sentence.start, sentence.start, "", "")
    _place_for(doc, groups, found, subject, near.rule if near else "imposer.default")


def _collect(doc: Document) -> list[ActionDraft]:
    """Group the body's candidate sentences into actions; title lines join an action of the same
    imposer and status, and make one of their own only when the body has none."""
    groups: list[ActionDraft] = []
    titles: list[Candidate] = []
    for sentence in doc.sentences:
        found = candidate(doc, sentence)
        if found is None:
            continue
        if sentence.index in doc.titles:
            titles.append(found)
        elif groups and ruleset("support").has("targets_face", sentence.text):
            continue  # what the targets just named will face: the action before's measures
        else:
            _place(doc, groups, found)
    for found in titles:
        if not groups or any(g.status == found.status for g in groups):
            _place(doc, groups, found)
    for group in groups:
        group.sentences.sort(key=lambda s: (s.index in doc.titles, s.start))
    return groups


def build(text: str) -> Draft:
    """Extract the actions, officials and dates of an article. Passages that address the model
    (prompt injection) are blanked first: ``Draft.text`` is the article as the rules read it."""
    doc = Document(mask(text))
    genre = doc.genre
    groups = [] if genre is not None else _collect(doc)
    attach.support(groups, doc)
    speakers_found = attach.targets_and_speakers(groups, doc)
    attach.legal(groups, doc)
    attach.programs(groups, doc)
    counts = {i: c.value for i, g in enumerate(groups) if (c := stated_count(g)) is not None}
    attach.measures(groups, doc, counts)
    officials = (
        [{"name": s.name, "title": s.title, "organization": None} for s in speakers_found]
        if groups
        else []
    )
    names = {
        code: display_name(code, doc.text, doc.places) for code in {m.code for m in doc.places}
    }
    return Draft(
        doc.text,
        doc.sentences,
        groups,
        officials,
        doc.published,
        names,
        genre=genre.id if genre else None,
        rules=[genre.id] if genre else [],
    )


def display_name(code: str, text: str, places: list[Mention]) -> str:
    """How the article names a country: its short name if the text uses it, else the longest
    mention that is not a demonym or possessive (a dateline's capitals in title case)."""
    territory = get_territory(code.lower())
    if territory is not None:
        for name in (territory.name, territory.full_name):
            if name and re.search(rf"\b{re.escape(name)}\b", text):
                return str(name)
    forms = [re.sub(r"['\u2019]s$", "", m.text) for m in places if m.code == code]
    forms = [f.title() if f.isupper() and len(f) > 3 else f for f in forms]  # "WASHINGTON —"
    proper = [f for f in forms if not re.search(r"(?:an|ese|ish|i)$", f)]
    return max(proper or forms, key=len) if (proper or forms) else code


def _evidence(sentence: Sentence) -> str:
    text = sentence.text
    if len(text) <= MAX_EVIDENCE_CHARS:
        return text
    cut = text.rfind(" ", 0, MAX_EVIDENCE_CHARS)
    return text[: cut if cut > 40 else MAX_EVIDENCE_CHARS]


def stated_count(group: ActionDraft) -> Count | None:
    """The count of targets a sentence of the action states as its total ("In all, four entities
    and four individuals"), else the first its own sentences state, else one its support
    sentences state."""
    rules = ruleset("counts")
    totals = (s.text for s in (*group.sentences, *group.support) if rules.has("total", s.text))
    count = next((c for c in (count_in(text) for text in totals) if c is not None), None)
    if count is not None:
        return count
    segments = [
        s.text[a - s.start : b - s.start]
        for s, (a, b) in zip(group.sentences, group.spans, strict=True)
    ]
    count = next((c for c in (count_in(text) for text in segments) if c is not None), None)
    if count is None:
        count = next((c for c in (count_in(s.text) for s in group.support) if c is not None), None)
    return count


def reason_in(sentence: str, *, own: bool = True) -> str | None:
    """Why the action is taken, as ``sentence`` writes it (``rules/reasons.toml``): the first rule
    that matches gives it, cut where the sentence moves on. A sentence that only describes the
    action (not ``own``) is read by the stricter rules alone."""
    rules = ruleset("reasons")
    readers = (r for r in rules.rules if r.label not in ("end", "reject"))
    for rule in (r for r in readers if own or r.label != "that_do"):
        match = rule.pattern.search(sentence)
        if match:
            reason = match.group("reason")
            ends = [m.start() for r in rules.by_label()["end"] if (m := r.pattern.search(reason))]
            reason = reason[: min(ends, default=len(reason))].strip(" ,")
            reason = re.sub(r"\s*\([^)]*$", "", reason)  # an aside the cut left open
            return None if not reason or rules.has("reject", reason) else reason
    return None


def action_fields(group: ActionDraft) -> dict[str, Any]:
    """The :class:`SanctionAction` fields of one drafted action."""
    count = stated_count(group)
    effective = next(
        (d for d in (effective_date(s.text) for s in group.sentences) if d is not None), None
    )
    found = (
        *(reason_in(s.text) for s in group.sentences),
        *(reason_in(s.text, own=False) for s in group.support),
    )
    reason = next((r for r in found if r), None)
    targets = [
        {"name": t.name, "kind": t.kind.value, "country": _foreign(t.country, group.imposer)}
        for t in group.targets
    ]
    countries_ = (set(group.program) - {group.imposer}) | {
        t["country"] for t in targets if t["country"]
    }
    return {
        "imposer": group.imposer,
        "authority": group.authority,
        "status": group.status.value,
        "target_countries": sorted(countries_),
        "targets": targets,
        "measures": [m.value for m in group.measures],
        "reason": reason,
        "legal_basis": group.legal_basis,
        "target_count": count.value if count else None,
        "count_qualifier": count.qualifier.value if count else None,
        "effective_date": effective.isoformat() if effective else None,
        "evidence": list(dict.fromkeys(_evidence(s) for s in group.sentences[:2])),
    }


def _foreign(country: str | None, imposer: str) -> str | None:
    """A target's country as a target country: never the imposer's own (a British company the
    UK designates gives no target country; docs/datasets.md)."""
    return None if country == imposer else country


def _bounded(items: list[Any], limit: int, what: str, notes: list[str]) -> list[Any]:
    """``items`` cut to ``limit``, with a note when anything is cut (lists are never refused)."""
    if len(items) > limit:
        notes.append(f"{what}: {len(items)} found, the first {limit} kept")
    return items[:limit]


def _bounded_action(fields: dict[str, Any], number: int, notes: list[str]) -> dict[str, Any]:
    where = f"action {number}"
    for key, limit in (("targets", MAX_TARGETS), ("target_countries", 40), ("legal_basis", 20)):
        fields[key] = _bounded(fields[key], limit, f"{where} {key}", notes)
    return fields


def summary_fields(draft: Draft) -> dict[str, Any]:
    """Every :class:`SanctionsSummary` field except ``headline`` and ``summary``, within the
    schema's bounds (what is cut is noted in ``draft.notes``)."""
    notes: list[str] = []
    actions = [
        _bounded_action(action_fields(g), n, notes)
        for n, g in enumerate(_bounded(draft.actions, MAX_ACTIONS, "actions", notes), 1)
    ]
    draft.notes = notes
    return {
        "is_sanctions_news": draft.is_sanctions_news,
        "published_date": draft.published_date.isoformat() if draft.published_date else None,
        "actions": actions,
        "officials": _bounded(draft.officials, MAX_OFFICIALS, "officials", notes),
    }
