"""Named targets: persons, organizations, vessels and aircraft named where designations are described.

Finders propose name spans in the places designations are written (designation paragraphs, lists
after "designated" or a colon, numbered and SDN-style entries, vessels with IMO numbers); filters drop
what is not a target (dates, headings, offices, lists, places, people referred to as "Mr"/"Ms", the
officials who speak); a name that only repeats or abbreviates another is dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from summarizer.extract import cues
from summarizer.extract.names import (
    LEGAL_FORM,
    NAME,
    UPPER,
    clean,
    is_title_word,
    kind_of,
    plausible,
    strip_titles,
)
from summarizer.extract.places import countries, is_demonym, org_words
from summarizer.extract.rules import expand
from summarizer.schema import TargetKind
from summarizer.sentences import Sentence

#: At most this many targets are read from one article (long annexes are cut, with a note).
MAX_FOUND = 2000


@dataclass(frozen=True)
class NamedTarget:
    """A named party found where designations are described."""

    name: str
    kind: TargetKind
    country: str | None
    start: int


@dataclass(frozen=True)
class _Found:
    name: str
    start: int
    context: str
    kind: TargetKind | None = None
    country: str | None = None


_LEAD = re.compile(
    rf"^(?:The\s+)?(?P<name>{NAME})(?=\s*\(|,\s+(?:a|an|the|also|which|who|based|located|registered|both|"
    r"[A-Z][\w-]+ (?:General|Director|Secretary|Minister|Chairman|Head|President|Commander|official|member)|"
    r"President|Secretary|Director|Minister|Chairman|Chairwoman|Head|Chief|Commander|Governor|Mayor|Judge|"
    r"Justice|Member|Deputy|General|[\w-]+-based"
    r")\b|\s+(?:is|was|are|were|has|have|had|serves|served|operates|operated|owns|owned|controls|controlled|"
    r"provides|provided|manages|managed|acts|acted|supplied|shipped|sold|bought|procured|facilitated|helped|"
    r"arranges|arranged|runs|ran|leads|led|heads|headed|also|placed|handled|moved|marketed|used|built|"
    r"coordinated|directed|oversaw|oversees)\b)"
)
_AND_LEAD = re.compile(
    rf"^(?P<a>{NAME})\s+and\s+(?P<b>{NAME})\s+(?:are|were|have|had|placed|supplied|handled|ran|run|own|"
    r"helped|sold|shipped|arranged|coordinated|operate|operated|moved)\b"
)
_LIST_LINE = re.compile(
    rf"^(?:\d+[.)]\s+|[-*\u2022]\s+)?(?P<name>{NAME})(?=\s*(?:\(|,|;|:|$)|\s+[-\u2013\u2014]+\s)"
)
#: an entry written "SURNAME, Given Names" on a line of its own ("- KOVALEV, Vitaliy Nikolayevich")
_SURNAME_FIRST = re.compile(
    r"^(?:\d+[.)]\s+|[-*\u2022]\s+)?(?P<name>[A-Z][A-Z'\u2019-]+(?:\s[A-Z][A-Z'\u2019-]+)*,"
    r"\s+[A-Z][a-z'\u2019-]+(?:\s+[A-Z][a-z'\u2019-]+){0,3})\s*$"
)
_NUMBERED = re.compile(rf"^\d+[.)]\s+(?P<name>{NAME})(?=\.\s|\s*\(|,|;|:|\s+[-\u2013\u2014/|]|$)")
_INTRO = re.compile(
    rf"^(?:The\s+)?(?P<name>{NAME})(?=\s*\((?!IMO)|,\s+(?:a|an|also an?|both)\s+(?:[\w'\u2019-]+\s+){{0,3}}"
    r"(?:national|citizen|company|firm|entity|based|registered|located|subsidiary)|,\s+(?:both\s+)?[\w-]+-based,|"
    r"\s+(?:is|was|were|are)\s+"
    r"(?:also\s+)?(?:being\s+)?designated)"
)
_NATIONAL = re.compile(
    rf"(?P<name>{NAME}),\s+(?:a|an|also an?)\s+(?P<dem>[{UPPER}][\w'\u2019-]*(?:\s+[{UPPER}][\w'\u2019-]*)?)\s+"
    r"(?:national|citizen|businessman|businesswoman)\b"
)
_NATIONAL_BEFORE = re.compile(
    rf"\b(?P<dem>[{UPPER}][\w'\u2019-]*(?:\s+[{UPPER}][\w'\u2019-]*)?)\s+(?:national|citizen|businessman|"
    rf"businesswoman)\s+(?P<name>{NAME})"
)
#: SDN-style entries: "CHASDAI, David Chai, Israel; nationality Israel (individual) [PROGRAM]."
_SDN_PERSON = re.compile(
    rf"^(?:\d+[.)]\s+)?(?P<name>[{UPPER}][{UPPER}'\u2019 -]{{1,40}},\s+[{UPPER}][\w\u00c0-\u024f'\u2019.-]+"
    rf"(?:\s+[{UPPER}][\w\u00c0-\u024f'\u2019.-]+){{0,3}})(?=\s*(?:\(|,|;))"
)
_SDN_ENTITY = re.compile(
    rf"^(?:\d+[.)]\s+)?(?P<name>[{UPPER}0-9][{UPPER}0-9 &.'\u2019()-]{{1,80}}?(?:,?\s+[{UPPER}][{UPPER}.]+)?)"
    r"(?=,\s+[A-Z][a-z]|\s*\(a\.k\.a\.|\s*;|\s*\[)"
)
_SDN_MARK = re.compile(
    r"\[[A-Z0-9][A-Z0-9 -]{2,30}\]|\bDOB\b|\bnationality\b|\bRegistration (?:ID|Number)\b"
)
_VESSEL = re.compile(
    rf"(?P<name>[{UPPER}][{UPPER}0-9 .'-]{{1,40}}?|{NAME})\s*(?:\(|,|-|\u2013|\u2014)\s*"
    r"(?:IMO|IMO [Nn]o\.?|IMO number)[:\s]*(?P<imo>\d{7})"
)
_VESSEL_APPOSITION = re.compile(
    rf"\b(?:the\s+)?(?P<name>[{UPPER}][{UPPER}0-9 '-]{{2,30}}[{UPPER}0-9]),\s+an?\s+(?:[\w-]+\s+){{0,2}}"
    r"(?:tanker|vessel|ship|carrier)\b"
)
_ALIASED = re.compile(
    rf"(?P<name>{NAME})\s*\((?:a\.k\.a\.\s*|also known as\s*)?[\"\u201c]?(?P<alias>[{UPPER}][\w\u00c0-\u024f'\u2019.&+ -]{{1,40}})[\"\u201d]?\)"
)
_LIST_TRIGGER = re.compile(
    r"(?::|\s--|\s\u2014|\b(?:designat(?:ed|es|ing)|sanction(?:ed|ing)|listed|listing|added|adding|targeted|"
    r"targeting|removed|removing|including|include[sd]?|are|were|was|on|against|among them|such as|namely|"
    r"identified (?:them|it|him|her) as|assets of)\b)\s+(?!that\b|which\b|who\b)"
)
LIST_CONTEXT = re.compile(
    r"\b(?:designat|sanction|listed|listing|added|targets?\b|froze|frozen|freez|travel ban|asset|annex|"
    r"removed|delist|blacklist|barred|identified them)",
    re.I,
)
#: what follows the first words of a legal instrument's title ("Cyber (Sanctions) (EU Exit) …")
_INSTRUMENT_AFTER = re.compile(
    r"^\s*(?:\((?:Sanctions|Asset-Freezing|EU Exit)\)|(?:Sanctions\s+)?(?:Regulations|Act|Order)\b)"
)
#: a section's title before its first lettered clause ("Prohibited Dealings. (a) Except …")
_SECTION_AFTER = re.compile(r"^\.?\s*\((?:[a-z]|[ivx]+|\d{1,2})\)\s")
_HONORIFIC = re.compile(r"\b(?:Mr|Ms|Mrs|Dr|Miss)\.?\s+$")
#: a person named as the victim of what the sanctions answer ("the death of Mahsa Amini")
#: what happened to a victim, before "of" and the victim's name ("the persecution of …")
_VICTIM_NOUNS = (
    r"death|deaths|case|arrest|detention|imprisonment|poisoning|killing|murder|sentencing|trial|"
    r"persecution|release|jailing|assassination|treatment"
)
_VICTIM_OF = re.compile(
    rf"\b(?:{_VICTIM_NOUNS}) of (?:the )?(?:\w+ ){{0,3}}$"
    r"|\b(?:campaign|fight|war|struggle|operations?|coalition) against (?:the )?$"
    r"|\b(?:release|free) (?:Mr\.?|Ms\.?|Mrs\.?)?\s*$",
    re.I,
)
_ABSTRACT = re.compile(r"^[A-Z][a-z]+(?:tion|sion|ment|ity|ance|ence|ing|ness|ism|ship)$")
_CODE_LIKE = re.compile(r"^(?:[A-Z]{2,5}\d{2,}|[A-Z]{1,3}|[A-Z]\.(?:[A-Z]\.?)+)$")
_SPLIT_AND = re.compile(rf"(?P<left>.*?{LEGAL_FORM})\s+and\s+(?P<right>[{UPPER}0-9].*)$")
_LOCATED = re.compile(
    r"\b(?:based|located|registered|incorporated|headquartered|flagged|operating)\s+in\s+(?:the\s+)?"
    r"(?P<place>[A-Z][\w'\u2019 ,()-]{2,60})"
)
_ADDRESS = re.compile(
    r"\b(?:located at|address(?:ed)? at|at the address|registered at|whose address is|offices? (?:at|in)"
    r"|[Aa]ddress(?:es)?:|POB:|[Pp]lace of birth:)\s+"
    r"(?P<place>[^.;)\n]{5,140})"
)
_BASED = re.compile(
    r"(?P<place>[A-Z][\w'\u2019.]*(?:\s+[A-Z][\w'\u2019.]*)*)-(?:based|flagged|registered|headquartered)\b"
)
_DEMONYM_NATIONAL = re.compile(
    r"\b(?:a|an|both|also an?|the)\s+(?P<dem>[A-Z][\w'\u2019 -]{2,30}?)\s+(?:national|citizen|businessman|"
    r"businesswoman|oligarch|official|politician|company|firm|entity|bank|distributor|manufacturer)s?\b"
)
_SDN_COUNTRY = re.compile(
    r"\b(?:[Nn]ationality|[Cc]itizenship):?\s+(?P<place>[A-Z][\w ]{2,40}?)(?:;|\.|\s\(|\s*\||\n|$)"
    r"|\bFlag:?\s+(?P<flag>[A-Z][\w ]{2,30}?)(?:\s|;|$)"
)


_FLAGGED_BEFORE = re.compile(
    r"(?P<place>[A-Z][\w'\u2019]+(?:\s+[A-Z][\w'\u2019]+)?)-flagged(?:\s+[\w-]+){0,4}\s*$"
)
_FLAGGED_AFTER = re.compile(
    r"\b(?:[Ff]lag(?:ged)?(?: (?:in|of|state))?:?\s+(?:the\s+)?|sails under the flag of\s+(?:the\s+)?)"
    r"(?P<place>[A-Z][\w'\u2019]+(?:\s+[A-Z][\w'\u2019]+)?)"
)


def _flag(before: str, after: str) -> str | None:
    """A vessel's flag: "Panama-flagged tanker X", "X (IMO …), flagged in Gabon", "Flag: Comoros"."""
    match = _FLAGGED_BEFORE.search(before) or _FLAGGED_AFTER.search(after)
    found = countries(match.group("place")) if match else []
    return found[0].code if found else None


