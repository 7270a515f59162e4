"""Assemble extracted candidates into the fields of a :class:`SanctionsSummary` (no model involved)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rigour.territories import get_territory

from summarizer.extract import cues
from summarizer.extract.facts import Count, count_in, dates, effective_date, legal_bases
from summarizer.extract.people import NamedTarget, speakers, targets
from summarizer.extract.places import IMPOSING_COUNTRIES, Mention, authorities, countries
from summarizer.extract.policy import APPLIES_TO, Facts, default_measures
from summarizer.extract.rules import ruleset
from summarizer.extract.text import Sentence, split_sentences
from summarizer.injection import mask
from summarizer.schema import Measure, Status

MAX_EVIDENCE_CHARS = 400
_REASON = re.compile(
    r"\b(?:for (?:their |its |his |her |having |the )?|over (?:its |their |the )?|in response to (?:the )?|because of (?:their |its )?)"
    r"(?P<reason>(?:role|involvement|support|supporting|helping|providing|facilitating|operating|being|acting|contributing|undermining|"
    r"supplying|procuring|financing|laundering|human rights|corruption|serious|gross|malicious|cyber|drone|weapons|the war|Russia|Iran|"
    r"participat|engag|violat|abus|attack|destabili|repress|evad|circumvent)[^.;:]{5,140})",
    re.I,
)
_CONDITIONAL = re.compile(r"\bif\b|\bunless\b|\bShould [A-Z]|\b(?:would|will) face\b")
_QUOTE_START = re.compile(r"^[\"\u201c\u2018']")
_NEWS_LEAD_DATE = re.compile(r"\b(?:since|from|until|before|after|in|by|through)\s+$", re.I)


@dataclass
class ActionDraft:
    """One action under construction."""

    imposer: str
    status: Status
    sentences: list[Sentence] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    support: list[Sentence] = field(default_factory=list)
    program: set[str] = field(default_factory=set)
    authority: str | None = None
    imposer_text: str = ""
    targets: list[NamedTarget] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    legal_basis: list[str] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.sentences[0].start


@dataclass
class Draft:
    """Everything extracted from one article."""

    text: str
    sentences: list[Sentence]
    actions: list[ActionDraft]
    officials: list[dict[str, Any]]
    published_date: date | None
    country_names: dict[str, str]

    @property
    def is_sanctions_news(self) -> bool:
        return bool(self.actions)


def _nearest(mentions: list[Mention], position: int, window: int) -> Mention | None:
    before = [m for m in mentions if position - window <= m.start <= position]
    return before[-1] if before else None


def _explicit_imposer(sentence: Sentence, mentions: list[Mention]) -> Mention | None:
    """The imposer a sentence names as its subject: the last sanctioning body or imposing country
    before its first action cue (or near its start when the cue comes first)."""
    inside = [m for m in mentions if sentence.start <= m.start < sentence.end]
    if not inside:
        return None
    verb = ruleset("verbs").search(sentence.text)
    cue = verb.start if verb else cues.sanctions_cue_start(sentence.text)
    position = sentence.start + (cue if cue is not None else len(sentence.text))
    before = [m for m in inside if m.start < position]
    if before:
        return before[-1]
    return inside[0] if inside[0].start - sentence.start < 80 else None


def _segment(sentence: Sentence, mentions: list[Mention], imposer: str) -> tuple[int, int]:
    """The part of a sentence that speaks of ``imposer``: from its mention to another jurisdiction's."""
    inside = [m for m in mentions if sentence.start <= m.start < sentence.end]
    own = [m for m in inside if m.code == imposer]
    if not own or len({m.code for m in inside}) < 2:
        return sentence.start, sentence.end
    start = own[0].start
    others = [m.start for m in inside if m.code != imposer and m.start > start]
    return (sentence.start if start == inside[0].start else start), (
        min(others) if others else sentence.end
    )


def _default_imposer(text: str, bodies: list[Mention], places: list[Mention]) -> str:
    lead_end = min(len(text), 1200)
    lead = [m for m in bodies if m.start < lead_end]
    if lead:
        return lead[0].code
    own = [m for m in places if m.start < lead_end and m.code in IMPOSING_COUNTRIES]
    return own[0].code if own else "US"


_AIMED = re.compile(r"\b(?:on|against|targeting|targets|over)\s+(?:the\s+)?$", re.I)


def _program(start: int, end: int, places: list[Mention], imposer: str, text: str) -> set[str]:
    """Countries a sentence's measures are aimed at: those right after "on"/"against" when there
    are such, else every non-imposing country it mentions."""
    inside = [
        m
        for m in places
        if start <= m.start < end and m.code not in IMPOSING_COUNTRIES and m.code != imposer
    ]
    aimed = {m.code for m in inside if _AIMED.search(text[max(start, m.start - 14) : m.start])}
    return aimed or {m.code for m in inside}


