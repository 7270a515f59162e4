"""Find the sentences that announce a sanctions development and group them into actions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from summarizer.extract import cues
from summarizer.extract.document import LIST_GAP, TARGET_NOUN_AFTER, Document
from summarizer.extract.facts import NUMBER, dates, latest_date, partial_dates
from summarizer.extract.places import IMPOSING_COUNTRIES, Mention
from summarizer.extract.rules import Hit, ruleset
from summarizer.extract.targets import NamedTarget
from summarizer.schema import Measure, Status
from summarizer.sentences import Sentence

#: fewest words of a capitals-only line read as a headline (shorter ones are section heads: "BRITAIN")
CAPITALS_HEADLINE_WORDS = 6
_CONDITIONAL = re.compile(r"\b(?i:if|unless)\b|\bShould [A-Z]|\b(?:would|will) face\b")
_QUOTE_START = re.compile(r"^[\"\u201c\u2018']")
#: the words before a country the measures aim at: "on", "against", "banned nine" ("on 11 Americans")
_AIMED_BEFORE = re.compile(
    rf"\b(?:on|against|targeting|targets|banned|barred|sanctioned|designated)\s+(?:the\s+)?"
    rf"(?:{NUMBER}\s+)?$",
    re.I,
)
#: how far before a country :data:`_AIMED_BEFORE` looks
_AIMED_WINDOW = 30
_BY_AGENT = re.compile(r"\bby (?:the )?$")
_LISTED_SUBJECTS = re.compile(r"^(?:\s*,\s*|\s*,?\s+and\s+|\s*,\s*and\s+)(?:the\s+)?$")
#: A dated event this many days before the article's own date is background.
PAST_DAYS = 7


@dataclass
class ActionDraft:
    """One action under construction, with the ids of the rules that made it."""

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
    rules: list[str] = field(default_factory=list)
    #: countries its sentences name as what the measures are aimed at ("sanctions on Iran")
    aimed: set[str] = field(default_factory=set)

    @property
    def start(self) -> int:
        return self.sentences[0].start

    def fired(self, *ids: str) -> None:
        """Record rule ids that shaped this action (once each)."""
        self.rules.extend(i for i in ids if i and i not in self.rules)


@dataclass(frozen=True)
class Candidate:
    """A sentence that announces a development: its status and the rules that said so."""

    sentence: Sentence
    status: Status
    rules: tuple[str, ...]
    verb: Hit | None


def _dated_past(doc: Document, sentence: Sentence, scope_end: int) -> bool:
    """True when the sentence dates its development well before the article's own date."""
    if doc.reference is None:
        return False
    limit = doc.reference - timedelta(days=PAST_DAYS)
    scope = sentence.text[:scope_end]
    found = [value for value, _, _ in dates(scope)] + partial_dates(scope, doc.reference)
    return any(value < limit for value in found)


def told_before(text: str, reference: date | None) -> bool:
    """Whether the latest date a text gives is :data:`PAST_DAYS` or more before ``reference``."""
    if reference is None:
        return False
    latest = latest_date(text, reference)
    return latest is not None and latest < reference - timedelta(days=PAST_DAYS)


_NOT_NARRATIVE = re.compile(r"\b(?:has|have|is|are|will|would|shall|plans?|today|now)\b", re.I)
_SIMPLE_PAST = re.compile(
    r"\b(?:\w+ed|froze|took|put|cut|set|struck|hit|made|began|brought|drew)\b"
)


def _narrated_past(doc: Document, sentence: Sentence, verb: Hit | None) -> bool:
    """True when an undated sentence in the simple past goes on with the story of the sentence
    before it in its paragraph, which dates it well before the article ("In January 2016 the
    deal took effect. That evening, the EU terminated most of its measures.")."""
    if doc.reference is None or sentence.index == 0 or _NOT_NARRATIVE.search(sentence.text):
        return False
    told = verb.text.split(" ", 1)[0].lower() if verb else sentence.text
    if not _SIMPLE_PAST.search(told):
        return False
    if cues.is_current(sentence.text) or latest_date(sentence.text, doc.reference):
        return False  # dated now ("on Friday") or by its own date
    before = doc.sentences[sentence.index - 1]
    if before.paragraph != sentence.paragraph:
        return False
    return told_before(before.text, doc.reference)


