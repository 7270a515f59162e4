"""Legal bases, counts and dates found in text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from summarizer.extract.rules import ruleset
from summarizer.normalize import legal_basis, parse_number
from summarizer.schema import CountQualifier


@dataclass(frozen=True)
class Found:
    """A normalized value found at ``[start, end)``, with the jurisdiction it belongs to (if known)."""

    value: str
    start: int
    end: int
    jurisdiction: str = ""


def legal_bases(text: str) -> list[Found]:
    """Legal instruments cited in ``text``, normalized (``E.O. 14024``, ``Regulation (EU) 833/2014``);
    the patterns are ``rules/legal.toml``."""
    found = [
        Found(legal_basis(hit.text), hit.start, hit.end, hit.label)
        for hit in ruleset("legal").hits(text)
    ]
    return sorted(found, key=lambda f: f.start)


_QUALIFIERS = {
    "more than": CountQualifier.MORE_THAN, "over": CountQualifier.MORE_THAN, "at least": CountQualifier.MORE_THAN,
    "upwards of": CountQualifier.MORE_THAN, "nearly": CountQualifier.ABOUT, "almost": CountQualifier.ABOUT,
    "about": CountQualifier.ABOUT, "approximately": CountQualifier.ABOUT, "around": CountQualifier.ABOUT,
    "some": CountQualifier.ABOUT, "roughly": CountQualifier.ABOUT, "close to": CountQualifier.ABOUT,
    "up to": CountQualifier.UP_TO, "as many as": CountQualifier.UP_TO,
}  # fmt: skip
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a dozen|dozens)"
_NOUN = r"(?:individuals?|entit(?:y|ies)|persons?|people|companies|company|firms?|vessels?|ships?|tankers?|aircraft|banks?|listings?|targets?|sanctions|designations?|officials?|organi[sz]ations?|businesses|oligarchs|addresses)"
_QUAL = "|".join(sorted(_QUALIFIERS, key=len, reverse=True))
_COUNT = re.compile(
    rf"(?:(?P<qual>{_QUAL})\s+)?(?P<n>{_NUM})\s+(?:[A-Za-z-]+\s+){{0,2}}(?P<noun>{_NOUN})\b",
    re.I,
)
_CUMULATIVE = re.compile(
    r"\b(?:bringing|brings|total|to date|so far|since|in all|altogether|cumulative|has now|have now|previously|already)\b",
    re.I,
)


@dataclass(frozen=True)
class Count:
    """A stated count of targets and how exact it is."""

    value: int
    qualifier: CountQualifier
    start: int
    end: int
    text: str = ""


def count_in(sentence: str, offset: int = 0) -> Count | None:
    """The count of targets a sentence states for its action: chained parts summed
    ("11 individuals and 29 entities" → 40); cumulative totals ignored."""
    parts = []
    for match in _COUNT.finditer(sentence):
        before = sentence[max(0, match.start() - 60) : match.start()]
        if _CUMULATIVE.search(before) or _CUMULATIVE.search(
            sentence[match.end() : match.end() + 25]
        ):
            continue
        number = parse_number(match.group("n").replace("a dozen", "dozen"))
        if number is None or number > 100000:
            continue
        parts.append((match, number))
    if not parts:
        return None
    first, _ = parts[0]
    chain = [parts[0]]
    for match, number in parts[1:]:
        gap = sentence[chain[-1][0].end() : match.start()]
        if (
            len(gap) <= 45
            and "." not in gap
            and re.search(r"\band\b|,|\bplus\b|\bas well as\b", gap)
            and not _CUMULATIVE.search(gap)
        ):
            chain.append((match, number))
        else:
            break
    qualifier = _QUALIFIERS.get((first.group("qual") or "").lower(), CountQualifier.EXACT)
    start, end = first.start(), chain[-1][0].end()
    return Count(
        sum(n for _, n in chain), qualifier, offset + start, offset + end, sentence[start:end]
    )


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTHS})\s+(?P<y1>\d{{4}})|(?P<m2>{_MONTHS})\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}})|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}}))\b"
)


def dates(text: str, offset: int = 0) -> list[tuple[date, int, int]]:
    """Full dates (day, month and year) in ``text``."""
    found = []
    for match in _DATE.finditer(text):
        try:
            if match.group("iso"):
                value = date.fromisoformat(match.group("iso"))
            else:
                day = match.group("d1") or match.group("d2")
                month = match.group("m1") or match.group("m2")
                year = match.group("y1") or match.group("y2")
                value = datetime.strptime(f"{day} {month} {year}", "%d %B %Y").date()
        except ValueError:
            continue
        found.append((value, offset + match.start(), offset + match.end()))
    return found


_EFFECTIVE = re.compile(
    r"\b(?:effective|take[s]? effect|enter(?:s|ed)? into force|come[s]? into force|appl(?:y|ies) from|in effect from|starting)\b(?:\s+(?:on|from|as of))?\s*$",
    re.I,
)


def effective_date(sentence: str) -> date | None:
    """A date stated as when measures take effect ("effective June 12, 2024")."""
    for value, start, _ in dates(sentence):
        if _EFFECTIVE.search(sentence[max(0, start - 45) : start]):
            return value
    return None