def _dominant(places: list[Mention]) -> set[str]:
    counts: dict[str, int] = {}
    for mention in places:
        if mention.code not in IMPOSING_COUNTRIES:
            counts[mention.code] = counts.get(mention.code, 0) + 1
    return {max(counts, key=lambda c: counts[c])} if counts else set()


def _published(text: str) -> date | None:
    for value, start, _ in dates(text[:600]):
        if not _NEWS_LEAD_DATE.search(text[max(0, start - 12) : start]):
            return value
    return None


def _evidence(sentence: Sentence) -> str:
    text = sentence.text
    if len(text) <= MAX_EVIDENCE_CHARS:
        return text
    cut = text.rfind(" ", 0, MAX_EVIDENCE_CHARS)
    return text[: cut if cut > 40 else MAX_EVIDENCE_CHARS]


def _candidate(sentence: Sentence) -> Status | None:
    text = sentence.text
    verb = ruleset("verbs").search(text)
    if len(text) < 25 or not cues.is_sanctions_sentence(text) or cues.is_other_sense(text):
        return None
    if cues.is_background(text, verb.end if verb and verb.start < 160 else None):
        return None
    if text.isupper() and len(text) < 120:
        return None
    status = cues.status_of(text)
    if _QUOTE_START.match(text) and not (status is Status.THREATENED and _CONDITIONAL.search(text)):
        return None  # officials' quotes carry conditional threats, not the announcement itself
    if status is Status.IMPOSED and verb is None:
        return None
    return status


def build(text: str) -> Draft:
    """Extract the actions, officials and dates of an article. Passages that address the model
    (prompt injection) are blanked first: ``Draft.text`` is the article as the rules read it."""
    text = mask(text)
    sentences = split_sentences(text)
    legal = legal_bases(text)
    bodies = [m for m in authorities(text) if not any(f.start <= m.start < f.end for f in legal)]
    places = countries(text)
    imposers = sorted(
        bodies + [m for m in places if m.code in IMPOSING_COUNTRIES], key=lambda m: m.start
    )
    default = _default_imposer(text, bodies, places)
    groups: list[ActionDraft] = []
    for sentence in sentences:
        status = _candidate(sentence)
        if status is None:
            continue
        subject = _explicit_imposer(sentence, imposers)
        if subject is None:
            same = [g for g in groups if g.status == status]
            if same:  # descriptive sentences join the development they describe
                _join(same[-1], sentence, (sentence.start, sentence.end), set())
                continue
            near = _nearest(bodies, sentence.start, 600)
            subject = near or Mention(default, sentence.start, sentence.start, "")
        imposer = subject.code
        span = _segment(sentence, imposers, imposer)
        program = _program(*span, places, imposer, text)
        group = next(
            (
                g
                for g in groups
                if g.imposer == imposer
                and g.status == status
                and (not program or not g.program or program & g.program)
            ),
            None,
        )
        if group is None:
            group = ActionDraft(imposer, status)
            groups.append(group)
        if subject.text and group.authority is None and subject in bodies:
            group.authority = subject.text
        if not group.imposer_text and subject.end > subject.start:
            group.imposer_text = text[subject.start : subject.end]
        _join(group, sentence, span, program)
    _attach_support(groups, sentences)
    fallback = _dominant(places)
    for group in groups:
        group.program = group.program or set(fallback)
    in_actions = {s.index for g in groups for s in g.sentences}
    speakers_found = speakers(sentences)
    spoken = {sp.name.lower() for sp in speakers_found}
    named = [t for t in targets(sentences, text, in_actions) if t.name.lower() not in spoken]
    _attach_targets(groups, named, bodies)
    _attach_legal(groups, text, sentences)
    _default_measures(groups, text)
    officials = (
        [{"name": s.name, "title": s.title, "organization": None} for s in speakers_found]
        if groups
        else []
    )
    names = {code: display_name(code, text, places) for code in {m.code for m in places}}
    return Draft(text, sentences, groups, officials, _published(text), names)


def display_name(code: str, text: str, places: list[Mention]) -> str:
    """How the article names a country: its short name if the text uses it, else the longest
    mention that is not a demonym or possessive."""
    territory = get_territory(code.lower())
    if territory is not None:
        for name in (territory.name, territory.full_name):
            if name and re.search(rf"\b{re.escape(name)}\b", text):
                return str(name)
    forms = [re.sub(r"['\u2019]s$", "", m.text) for m in places if m.code == code]
    proper = [f for f in forms if not re.search(r"(?:an|ese|ish|i)$", f)]
    return max(proper or forms, key=len)