def _country_near(context: str) -> str | None:
    """The country a target's own words give: nationality, base, registration or flag."""
    sdn = _SDN_COUNTRY.search(context[:300])
    if sdn:
        found = countries(sdn.group("place") or sdn.group("flag") or "")
        if found:
            return found[0].code
    patterns = (
        (_DEMONYM_NATIONAL, "dem"),
        (_LOCATED, "place"),
        (_ADDRESS, "place"),
        (_BASED, "place"),
    )
    for pattern, group in patterns:
        match = pattern.search(context)
        if match:
            found = countries(match.group(group))
            if found:
                return found[-1].code if pattern in (_LOCATED, _ADDRESS) else found[0].code
    return None


#: how far after a list trigger its names are read (a list longer than this is read in pieces)
_LIST_WINDOW = 1200


def _list_items(sentence: str) -> Iterator[tuple[str, int]]:
    """Names enumerated after a designation verb, a colon or a dash: "designated A, B and C"."""
    triggers = list(_LIST_TRIGGER.finditer(sentence))
    for trigger, following in zip(triggers, [*triggers[1:], None][: len(triggers)], strict=True):
        rest_start = trigger.end()
        stop = following.start() if following is not None else len(sentence)
        rest = sentence[rest_start : min(stop, rest_start + _LIST_WINDOW)]
        position = 0
        for piece in _pieces(rest):
            offset = rest.find(piece, position)
            position = max(position, offset + len(piece))
            piece = _bare(re.sub(r"^(?:(?:and|the|also|former)\s+)+", "", piece.strip()))
            match = re.match(NAME, piece)
            if not match or not piece[:1].isupper():
                continue
            name = strip_titles(match.group(0))
            if name and (
                kind_of(name) is TargetKind.PERSON or org_words().search(name) or " " not in name
            ):
                yield name, rest_start + max(offset, 0)


