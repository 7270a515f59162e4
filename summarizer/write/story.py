"""The one adapter between the rules' draft (:mod:`summarizer.extract`) and the writer.

Everything the writer knows about an article comes from :func:`read`, in the article's own words:
how it names the imposer and the countries, the count as written, the legal bases as written, the
sentence that announces each action. When the extractors change, only this module follows them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from rigour.territories import get_territory

from summarizer.extract.actions import told_before
from summarizer.extract.cues import is_background
from summarizer.extract.draft import ActionDraft, Draft, action_fields, stated_count
from summarizer.extract.facts import Count, dates, legal_bases
from summarizer.extract.places import authorities, countries
from summarizer.extract.rules import ruleset
from summarizer.grounding import occurs
from summarizer.schema import Measure, Status

#: Actions the writer tells (the most prominent first); the rest stay in the structured fields.
MAX_ACTIONS = 4
_DATE_WRITTEN = r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4})"
#: "WASHINGTON —", "TOKYO, March 1, 2024 —", "Bern, 22 December 2023 —", "KYIV (wire) --": a place
#: in capitals, or one or two capitalized words followed by a date; then a dash
_DATELINE = re.compile(
    rf"^(?:[A-Z][A-Z .,/'-]{{2,40}}|[A-Z][\w.'-]+(?:\s[A-Z][\w.'-]+)?(?=,\s+{_DATE_WRITTEN}))"
    rf"(?:,\s+{_DATE_WRITTEN})?(?:\s+\([^)]{{1,20}}\))?\s+[\u2014\u2013-]+\s+"
)
_FULL_STOP = '.!?"\u201d'


@lru_cache(maxsize=1)
def institution_words() -> frozenset[str]:
    """First words of names that take "the" ("Office", "Council"), from ``phrases.toml``."""
    data = tomllib.loads(files("summarizer.write").joinpath("phrases.toml").read_text("utf-8"))
    return frozenset(data["articles"]["institution_words"])


@dataclass(frozen=True)
class ActionFacts:
    """One action, as the article words it."""

    imposer: str  # ISO code, EU or UN
    who: tuple[str, ...]  # how the article names the actor, preferred form first
    status: Status
    count: str | None  # the count as written ("11 individuals and 29 entities")
    places: tuple[str, ...]  # the countries aimed at, as the article names them
    place_codes: frozenset[str]
    demonyms: tuple[str, ...]  # countries aimed at that the article names only so ("Russian")
    targets: tuple[str, ...]  # named targets, in the article's order
    measures: tuple[Measure, ...]
    reason: str | None  # why, with its preposition as written ("for helping Moscow ...")
    basis: tuple[str, ...]  # legal bases, as the article writes them
    sentence: str  # the sentence that announces the action
    term: str | None = None  # how long extended or suspended measures run ("until 15 May 2025")
    when: str | None = None  # the date the announcing sentence gives the action, as written
    licence: str | None = None  # the general licence that eases, as written ("GL 44")


@dataclass(frozen=True)
class Story:
    """What the writer tells: the article's actions, or for a text without any, its lead."""

    text: str
    actions: tuple[ActionFacts, ...]
    lead: str  # the first full sentence (datelines removed)
    title: str | None  # the article's title line, when it has one
    speakers: tuple[str, ...] = ()  # the officials named as announcing, as written
    package: str | None = None  # the numbered package the actions form, as written
    details: tuple[str, ...] = ()  # the actions' other sentences, in the article's order


def _strip(sentence: str) -> str:
    return _DATELINE.sub("", sentence.strip())


def _basis_as_written(values: list[str], text: str) -> tuple[str, ...]:
    """Each legal basis in the article's spelling: the normalized form when the article uses it,
    else the shortest form it does use."""
    surfaces: dict[str, list[str]] = {}
    for found in legal_bases(text):
        surfaces.setdefault(found.value, []).append(text[found.start : found.end])
    written = []
    for value in values:
        forms = surfaces.get(value, [])
        written.append(value if occurs(value, text) or not forms else min(forms, key=len))
    return tuple(dict.fromkeys(written))


