"""Attach what surrounds the action sentences: support sentences, programme countries, targets,
officials, legal bases and default measures."""

from __future__ import annotations

import re
from bisect import bisect_right

from summarizer.extract import cues
from summarizer.extract.actions import ActionDraft, aimed_before
from summarizer.extract.document import Document
from summarizer.extract.people import Speaker, speakers
from summarizer.extract.places import IMPOSING_COUNTRIES, Mention
from summarizer.extract.policy import Facts, default_measures
from summarizer.extract.rules import ruleset
from summarizer.extract.spans import ByStart
from summarizer.extract.targets import NamedTarget, targets
from summarizer.schema import Status
from summarizer.sentences import Sentence

_QUOTE_START = re.compile(r"^[\"\u201c\u2018']")
_HOLDERS = {Status.IMPOSED, Status.LIFTED, Status.EASED, Status.EXTENDED}


def _owner(
    groups: list[ActionDraft], starts: list[list[int]], sentence: Sentence
) -> ActionDraft | None:
    """The action whose latest sentence before ``sentence`` is the closest (or the first)."""
    best, best_start = (groups[0] if groups else None), -1
    for group, group_starts in zip(groups, starts, strict=True):
        index = bisect_right(group_starts, sentence.start) - 1
        if index >= 0 and group_starts[index] > best_start:
            best, best_start = group, group_starts[index]
    return best


def support(groups: list[ActionDraft], doc: Document) -> None:
    """Sentences that describe a development without announcing it lend it measures and counts."""
    used = {s.index for g in groups for s in g.sentences}
    starts = [sorted(s.start for s in g.sentences) for g in groups]
    for sentence in doc.sentences:
        text = sentence.text
        if (
            sentence.index in used
            or sentence.index in doc.titles
            or cues.is_background(text)
            or cues.is_other_sense(text)
            or _QUOTE_START.match(text)
        ):
            continue
        owner = _owner(groups, starts, sentence)
        if owner is None:
            continue
        owner.support.append(sentence)
        if owner.imposer == "US" and owner.status is Status.IMPOSED:
            continue  # US designations block property; context words are not further measures
        if not cues.describes_action(text):
            continue
        for measure in cues.measures_in(text):
            if measure not in owner.measures:
                owner.measures.append(measure)


def _dominant(doc: Document) -> set[str]:
    counts: dict[str, int] = {}
    for mention in doc.places:
        if mention.code not in IMPOSING_COUNTRIES and not doc.in_victim_context(mention):
            counts[mention.code] = counts.get(mention.code, 0) + 1
    return {max(counts, key=lambda c: counts[c])} if counts else set()


def programs(groups: list[ActionDraft], doc: Document) -> None:
    """An action that names no country is aimed at the article's most mentioned one; no action is
    aimed at a jurisdiction that imposes another action of the article."""
    imposers = {g.imposer for g in groups}
    fallback = _dominant(doc) - imposers
    for group in groups:
        group.program -= imposers - group.program.intersection(_explicit(group, doc))
        if not group.program and fallback and not _thematic(group):
            group.program = set(fallback)
            group.fired("program.dominant_country")


def _thematic(group: ActionDraft) -> bool:
    """True when an action falls under a thematic programme (``rules/thematic.toml``): by its
    legal bases, or by the sentence that announces it."""
    rules = ruleset("thematic")
    texts = [group.sentences[0].text, *group.legal_basis]
    return any(rules.has("thematic", text) for text in texts)


def _explicit(group: ActionDraft, doc: Document) -> set[str]:
    """Countries an action's sentences name right after "on"/"against"."""
    found = set()
    for sentence in group.sentences:
        for mention in doc.places_by_start.between(sentence.start, sentence.end):
            if aimed_before(doc, mention, sentence.start):
                found.add(mention.code)
    return found


def targets_and_speakers(groups: list[ActionDraft], doc: Document) -> list[Speaker]:
    """Attach named targets to the actions that hold them; return the people who speak."""
    in_actions = {s.index for g in groups for s in g.sentences}
    found_speakers = speakers(doc.sentences)
    spoken = {sp.name.lower() for sp in found_speakers}
    actors = {_bare_name(n) for g in groups for n in (g.imposer_text, g.authority) if n}
    named = [
        t
        for t in targets(doc.sentences, doc.text, in_actions, doc.titles)
        if t.name.lower() not in spoken and _bare_name(t.name) not in actors
    ]
    _attach_targets(groups, named, doc.bodies_by_start)
    return found_speakers


def _bare_name(name: str) -> str:
    """A name without its article and case ("the Albanese Government" → "albanese government"):
    an actor named as it acts is no target of its own action."""
    return re.sub(r"^the\s+", "", name.strip(), flags=re.I).lower()


def _attach_targets(
    groups: list[ActionDraft], found: list[NamedTarget], bodies: ByStart[Mention]
) -> None:
    holders = [g for g in groups if g.status in _HOLDERS]
    if not holders:
        return
    for target in found:
        near = bodies.last_before(target.start)
        same = [g for g in holders if near is not None and g.imposer == near.code]
        (same or holders)[0].targets.append(target)


def _distance(starts: list[int], position: int) -> int:
    """How far ``position`` is from the nearest of the sorted ``starts``."""
    index = bisect_right(starts, position)
    near = starts[max(0, index - 1) : index + 1]
    return min(abs(start - position) for start in near)


def legal(groups: list[ActionDraft], doc: Document) -> None:
    """Legal instruments go to the nearest action of their jurisdiction, wherever the text names
    them (boilerplate says "The designations were made under …" too); their programme country
    joins the action's countries (``rules/programs.toml``)."""
    starts = {id(g): sorted(s.start for s in g.sentences) for g in groups}
    for found in doc.legal:
        owners = [g for g in groups if g.imposer == found.jurisdiction] or (
            groups[:1] if not found.jurisdiction else []
        )
        if not owners:
            continue
        owner = min(owners, key=lambda g: _distance(starts[id(g)], found.start))
        if found.value not in owner.legal_basis:
            owner.legal_basis.append(found.value)
    for group in groups:
        for basis in group.legal_basis:
            rule = ruleset("programs").first(basis)
            if rule is not None and rule.label not in group.program:
                group.program.add(rule.label)
                group.fired(rule.id)


def measures(groups: list[ActionDraft], doc: Document, counts: dict[int, int]) -> None:
    """Default measures by policy (``rules/policy.toml``): what an action implies."""
    named = cues.measures_in(doc.text)
    for index, group in enumerate(groups):
        facts = Facts(
            group.imposer,
            group.legal_basis,
            len(group.targets),
            group.measures,
            named,
            group.status,
            counts.get(index, 0),
        )
        group.measures, fired = default_measures(facts)
        group.fired(*fired)