def _pieces(rest: str) -> list[str]:
    """A list's items. Items parted by semicolons say what each is ("Zhu Hailun, a former Party
    Secretary of the Political and Legal Affairs Committee; …; and the Public Security Bureau"):
    an "and" parts one only after a whole name."""
    if ";" in rest:
        return [part for item in re.split(r";|\s+--\s+", rest) for part in _and_parts(item)]
    return re.split(
        rf",{_NOT_FORM}\s*|\s+and\s+(?=[{UPPER}]|the\s+[{UPPER}])|\s+--\s+",
        rest,
    )


def _and_parts(item: str) -> list[str]:
    """An item parted at "and" where what comes before is a whole name: a person's or an
    organization's ("Cosmos Lines Inc and Austinship …", "Ayub Kataev and Abuzayed …"), not the
    first words of an organization's ("Xinjiang Production and Construction Corps …")."""
    item = re.sub(r"^\s*(?:and\s+)?", "", item)
    parts = re.split(rf"\s+and\s+(?=[{UPPER}]|the\s+[{UPPER}])", item)
    whole = all(
        re.search(LEGAL_FORM, f" {p}") or kind_of(_bare(p)) is TargetKind.PERSON for p in parts[:-1]
    )
    return parts if whole else [item]


#: a comma that closes a name's legal form ("Co., Ltd., for …") does not part list items
_NOT_FORM = expand(r"(?!\s+<<list:legal_forms>>\.?(?:[,;)]|\s+[a-z]|$))")