def _cue_end(text: str) -> int | None:
    """Where the clause of a sentence's first sanctions word ends, roughly, when no action verb
    carries it ("The United States has removed X from its sanctions list, …")."""
    start = cues.sanctions_cue_start(text)
    return start + CUE_CLAUSE if start is not None and start < 160 else None


#: characters a sanctions word's clause is taken to run on after it
CUE_CLAUSE = 30


def candidate(doc: Document, sentence: Sentence) -> Candidate | None:
    """The sentence as an action candidate, or None when it does not announce a development."""
    text = sentence.text
    cue = cues.sanctions_rule(text)
    if len(text) < 25 or cue is None or sentence.start >= doc.tail or cues.is_other_sense(text):
        return None
    verb = ruleset("verbs").search(text)
    verb_end = verb.end if verb and verb.start < 160 else _cue_end(text)
    if cues.is_background(text, verb_end):
        return None
    scope = cues.past_scope_end(text, verb_end)
    if (text.isupper() and len(text.split()) < CAPITALS_HEADLINE_WORDS) or _dated_past(
        doc, sentence, scope
    ):
        return None
    if _narrated_past(doc, sentence, verb):
        return None
    rule = cues.status_rule(text)
    status = Status(rule.label) if rule else Status.IMPOSED
    if sentence.index in doc.background_sections and status is not Status.THREATENED:
        return None  # a background section recaps the past; readiness to act is still news
    quoted = _QUOTE_START.match(text) is not None or doc.in_quotation(sentence)
    if quoted and not (status is Status.THREATENED and _CONDITIONAL.search(text)):
        return None  # officials' quotes carry conditional threats, not the announcement itself
    if status is Status.IMPOSED and verb is None:
        return None
    ids = (cue.id, rule.id if rule else "status.default_imposed")
    return Candidate(sentence, status, ids + ((verb.id,) if verb else ()), verb)


def _inside(doc: Document, sentence: Sentence) -> list[Mention]:
    return doc.imposers_by_start.between(sentence.start, sentence.end)


def subjects(doc: Document, found: Candidate) -> list[Mention]:
    """The imposers a sentence names as its subject: the last sanctioning body or imposing country
    before its first action cue (near its start when the cue comes first), or several when the
    subject lists jurisdictions ("The United States, Britain and Canada imposed …")."""
    sentence = found.sentence
    inside = _inside(doc, sentence)
    if not inside:
        return []
    cue = found.verb.start if found.verb else cues.sanctions_cue_start(sentence.text)
    position = sentence.start + (cue if cue is not None else len(sentence.text))
    partners = _partners(doc, inside)
    inside = [m for i, m in enumerate(inside) if i not in partners and not _conditioned(doc, m)]
    if not inside:
        return []
    before = [m for m in inside if m.start < position]
    if not before:
        agent = [m for m in inside if _BY_AGENT.search(doc.text[max(0, m.start - 8) : m.start])]
        if agent and agent[0].start - position < 160:
            return [agent[0]]  # passive: "… subject to a travel ban by the Australian Government"
        first = inside[0]  # the subject when the sentence opens with it, not the verb's object
        return [first] if first.start - sentence.start < 80 and not _aims(doc, first) else []
    listed = [before[-1]]
    for mention in reversed(before[:-1]):
        gap = doc.text[mention.end : listed[0].start]
        if not _LISTED_SUBJECTS.match(gap):
            break
        listed.insert(0, mention)
    distinct = {m.code: m for m in listed}
    return list(distinct.values()) if len(distinct) > 1 else [before[-1]]


_CONDITIONED = re.compile(r"\b(?:[Ii]f|[Uu]nless|[Ss]hould)\s+(?:the\s+)?$")


def _conditioned(doc: Document, mention: Mention) -> bool:
    """Whether a jurisdiction is named as the party a condition is about ("… if Britain continued
    its hostile actions"): it does not act in the sentence."""
    return _CONDITIONED.search(doc.text[max(0, mention.start - 12) : mention.start]) is not None


def _partners(doc: Document, inside: list[Mention]) -> set[int]:
    """Indexes of the mentions named as partners of the acting jurisdiction (``rules/partners.toml``):
    the one after a partner phrase and the list it opens, which ends at its "and" item."""
    partners: set[int] = set()
    rules = ruleset("partners")
    for i, mention in enumerate(inside):
        if i in partners or not rules.has(
            "partner", doc.text[max(0, mention.start - 60) : mention.start]
        ):
            continue
        chain = [i]
        for j in range(i + 1, len(inside)):
            gap = doc.text[inside[j - 1].end : inside[j].start]
            if not LIST_GAP.match(gap):
                break
            chain.append(j)
            if re.search(r"\band\b", gap):
                partners.update(chain)  # "A, B and C": C closes the list
                break
        partners.add(i)  # without an "and", only the first: "With the US, the UK sanctioned …"
    return partners