def _who(group: ActionDraft, draft: Draft) -> tuple[str, ...]:
    """The imposer as the article names it, with "the" where the article uses it or the name is
    an institution's ("the Office of Foreign Assets Control"); the country's name in the article
    when the rules found no name for the actor."""
    text, forms = draft.text, list[str]()
    country = draft.country_names.get(group.imposer)
    for name in (group.imposer_text, group.authority, country):
        if forms and name == country:
            break
        if not name or not occurs(name, text):
            continue
        name = re.sub(r"^[Tt]he\s+", "", re.sub(r"['\u2019]s$", "", name))  # not "Japan's"
        if _demonym(group.imposer, name):  # "Australian" acts as "the Australian government"
            forms.append(f"the {name} government")
            continue
        article = re.search(rf"\b[Tt]he\s+{re.escape(name)}\b", text) or (
            name.split()[0] in institution_words() and len(name.split()) > 1
        )
        forms.append(f"the {name}" if article else name)
    return tuple(dict.fromkeys(forms)) or (group.imposer,)


#: the words that open a reason in an article (see ``extract/rules/reasons.toml``)
_REASON_OPENERS = (
    "for|over|amid|in response to|in retaliation for|in connection with|because of|that|who"
)


def _reason(reason: str | None, text: str) -> str | None:
    """The reason with the words that introduce it in the article ("for their role in ...",
    "that help Moscow acquire ..."); None when the article does not write it so."""
    if not reason:
        return None
    pattern = rf"\b(?:{_REASON_OPENERS})\s+(?:\w+\s+)?{re.escape(reason)}"
    found = re.search(pattern, text) or re.search(pattern, text, re.I)
    return found.group(0) if found else None


def _statement(group: ActionDraft) -> str:
    """The first full sentence of an action (not a title line)."""
    texts = [s.text for s in group.sentences]
    return _strip(next((t for t in texts if t[-1] in _FULL_STOP), texts[0]))


def _places(group: ActionDraft, codes: list[str], draft: Draft) -> tuple[str, ...]:
    """The countries aimed at that the article names by name (not only by a demonym such as
    "Russian"), as it names them, in the order the action's sentences (then the article) first
    name them."""
    told = " ".join(s.text for s in group.sentences) + " " + draft.text
    names = {n for c in codes if (n := _country(c, draft))}
    return tuple(
        sorted(names, key=lambda n: (told.find(n.removeprefix("the ")) % (len(told) + 1), n))
    )


#: country names English always writes with "the" ("in the United States")
_ALWAYS_THE = re.compile(
    r"^(?:United |(?:Democratic |Islamic |People's |Federal )?Republic of |Kingdom of |"
    r"Czech Republic$|Netherlands$|Philippines$|Central African Republic$|Dominican Republic$)"
)


#: endings of plural country names ("the Netherlands", "the Philippines"; not "Belarus", "Cyprus")
_PLURAL_ENDINGS = ("lands", "ines", "amas", "ives", "oros", "elles")
#: a noun after a name that makes it an adjective ("the Belarus regime", "the North Korea sanctions")
_NOUN_AFTER = (
    r"(?!\s+(?:sanctions|regime|program|programme|government|authorities|measures|listings|"
    r"designations|case|crisis|file|conflict|talks|issue)\b)"
)


def _country(code: str, draft: Draft) -> str | None:
    """How the article names a country ("the United Arab Emirates" where it says so), or None
    when it has only a demonym or no name for it."""
    named = (draft.country_names.get(code) or "").rstrip(".")
    if not named or not re.search(rf"(?<!\w){re.escape(named)}(?!\w)", draft.text):
        return None
    if _demonym(code, named):
        return None
    # "the" where the article puts it before the name itself ("the United Arab Emirates"), for
    # names of several words or plural ones; not "the Syria" from "the Syria sanctions program"
    takes_the = " " in named or named.endswith(_PLURAL_ENDINGS)
    the = takes_the and re.search(rf"\bthe {re.escape(named)}\b(?!\s*\(){_NOUN_AFTER}", draft.text)
    return f"the {named}" if the or _ALWAYS_THE.match(named) else named


#: endings of one-word demonyms that do not start like the country's name ("Polish", "Dutch")
_DEMONYM_ENDINGS = ("ish", "ian", "ese", "ean", "ani", "ch")