@cache
def _descriptor() -> re.Pattern[str]:
    """What describes a list item before its name: articles, possessives, demonyms and place-based
    adjectives, lowercase words, ending in a descriptor noun ("Russian businessman", "the
    Moscow-based bank", "Haitian gang leader")."""
    noun = expand("<<list:descriptor_nouns>>")
    lead = r"(?:(?:a|an|the|his|her|its|their)\s+)?"
    words = (
        r"(?:(?:[A-Z][\w'\u2019-]*-based|[A-Z][a-z]+(?:an|ian|ese|ish|i|ch)|[a-z][\w-]*)\s+){0,4}?"
    )
    return re.compile(rf"^{lead}{words}(?:{noun})\s+(?=[{UPPER}])")


def _bare(piece: str) -> str:
    """A list item without what describes it before its name; a demonym before a title too
    ("Russian Deputy Defence Minister Alexei Krivoruchko" → "Deputy Defence Minister …"), not one
    that begins a name ("Russian Railways")."""
    piece = re.sub(r"^(?:Mr|Ms|Mrs|Dr|Miss)\.?\s+", "", _descriptor().sub("", piece, count=1))
    words = piece.split(" ", 2)
    if len(words) > 2 and _is_demonym(words[0]) and is_title_word(words[1]):
        piece = piece.split(" ", 1)[1]
    return piece