def segment(doc: Document, sentence: Sentence, imposer: str) -> tuple[int, int]:
    """The part of a sentence that speaks of ``imposer``: from its mention to another jurisdiction's."""
    inside = _inside(doc, sentence)
    own = [m for m in inside if m.code == imposer]
    if not own or len({m.code for m in inside}) < 2:
        return sentence.start, sentence.end
    start = own[0].start
    others = [
        m.start
        for m in inside
        if m.code != imposer and m.start > start and not _aims(doc, m) and not _located(doc, m)
    ]
    return (sentence.start if start == inside[0].start else start), (
        min(others) if others else sentence.end
    )


def aimed_before(doc: Document, mention: Mention, floor: int = 0) -> bool:
    """True when the words right before a country mention (from ``floor`` on) aim measures at it:
    "sanctions on Iran", "against the UK", "sanctions on 11 Americans"."""
    start = max(floor, mention.start - _AIMED_WINDOW)
    return _AIMED_BEFORE.search(doc.text[start : mention.start]) is not None


def _aims(doc: Document, mention: Mention) -> bool:
    """True when a country mention names whom measures aim at, by the words around it ("sanctions
    on 11 Americans", "227 U.S. citizens"), so it opens no other jurisdiction's part."""
    if TARGET_NOUN_AFTER.match(doc.text[mention.end : mention.end + 40]):
        return True
    return aimed_before(doc, mention)


def _aimed_at(doc: Document, mention: Mention, imposer: str) -> bool:
    """True when a country mention in an action's span can name what the measures are aimed at:
    not the imposer, not a victim or scene, and an imposing country only as the nationality of the
    targets ("13 American military companies", "227 U.S. citizens")."""
    if mention.code == imposer or doc.in_victim_context(mention):
        return False
    if _aims(doc, mention):
        return True
    return mention.code not in IMPOSING_COUNTRIES and not doc.is_imposer(mention)


def program(doc: Document, span: tuple[int, int], imposer: str) -> tuple[set[str], set[str]]:
    """Countries a sentence's measures are aimed at: those right after "on"/"against" when there
    are such, else every country it mentions that can name a target (:func:`_aimed_at`); and
    the first kind alone."""
    start, end = span
    inside = [m for m in doc.places_by_start.between(start, end) if _aimed_at(doc, m, imposer)]
    aimed = {m.code for m in inside if aimed_before(doc, m, start) and not _based(doc, m)}
    return (aimed or {m.code for m in inside}), aimed


_LOCATED_BEFORE = re.compile(
    r"\b(?:based|located|registered|headquartered|operating) in (?:the )?$"
)


def _located(doc: Document, mention: Mention) -> bool:
    """Whether a country is named as where targets are ("entities based in Iran and Russia"):
    it opens no other jurisdiction's part of the sentence."""
    if _based(doc, mention):
        return True
    before = doc.text[max(0, mention.start - 40) : mention.start]
    previous = doc.places_by_start.last_before(mention.start - 1, 40)
    if previous is not None and LIST_GAP.match(doc.text[previous.end : mention.start]):
        before = doc.text[max(0, previous.start - 40) : previous.start]  # "… in Iran and Russia"
    return _LOCATED_BEFORE.search(before) is not None


def _based(doc: Document, mention: Mention) -> bool:
    """Whether a country mention only says where a target is based ("designated Hong Kong-based
    X"): the target's country, which does not by itself say the programme the measures aim at."""
    return doc.text[mention.end : mention.end + 8].startswith(("-based", "-registered", "-flagged"))


def join(group: ActionDraft, sentence: Sentence, span: tuple[int, int], area: set[str]) -> None:
    """Add a sentence (its ``span`` for this imposer) and the countries it aims at to an action."""
    group.sentences.append(sentence)
    group.spans.append(span)
    group.program |= area
    segment_text = sentence.text[span[0] - sentence.start : span[1] - sentence.start]
    for measure, rule in cues.measure_rules(segment_text):
        if measure not in group.measures:
            group.measures.append(measure)
            group.fired(rule)
