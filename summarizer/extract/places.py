"""Countries (names, demonyms, capitals) and sanctioning authorities found in text, with offsets."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import countrynames
import pycountry
from countrynames.util import normalize_name

from summarizer.extract.rules import phrases, ruleset
from summarizer.extract.spans import Intervals

# Capitalized words, optionally joined by lower-case connectors ("Republic of the Congo").
_CAPITALIZED = re.compile(
    r"(?:[A-Z\u00c0-\u00de][\w\u00c0-\u024f'\u2019.]*|U\.S\.|U\.K\.)"
    r"(?:(?:\s+(?:of|the|and|del|de)\s+|\s+|-)(?:[A-Z\u00c0-\u00de][\w\u00c0-\u024f'\u2019.]*))*"
)
_NOT_COUNTRIES = {"EU", "UN", "European", "Union", "Treasury", "Georgia State", "Brussels"}
_EXTRA = {"PRC": "CN", "U.S.": "US", "U.K.": "GB", "DPRK": "KP", "Türkiye": "TR", "Turkiye": "TR",
          "Burmese": "MM", "Emirati": "AE", "Hong Kong": "HK", "Macau": "MO", "Macao": "MO"}  # fmt: skip


# Short tokens are too ambiguous ("IT", "AS", "Li") unless they are well-known abbreviations.
_SHORT = {
    "UAE",
    "USA",
    "UK",
    "US",
    "PRC",
    "ROK",
    "KSA",
    "Iran",
    "Iraq",
    "Cuba",
    "Oman",
    "Mali",
    "Chad",
    "Peru",
    "Fiji",
    "Laos",
    "Togo",
}


@dataclass(frozen=True)
class Mention:
    """A span of text that names something with a code."""

    code: str
    start: int
    end: int
    text: str
    rule: str = "place.country_name"


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """countrynames' table of normalized names (loaded by its first lookup)."""
    countrynames.to_code("")
    table = getattr(countrynames, "COUNTRY_NAMES", None)
    return table if isinstance(table, dict) else {}


def _lookup(phrase: str) -> str | None:
    """``countrynames.to_code`` without its per-call scan of every code (2 ms a call): the same
    normalization and table, looked up directly."""
    table = _names()
    if not table:  # a countrynames without the table: its own, slower path
        return countrynames.to_code(phrase, fuzzy=False)
    name = normalize_name(phrase.upper().strip())
    code = table.get(name) if name else None
    return None if code in (None, "FAIL") else code


@lru_cache(maxsize=1)
def capitals() -> dict[str, str]:
    """Capitals that stand for their governments (``rules/capitals.toml``)."""
    path = files("summarizer.extract").joinpath("rules", "capitals.toml")
    table = tomllib.loads(path.read_text(encoding="utf-8")).get("capitals", {})
    return {str(k): str(v) for k, v in table.items()}


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    """Cities that locate targets (``rules/cities.toml``)."""
    path = files("summarizer.extract").joinpath("rules", "cities.toml")
    table = tomllib.loads(path.read_text(encoding="utf-8")).get("cities", {})
    return {str(k): str(v) for k, v in table.items()}


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    """Country names (short, common, official) that end like demonyms ("Japan", "Oman")."""
    names = set()
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "common_name", None)):
            if name:
                names.add(name.split(",")[0].split(" (")[0])
    return frozenset(names)


_DEMONYM_END = re.compile(r"(?:an|ese|ish|ian|ean|i|ic|ch|ot|ese)$")


def is_capital(mention: Mention) -> bool:
    """True when a country mention is its capital ("Seoul", "Oslo")."""
    return re.sub(r"['\u2019]s$", "", mention.text) in capitals()


def is_demonym(mention: Mention) -> bool:
    """True when a country mention is an adjective ("Canadian", "Chinese"), not a name."""
    text = re.sub(r"['\u2019]s$", "", mention.text)
    if text in _country_names() or text in capitals() or text in _cities() or text in _EXTRA:
        return False
    return _DEMONYM_END.search(text) is not None