def _is_demonym(word: str) -> bool:
    """Whether a capitalized word is a nationality ("Russian", "Haitian"), not a name."""
    found = countries(word)
    return len(found) == 1 and found[0].end - found[0].start == len(word) and is_demonym(found[0])


_NEXT_ENTRY = re.compile(r"\n\s*\d{1,3}[.)]\s")
_ROW = re.compile(rf"^(?P<name>{NAME})\s*\|[^|\n]*\|")


def _zone(sentences: list[Sentence], action_sentences: set[int]) -> set[int]:
    """Sentences where designations are described: action sentences, sentences that speak of
    listing and are not background, the rest of their paragraphs, and the lines a colon opens."""
    zone: set[int] = set()
    open_paragraph: int | None = None
    listing = False
    for sentence in sentences:
        described = sentence.index in action_sentences or (
            LIST_CONTEXT.search(sentence.text) is not None and not cues.is_background(sentence.text)
        )
        if described:
            zone.add(sentence.index)
            open_paragraph = sentence.paragraph
            listing = sentence.text.rstrip().endswith(":")
        elif sentence.paragraph == open_paragraph or (listing and len(sentence.text) < 400):
            zone.add(sentence.index)
        else:
            listing = False
    return zone


def _line_finders(sentence: Sentence, text: str) -> Iterator[_Found]:
    """Entries that stand on their own line: numbered, SDN-style, vessels with IMO numbers."""
    context = text[sentence.start : sentence.start + 400]
    following = _NEXT_ENTRY.search(context, 1)
    context = context[: following.start()] if following else context  # this entry's lines only
    if _SDN_MARK.search(sentence.text) or _SDN_MARK.search(context[:300]):
        for pattern in (_SDN_PERSON, _SDN_ENTITY):
            match = pattern.match(sentence.text)
            if match:
                kind = TargetKind.PERSON if pattern is _SDN_PERSON else None
                yield _Found(match.group("name").strip(" ,"), sentence.start, context, kind)
                break
    numbered = _NUMBERED.match(sentence.text) or _ROW.match(sentence.text)
    if numbered:
        yield _Found(numbered.group("name"), sentence.start + numbered.start("name"), context)
    for vessel in (*_VESSEL.finditer(sentence.text), *_VESSEL_APPOSITION.finditer(sentence.text)):
        start = sentence.start + vessel.start()
        before = sentence.text[max(0, vessel.start() - 60) : vessel.start()]
        after = sentence.text[vessel.start() : vessel.start() + 200]
        yield _Found(vessel.group("name"), start, after, TargetKind.VESSEL, _flag(before, after))


def _national_finders(sentence: Sentence) -> Iterator[_Found]:
    for national in (*_NATIONAL.finditer(sentence.text), *_NATIONAL_BEFORE.finditer(sentence.text)):
        place = countries(national.group("dem"))
        if place:
            start = sentence.start + national.start("name")
            yield _Found(national.group("name"), start, "", TargetKind.PERSON, place[0].code)