def _demonym(code: str, named: str) -> bool:
    """Whether ``named`` is the country's demonym ("Russian" for Russia), not its name."""
    territory = get_territory(code.lower())
    short = str(territory.name) if territory is not None and territory.name else ""
    if not short or " " in named or named == short:
        return False
    return named.startswith(short[:-1]) or named.endswith(_DEMONYM_ENDINGS)


def _demonyms(codes: list[str], draft: Draft) -> tuple[str, ...]:
    """The countries the article names only by a demonym, as it writes it ("Russian")."""
    named = [(c, draft.country_names.get(c, "")) for c in codes]
    return tuple(n for c, n in named if n and _demonym(c, n) and n in draft.text)


def _action(group: ActionDraft, draft: Draft) -> ActionFacts:
    """One drafted action in the article's terms."""
    fields = action_fields(group)
    stated = stated_count(group)
    codes = sorted(set(group.program) | set(fields["target_countries"]))
    return ActionFacts(
        imposer=group.imposer,
        who=_who(group, draft),
        status=group.status,
        count=_count_written(stated),
        places=_places(group, codes, draft),
        demonyms=_demonyms(codes, draft),
        place_codes=frozenset(group.program),
        targets=tuple(dict.fromkeys(t.name for t in group.targets)),
        measures=tuple(group.measures),
        reason=_reason(fields["reason"], draft.text),
        basis=_basis_as_written(group.legal_basis, draft.text),
        sentence=_statement(group),
        term=_term(group),
        when=_when(group),
        licence=_licence(group),
    )


#: statuses whose actions have a term worth telling
_TERMED = frozenset({Status.EXTENDED, Status.EASED})


def _term(group: ActionDraft) -> str | None:
    """How long an extended or suspended action's measures run, as its sentences write it."""
    if group.status not in _TERMED:
        return None
    found = (ruleset("duration").search(s.text) for s in group.sentences)
    return next((hit.text for hit in found if hit is not None), None)


#: a general licence as articles write it ("Syria General License (GL) 25", "General Licence INT/2022/1")
_LICENCE = re.compile(
    r"\b(?:[A-Z][a-z]+ )?General Licen[cs]e (?:\(GL\) )?(?:No\. )?[A-Z]{0,4}[/\d][\w/.-]*\d[A-Z]?\b"
)


def _licence(group: ActionDraft) -> str | None:
    """The general licence an eased action issues, as its sentences write it; None otherwise."""
    if group.status is not Status.EASED:
        return None
    found = (_LICENCE.search(s.text) for s in (*group.sentences, *group.support))
    return next((m.group(0) for m in found if m is not None), None)


#: words before a date that make it another date than the action's: an end, a start of effect,
#: an instrument's date, a birth date
_NOT_WHEN = re.compile(
    r"(?:\b(?:until|till|through|to|expir\w*|effective|from|by|before|since|after|of|born|DOB|"
    r"dated)\s+(?:on\s+)?|[(:]\s*)$",
    re.IGNORECASE,
)


#: statuses whose date is the action's own (an announcement or a threat dates only its words)
_DATED = frozenset({Status.IMPOSED, Status.LIFTED, Status.EASED, Status.EXTENDED})


def _when(group: ActionDraft) -> str | None:
    """The full date the action's announcing sentence gives it ("27 January 2025", "Jan. 10,
    2025" from its dateline), as written; None when it gives none, or only an end or an
    instrument's date."""
    if not group.sentences or group.status not in _DATED:
        return None
    text = group.sentences[0].text
    for _, start, end in dates(text):
        if not _NOT_WHEN.search(text[max(0, start - 25) : start]):
            return text[start:end]
    return None


def _count_written(stated: Count | None) -> str | None:
    """The count as written, with the parts a second verb adds ("55 individuals and 37
    entities"; "22 individuals and entities, and 13 vessels")."""
    if stated is None or not stated.text:
        return None
    *before, last = [_count_text(stated.text), *stated.also]
    if not before:
        return last
    comma = "," if " and " in " ".join(before) else ""
    return f"{', '.join(before)}{comma} and {last}"


def _count_text(text: str) -> str:
    """The count as written, without the capital of a sentence's first word ("Up to 100",
    "Five entities"): a count opens with its qualifier or number, never a name, so only an
    acronym ("U.S.") keeps its capitals."""
    first = text.split(" ", 1)[0]
    return text[:1].lower() + text[1:] if first[1:] == first[1:].lower() else text