def _attach_support(groups: list[ActionDraft], sentences: list[Sentence]) -> None:
    """Sentences that describe a development without announcing it lend it measures and counts."""
    used = {s.index for g in groups for s in g.sentences}
    for sentence in sentences:
        text = sentence.text
        if (
            sentence.index in used
            or cues.is_background(text)
            or cues.is_other_sense(text)
            or _QUOTE_START.match(text)
        ):
            continue
        earlier = [g for g in groups if g.start <= sentence.start]
        owner = (
            max(
                earlier,
                key=lambda g: max(s.start for s in g.sentences if s.start <= sentence.start),
            )
            if earlier
            else (groups[0] if groups else None)
        )
        if owner is None:
            continue
        owner.support.append(sentence)
        if owner.imposer == "US" and owner.status is Status.IMPOSED:
            continue  # US designations block property; context words are not further measures
        for measure in cues.measures_in(text):
            if measure not in owner.measures:
                owner.measures.append(measure)


def _join(group: ActionDraft, sentence: Sentence, span: tuple[int, int], program: set[str]) -> None:
    group.sentences.append(sentence)
    group.spans.append(span)
    group.program |= program
    segment = sentence.text[span[0] - sentence.start : span[1] - sentence.start]
    for measure in cues.measures_in(segment):
        if measure not in group.measures:
            group.measures.append(measure)


def _attach_targets(
    groups: list[ActionDraft], found: list[NamedTarget], bodies: list[Mention]
) -> None:
    holders = [
        g
        for g in groups
        if g.status in {Status.IMPOSED, Status.LIFTED, Status.EASED, Status.EXTENDED}
    ]
    if not holders:
        return
    for target in found:
        near = _nearest(bodies, target.start, 100000)
        same = [g for g in holders if near is not None and g.imposer == near.code]
        (same or holders)[0].targets.append(target)


def _attach_legal(groups: list[ActionDraft], text: str, sentences: list[Sentence]) -> None:
    boiler = [(s.start, s.end) for s in sentences if cues.boilerplate_rule(s.text)]
    for found in legal_bases(text):
        if any(start <= found.start < end for start, end in boiler):
            continue
        owners = [g for g in groups if g.imposer == found.jurisdiction] or (
            groups[:1] if not found.jurisdiction else []
        )
        if not owners:
            continue
        owner = min(owners, key=lambda g: min(abs(s.start - found.start) for s in g.sentences))
        if found.value not in owner.legal_basis:
            owner.legal_basis.append(found.value)


def _default_measures(groups: list[ActionDraft], text: str) -> None:
    named = cues.measures_in(text)
    for group in groups:
        if group.status not in APPLIES_TO:
            continue
        facts = Facts(group.imposer, group.legal_basis, len(group.targets), group.measures, named)
        group.measures, _ = default_measures(facts)


def stated_count(group: ActionDraft) -> Count | None:
    """The count of targets the action's own sentences state, else one its support sentences state."""
    segments = [
        s.text[a - s.start : b - s.start]
        for s, (a, b) in zip(group.sentences, group.spans, strict=True)
    ]
    count = next((c for c in (count_in(text) for text in segments) if c is not None), None)
    if count is None:
        count = next((c for c in (count_in(s.text) for s in group.support) if c is not None), None)
    return count


def action_fields(group: ActionDraft) -> dict[str, Any]:
    """The :class:`SanctionAction` fields of one drafted action."""
    count = stated_count(group)
    effective = next(
        (d for d in (effective_date(s.text) for s in group.sentences) if d is not None), None
    )
    reason = next(
        (m.group("reason").strip() for m in (_REASON.search(s.text) for s in group.sentences) if m),
        None,
    )
    countries_ = set(group.program) | {t.country for t in group.targets if t.country}
    return {
        "imposer": group.imposer,
        "authority": group.authority,
        "status": group.status.value,
        "target_countries": sorted(countries_),
        "targets": [
            {"name": t.name, "kind": t.kind.value, "country": t.country} for t in group.targets
        ],
        "measures": [m.value for m in group.measures],
        "reason": reason,
        "legal_basis": group.legal_basis,
        "target_count": count.value if count else None,
        "count_qualifier": count.qualifier.value if count else None,
        "effective_date": effective.isoformat() if effective else None,
        "evidence": list(dict.fromkeys(_evidence(s) for s in group.sentences[:2])),
    }


def summary_fields(draft: Draft) -> dict[str, Any]:
    """Every :class:`SanctionsSummary` field except ``headline`` and ``summary``."""
    return {
        "is_sanctions_news": draft.is_sanctions_news,
        "published_date": draft.published_date.isoformat() if draft.published_date else None,
        "actions": [action_fields(g) for g in draft.actions],
        "officials": draft.officials,
    }