def _subject_finders(sentence: Sentence, text: str) -> Iterator[_Found]:
    """A name that opens a sentence about it ("X (X), a PRC-based …", "X is …", "A and B placed
    …"), and names given with an alias."""
    context = text[sentence.start : sentence.start + 400]
    lead = _LEAD.match(sentence.text)
    if lead and (len(sentence.text) > 60 or "(" in sentence.text):
        yield _Found(lead.group("name"), sentence.start, context)
    intro = _INTRO.match(sentence.text)
    if intro:
        yield _Found(intro.group("name"), sentence.start, context)
    both = _AND_LEAD.match(sentence.text)
    if both:
        for group in ("a", "b"):
            yield _Found(both.group(group), sentence.start + both.start(group), context)
    for aliased in _ALIASED.finditer(sentence.text):
        alias = aliased.group("alias")
        if (
            (alias.isupper() and len(alias) <= 6)
            or countries(alias)
            or re.match(r"E\.O\.|IMO|No\.", alias)
        ):
            continue  # an acronym such as (OFAC), (PRC), (E.O.), not a short name
        start = sentence.start + aliased.start()
        yield _Found(aliased.group("name"), start, text[start : start + 400])


#: a bulleted line: an entry of a list whatever its punctuation ("- Maksim Viktorovich YAKUBETS")
_BULLET = re.compile(r"^[-*\u2022]\s+\S")


def _zone_finders(sentence: Sentence, text: str, first: bool) -> Iterator[_Found]:
    """Names listed in a sentence that describes designations."""
    context = text[sentence.start : sentence.start + 400]
    for item, offset in _list_items(sentence.text):
        start = sentence.start + offset
        yield _Found(item, start, text[start : start + 300])
    line = sentence.start == 0 or text[sentence.start - 1] == "\n"  # an entry on its own line
    if (
        (first or line)
        and len(sentence.text) < 200
        and (_BULLET.match(sentence.text) or re.search(r"[;,(\u2014\u2013]", sentence.text))
    ):
        listed = _SURNAME_FIRST.match(sentence.text) or _LIST_LINE.match(sentence.text)
        if listed:
            following = _NEXT_ENTRY.search(context, 1)  # this entry's lines only
            yield _Found(
                listed.group("name"),
                sentence.start + listed.start("name"),
                context[: following.start()] if following else context,
            )


def _candidates(
    sentences: list[Sentence], text: str, action_sentences: set[int], skip: set[int]
) -> Iterator[_Found]:
    zone = _zone(sentences, action_sentences)
    first_of_paragraph = {s.paragraph: s.index for s in reversed(sentences)}
    for sentence in sentences:
        if sentence.index in skip:
            continue
        yield from _line_finders(sentence, text)
        yield from _national_finders(sentence)
        if sentence.index not in action_sentences and cues.is_background(sentence.text):
            continue
        yield from _subject_finders(sentence, text)
        if sentence.index in zone:
            first = first_of_paragraph[sentence.paragraph] == sentence.index
            yield from _zone_finders(sentence, text, first)


def _normal(name: str) -> str:
    return re.sub(r"\W+", " ", name.lower()).strip()


def _common_word(name: str, words: Counter[str]) -> bool:
    """A single capitalized word that the text uses again, in lower case ("Designation") or as a
    short reference to a longer name ("Timchenko", "Aeza")."""
    return " " not in name and not name.isupper() and words[name.lower()] >= 2


def _rejected(name: str, found: _Found, text: str, words: Counter[str]) -> bool:
    before = text[max(0, found.start - 60) : found.start]
    after = text[found.start + len(found.name) : found.start + len(found.name) + 40]
    return (
        not plausible(name)
        or _INSTRUMENT_AFTER.match(after) is not None
        or _SECTION_AFTER.match(after) is not None
        or _HONORIFIC.search(before) is not None
        or _VICTIM_OF.search(before) is not None
        or name.endswith(
            (
                "'s",
                "\u2019s",
                "-based",
                "-flagged",
                "-registered",
                "-owned",
                "-linked",
                "-incorporated",
            )
        )
        or _CODE_LIKE.match(name) is not None
        or _ABSTRACT.match(name) is not None
        or _common_word(name, words)
        or (  # an ALL-CAPS subhead
            found.kind is None
            and name.isupper()
            and len(name.split()) >= 4
            and not re.search(LEGAL_FORM, name)
        )
    )