def _lead(draft: Draft) -> str:
    """The article's first full sentence of some length: what the text is about."""
    full = [_strip(s.text) for s in draft.sentences if s.text[-1] in _FULL_STOP]
    long = [s for s in full if len(s.split()) >= 8]
    return (long or full or [_strip(draft.text)])[0]


def _title(draft: Draft) -> str | None:
    """The first line, when it is a title: no full stop, a few words, a paragraph of its own."""
    if len(draft.sentences) < 2 or draft.sentences[1].paragraph == draft.sentences[0].paragraph:
        return None
    first = _strip(draft.sentences[0].text)
    return first if first[-1] not in _FULL_STOP and len(first.split()) >= 4 else None


_PACKAGE = re.compile(
    r"\b(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
    r"tenth|eleventh|twelfth)\s+(?:sanctions\s+)?package\b(?:\s+of\s+sanctions)?",
    re.I,
)


#: how many of the article's first sentences may name the package its actions form
PACKAGE_LEAD = 3


def _package(groups: list[ActionDraft], draft: Draft) -> str | None:
    """The numbered package the actions' sentences name ("the 12th sanctions package"), else
    the one the article's title or lead names, when it is not background there."""
    own = [s.text for group in groups for s in group.sentences]
    lead = [s.text for s in draft.sentences[:PACKAGE_LEAD] if not is_background(s.text)]
    for sentence in (*own, *(lead if groups else ())):
        found = _PACKAGE.search(sentence)
        if found:
            return found.group(0)
    return None


_FIRST_PERSON = re.compile(r"\b(?:I|we|We|our|Our|us|my|My)\b")
#: sentences that are no prose of the article: quotes, list dashes, captions, footnotes and the
#: numbered entries of an annex ("[Photo: …", "[5] Department for …", "Photo: …", "(Reporting by …",
#: "11. SHENZHEN … \u2013 Address: …")
_ASIDE = re.compile(
    r"^(?:[\"\u201c-]|\[|\((?:Reporting|Editing|Additional)|(?:Photo|Caption|Image)\b)"
    r"|^\d{1,3}[.)]\s|\b(?:Address|DOB|Date of birth|a\.k\.a\.|Passport|IMO|Nationality)\s*:"
    r"|\b(?:FOR FURTHER INFORMATION|CONTACT|[Tt]el\.|Telephone|E-?mail)\b\s*:"
    r"|^(?:Position|Title|Designation|Other [Ii]nformation|Listed on|Group ID|UK Sanctions List Ref)\s*:"
    r"|\[(?:SDGT|SDNT|SDNTK|NPWMD|IFSR|IRGC|CYBER\d?|RUSSIA-EO\d+|[A-Z]+-EO\d+)\]"
    r"|\b(?:Organization Established Date|Company Number|Registration Number|Linked To)\b"
)


def _details(groups: list[ActionDraft], draft: Draft) -> tuple[str, ...]:
    """The actions' sentences other than the ones that announce them, and the sentences that
    describe them, in the article's order: full sentences of prose, not quotes or titles."""
    told = {g.sentences[0].index for g in groups if g.sentences}
    picked = {
        s.index: _strip(s.text)
        for g in groups
        for s in (*g.sentences[1:], *g.support)
        if s.index not in told and s.text[-1:] in _FULL_STOP and not _ASIDE.search(s.text)
    }
    return tuple(
        text
        for _, text in sorted(picked.items())
        if len(text.split()) >= 8
        and not _FIRST_PERSON.search(text)
        and not text.isupper()
        and not is_background(text)
        and not ruleset("detail").has("not_news", text)
        and not told_before(text, draft.published_date)
    )


def read(draft: Draft) -> Story:
    """The writer's view of a draft."""
    groups = draft.actions[:MAX_ACTIONS]
    actions = tuple(_action(group, draft) for group in groups)
    speakers = tuple(dict.fromkeys(str(o["name"]) for o in draft.officials))
    return Story(
        draft.text,
        actions,
        _lead(draft),
        _title(draft),
        speakers,
        _package(groups, draft),
        _details(groups, draft),
    )


def parties(text: str) -> set[str]:
    """Codes of the sanctioning bodies and countries a written text names."""
    return {m.code for m in authorities(text)} | {m.code for m in countries(text)}
