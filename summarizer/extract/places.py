"""Countries (names, demonyms, capitals) and sanctioning authorities found in text, with offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import countrynames
import pycountry

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


@lru_cache(maxsize=20000)
def _code(phrase: str) -> str | None:
    if phrase in _EXTRA:
        return _EXTRA[phrase]
    phrase = phrase.strip(" .'\u2019").removesuffix("'s").removesuffix("\u2019s")
    if phrase in _EXTRA:
        return _EXTRA[phrase]
    if phrase in _NOT_COUNTRIES or (len(phrase) < 4 and phrase not in _SHORT):
        return None
    if phrase.isupper() and len(phrase) > 4:  # ALL-CAPS names in lists: look up in title case
        phrase = phrase.title()
    code = countrynames.to_code(phrase, fuzzy=False)
    if not code:
        return None
    code = str(code)[:2].upper()
    if code == "XK" or (
        code not in {"EU", "UN"} and pycountry.countries.get(alpha_2=code) is not None
    ):
        return code
    return None


def countries(text: str, offset: int = 0) -> list[Mention]:
    """Country mentions (names, demonyms, capitals, "UAE-based") in ``text``, longest match first."""
    found: list[Mention] = []
    for run in _CAPITALIZED.finditer(text):
        phrase_run = run.group(0)
        taken: list[tuple[int, int]] = []
        for start, end in sorted(_token_spans(phrase_run), key=lambda s: s[0] - s[1]):
            if any(start < e and s < end for s, e in taken):
                continue
            code = _code(phrase_run[start:end])
            if code:
                taken.append((start, end))
                begin = offset + run.start()
                found.append(Mention(code, begin + start, begin + end, phrase_run[start:end]))
    return sorted(found, key=lambda m: m.start)


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


@dataclass(frozen=True)
class Authority:
    """A gazetteer entry: a pattern, the jurisdiction it stands for, and the body's name (if a body)."""

    pattern: re.Pattern[str]
    jurisdiction: str
    body: str | None


def _a(pattern: str, jurisdiction: str, body: str | None = None) -> Authority:
    return Authority(re.compile(pattern), jurisdiction, body)


AUTHORITIES = (
    _a(r"Office of Foreign Assets Control|\bOFAC\b", "US", "Office of Foreign Assets Control"),
    _a(r"(?:U\.S\. )?Department of the Treasury|(?:U\.S\. )?Treasury Department|\bU\.S\. Treasury\b|Treasury Secretary|Secretary of the Treasury", "US", "Department of the Treasury"),
    _a(r"(?:U\.S\. )?Department of State|(?:U\.S\. )?State Department|Secretary of State|Secretary Rubio|Secretary Blinken", "US", "Department of State"),
    _a(r"Department of Commerce|Commerce Department|Bureau of Industry and Security", "US", "Department of Commerce"),
    _a(r"White House|National Security Council|President (?:Joe )?Biden|President (?:Donald )?Trump|(?:Biden|Trump|Obama) administration", "US", "White House"),
    _a(r"\bU\.S\. (?:Congress|Senate|House)|\b(?:Senators?|Congress(?:ional)?|House of Representatives)\b", "US", None),
    _a(r"Council of the (?:European Union|EU)|\bEU Council\b|European Council", "EU", "Council of the European Union"),
    _a(r"European Commission|\bthe Commission\b", "EU", "European Commission"),
    _a(r"\bHigh Representative\b|European Union|\bEU\b|\bBrussels\b|\bthe Council\b(?! of)", "EU", None),
    _a(r"Foreign, Commonwealth (?:and|&) Development Office|\bFCDO\b|Foreign Secretary|Foreign Office", "GB", "Foreign, Commonwealth and Development Office"),
    _a(r"Office of Financial Sanctions Implementation|\bOFSI\b|HM Treasury", "GB", "Office of Financial Sanctions Implementation"),
    _a(r"(?:UN |United Nations |U\.N\. )?Security Council|[Ss]anctions [Cc]ommittee|\bUnited Nations\b|\bUN\b|\bU\.N\.", "UN", None),
    _a(r"State Secretariat for Economic Affairs|\bSECO\b|Swiss Federal Council|Federal Council", "CH", None),
    _a(r"Global Affairs Canada", "CA", "Global Affairs Canada"),
    _a(r"Department of Foreign Affairs and Trade|\bDFAT\b", "AU", "Department of Foreign Affairs and Trade"),
)  # fmt: skip
#: Countries that commonly impose sanctions: a mention of them can make them an imposer.
IMPOSING_COUNTRIES = {"US", "GB", "CA", "JP", "AU", "CH", "NZ", "NO"}


def authorities(text: str, offset: int = 0) -> list[Mention]:
    """Mentions of sanctioning bodies (code = jurisdiction); ``text`` of a body mention is its name."""
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for entry in AUTHORITIES:
        for match in entry.pattern.finditer(text):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            taken.append((match.start(), match.end()))
            found.append(
                Mention(
                    entry.jurisdiction,
                    offset + match.start(),
                    offset + match.end(),
                    entry.body or "",
                )
            )
    return sorted(found, key=lambda m: m.start)