def _accept(found: _Found, text: str, words: Counter[str]) -> NamedTarget | None:
    name = clean(re.sub(r"^[A-Z][\w.-]*['\u2019]s\s+", "", found.name))
    if found.kind is not TargetKind.VESSEL:
        name = strip_titles(name)
    if _rejected(name, found, text, words):
        return None
    kind = found.kind or kind_of(name, found.context)
    return NamedTarget(name, kind, found.country or _country_near(found.context), found.start)


def _merge(first: NamedTarget, later: NamedTarget) -> NamedTarget:
    """One target found twice: its first mention, with what a line of its own says better (a vessel
    with its flag, a stated nationality)."""
    if later.kind is TargetKind.VESSEL and first.kind is not TargetKind.VESSEL:
        return NamedTarget(first.name, later.kind, later.country or first.country, first.start)
    if first.country is None and later.country is not None:
        return NamedTarget(first.name, first.kind, later.country, first.start)
    return first


def _parts(candidate: _Found) -> list[_Found]:
    """A span that joins two names with "and" ("A Co. and B LLC", "Anna Li and Wei Zhang")."""
    if " and " not in candidate.name:
        return [candidate]
    if org_words().search(candidate.name):
        both = _SPLIT_AND.match(candidate.name)
        pieces = [both.group("left"), both.group("right")] if both else [candidate.name]
    else:
        pieces = candidate.name.split(" and ")
    return [
        _Found(p, candidate.start, candidate.context, candidate.kind, candidate.country)
        for p in pieces
    ]


def targets(
    sentences: list[Sentence],
    text: str,
    action_sentences: set[int] | None = None,
    skip: set[int] | None = None,
) -> list[NamedTarget]:
    """Targets named where designations are described (not in the ``skip`` sentences, such as
    title lines), in order of first mention."""
    found: dict[str, NamedTarget] = {}
    words = Counter(w.lower() for w in re.findall(r"(?<![\w-])[\w'\u2019-]+(?![\w-])", text))
    for candidate in _candidates(sentences, text, action_sentences or set(), skip or set()):
        parts = _parts(candidate)
        for part in parts:
            target = _accept(part, text, words)
            if target is not None:
                key = _normal(target.name)
                found[key] = _merge(found[key], target) if key in found else target
        if len(found) >= MAX_FOUND:
            break
    victims = _victims(text)
    kept = [t for t in found.values() if t.name not in victims]
    return _drop_aliases(sorted(kept, key=lambda t: t.start), text)


_VICTIM_CONTEXT = re.compile(rf"\b(?i:{_VICTIM_NOUNS}) of (?:the )?(?:[a-z]+ ){{0,3}}")
_NAME_AT = re.compile(rf"(?P<name>{NAME})")


def _victims(text: str) -> set[str]:
    """Names the text gives as the victims of what the measures answer ("the persecution of
    Vladimir Kara-Murza"): never targets, wherever else the text names them."""
    found = set()
    for context in _VICTIM_CONTEXT.finditer(text):
        name = _NAME_AT.match(text, context.end())
        if name is not None:
            found.add(clean(re.split(r"\.\s|[,;:(]", name.group("name"))[0]))
    return found


def _drop_aliases(found: list[NamedTarget], text: str) -> list[NamedTarget]:
    """Remove short forms: names defined as "(Alias)" of another, or whose words are a subset of
    another's. Indexed by word, so the cost grows with the names, not their square."""
    aliases = {m.group("alias").strip().lower() for m in _ALIASED.finditer(text)}
    by_word: dict[str, list[int]] = {}
    words = [frozenset(re.findall(r"[\w'\u2019-]+", t.name.lower())) for t in found]
    for index, bag in enumerate(words):
        for word in bag:
            by_word.setdefault(word, []).append(index)
    kept = []
    for index, target in enumerate(found):
        bag = words[index]
        rarest = min(bag, key=lambda w: len(by_word[w])) if bag else ""
        longer = any(bag < words[o] for o in by_word.get(rarest, []) if o != index)
        if longer or (target.name.lower() in aliases and len(bag) <= 2):
            continue
        kept.append(target)
    return kept
