"""Name-shaped spans: the pieces of a person's or an organization's name, and tests on them.

Repetitions are bounded so that matching stays linear in the text's length, however long a run of
capitalized words an input holds.
"""

from __future__ import annotations

import re
from functools import cache

from rigour.names import extract_org_types

from summarizer.extract.places import countries, org_words
from summarizer.extract.rules import expand, phrase_list, phrases
from summarizer.schema import TargetKind

UPPER = "A-Z\u00c0-\u00de"
_WORD = (
    rf"(?:[{UPPER}][\w\u00c0-\u024f'\u2019.&+/-]{{0,40}}"
    rf"|(?:al|el|bin|ibn|abu)-[{UPPER}][\w\u00c0-\u024f'\u2019-]{{0,40}}|[0-9][\w-]{{0,20}})"
)
_CONNECT = r"(?:of|the|and|for|de|del|la|al|el|bin|ibn|von|van|da|dos|du|ve|y|e|&)"
LEGAL_FORM = expand(r"(?:,?\s+<<list:legal_forms>>)")
#: A capitalized name of at most ten words, joined by connectors, with an optional legal form.
NAME = rf"{_WORD}(?:\s+(?:{_CONNECT}\s+){{0,2}}{_WORD}){{0,9}}{LEGAL_FORM}?"
_PARTICLES = {"al", "bin", "de", "del", "la", "ibn", "von", "van", "da", "dos", "el"}
_PREFIX = re.compile(
    r"^(?:[A-Z][\w'\u2019.]*(?:\s+[A-Z][\w'\u2019.]*)*-(?:flagged|based|registered|owned)\s+|"
    r"(?:the\s+)?(?:vessel|tanker|ship|M/T|MT|MV)\s+)",
    re.I,
)
_DATE_LIKE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+\d|^(?:\d{1,2}\s+)?"
    r"(?:JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER|"
    r"January|February|March|April|May|June|July|August|September|October|November|December)\b"
)


@cache
def _title_words() -> frozenset[str]:
    return frozenset(w.lower() for w in phrase_list("title_words"))


@cache
def _title_nouns() -> frozenset[str]:
    return frozenset(w.lower() for w in phrase_list("title_nouns"))


def is_title_word(word: str) -> bool:
    """True for a word of an office or honorific ("Secretary", "Deputy", "Mr.")."""
    return word.lower().strip(",") in _title_words()


def kind_of(name: str, context: str = "") -> TargetKind:
    """Person, organization or vessel, from the name's shape and legal form and the context."""
    if re.search(r"\bIMO\b|\bvessel\b|\btanker\b|\bship\b", context[:200]) and name.isupper():
        return TargetKind.VESSEL
    if extract_org_types(name) or org_words().search(name):
        return TargetKind.ORGANIZATION
    words = name.split()
    if 2 <= len(words) <= 5 and all(
        w[0].isupper() or w.lower() in _PARTICLES or w.startswith("al-") for w in words
    ):
        return TargetKind.PERSON
    return TargetKind.ORGANIZATION


def strip_titles(name: str) -> str:
    """Drop leading office words ("Attorney General Thida Oo" → "Thida Oo"); empty if only titles."""
    if org_words().search(name) or name.isupper():
        return name
    words = name.split()
    while len(words) > 2 and (
        is_title_word(words[0])
        or words[0].lower() in _title_nouns()
        or words[0] in {"Hon", "Honourable", "Senator"}
    ):
        words.pop(0)
    while words and words[-1] in {"MP", "MEP", "MP."}:
        words.pop()
    return " ".join(words)


def clean(name: str) -> str:
    """A found name without descriptors, trailing words after a legal form, or punctuation."""
    name = _PREFIX.sub("", name)
    name = re.sub(rf"^(.*?{LEGAL_FORM})\s+[A-Z].*$", r"\1", name)
    if not re.search(r"(?:Ltd|Co|Inc|Corp|S\.A|C\.V|plc)\.$", name):
        name = name.strip(" ,;:.")
    else:
        name = name.strip(" ,;:")
    return re.sub(r"^(?:The|the)\s+", "", name)


@cache
def _not_names() -> re.Pattern[str]:
    return re.compile(rf"^{expand('<<list:not_names>>')}\b")


@cache
def _place_name() -> re.Pattern[str]:
    return re.compile(rf"\s{expand('<<list:place_nouns>>')}$")


def plausible(name: str) -> bool:
    """True when a span can be a target's name: not a date, heading, office, list or place, nor a
    run that opens in lower case ("of Amol")."""
    if len(name) < 3 or len(name) > 120 or name[0].islower():
        return False
    if _not_names().match(name) or (name.isupper() and _not_names().match(name.title())):
        return False
    if _place_name().search(name) and " of " not in name:
        return False  # a province, county or district, not a body "of" one
    if phrases("not_targets", case=True).search(name) or _DATE_LIKE.search(name):
        return False
    if " " not in name and name.endswith("s") and name[:-1].isalpha() and name[1:].islower():
        return False  # a capitalized plural noun ("Gangs", "Banks")
    found = countries(name)
    if found and len(found[0].text) >= len(name) - 2:
        return False  # a bare country, demonym or capital
    words = name.split()
    if all(is_title_word(w) or w.lower() in _title_nouns() for w in words):
        return False  # only office words ("Acting Director")
    return not name.isupper() or len(words) <= 8