@lru_cache(maxsize=20000)
def _code(phrase: str) -> str | None:
    if phrase in _EXTRA:
        return _EXTRA[phrase]
    if phrase in capitals():
        return capitals()[phrase]
    if phrase in _cities():
        return _cities()[phrase]
    if phrase.endswith("ans") or phrase.endswith("ese"):
        singular = _code(phrase[:-1]) if phrase.endswith("ans") else None
        if singular:
            return singular  # "Americans", "Iranians": people of a country
    bare = phrase.strip(" .'\u2019").removesuffix("'s").removesuffix("\u2019s")
    if bare != phrase:  # "Pyongyang's", "Tehran's"
        return _code(bare)
    if phrase in _NOT_COUNTRIES or (len(phrase) < 4 and phrase not in _SHORT):
        return None
    if phrase.isupper() and len(phrase) > 4:  # ALL-CAPS names in lists: look up in title case
        phrase = phrase.title()
    code = _lookup(phrase)
    if not code:
        return None
    code = str(code)[:2].upper()
    if code == "XK" or (
        code not in {"EU", "UN"} and pycountry.countries.get(alpha_2=code) is not None
    ):
        return code
    return None


def countries(text: str) -> list[Mention]:
    """Country mentions (names, demonyms, capitals, "UAE-based") in ``text``, longest match first."""
    found: list[Mention] = []
    for run in _CAPITALIZED.finditer(text):
        phrase_run = run.group(0)
        taken: list[tuple[int, int]] = []
        for start, end in sorted(_token_spans(phrase_run), key=lambda s: s[0] - s[1]):
            if any(start < e and s < end for s, e in taken):
                continue
            code = _code(phrase_run[start:end])
            if code and not _first_name(phrase_run, start, end):
                taken.append((start, end))
                begin = run.start()
                found.append(Mention(code, begin + start, begin + end, phrase_run[start:end]))
    return sorted(found, key=lambda m: m.start)


def _first_name(run: str, start: int, end: int) -> bool:
    """Whether a one-word place that is no country's name (a capital, a city) opens a two-word name
    of a person ("Sofia Sapega", "Victoria Nuland"): followed by one more capitalized word that names
    no organization ("Moscow Exchange", "Kabul Bank" stay places)."""
    phrase = run[start:end]
    if start != 0 or " " in phrase or phrase in _country_names() or _DEMONYM_END.search(phrase):
        return False
    if not run[end:].startswith(" ") or phrase.endswith((".", ",")):  # "Shanghai. File photo"
        return False
    rest = run[end:].split()
    return len(rest) == 1 and rest[0][:1].isupper() and not org_words().search(rest[0])


@lru_cache(maxsize=1)
def org_words() -> re.Pattern[str]:
    """Words that make a name an organization's (``rules/org_words.txt``), compiled once."""
    return phrases("org_words", case=True)


def _token_spans(run: str) -> list[tuple[int, int]]:
    tokens = [(m.start(), m.end()) for m in re.finditer(r"[^\s-]+", run)]
    spans = []
    for i in range(len(tokens)):
        for j in range(i, min(i + 6, len(tokens))):
            first, last = run[tokens[i][0] : tokens[i][1]], run[tokens[j][0] : tokens[j][1]]
            if first.lower() in {"of", "the", "and"} or last.lower() in {
                "of",
                "the",
                "and",
                "de",
                "del",
            }:
                continue
            spans.append((tokens[i][0], tokens[j][1]))
    return spans


#: Countries that commonly impose sanctions: a mention of them can make them an imposer.
IMPOSING_COUNTRIES = {"US", "GB", "CA", "JP", "AU", "CH", "NZ", "NO"}


def authorities(text: str) -> list[Mention]:
    """Mentions of sanctioning bodies (code = jurisdiction); ``text`` of a body mention is its name.

    The gazetteer is ``rules/authorities.toml``; an earlier entry's match wins overlapping text."""
    found: list[Mention] = []
    taken = Intervals(())
    for hit in ruleset("authorities").hits(text):
        if taken.overlaps(hit.start, hit.end):
            continue
        taken.add(hit.start, hit.end)
        found.append(
            Mention(
                hit.label,
                hit.start,
                hit.end,
                hit.rule.get("body") or "",
                hit.id,
            )
        )
    return sorted(found, key=lambda m: m.start)
