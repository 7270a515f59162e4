"""Legal bases, counts and dates found in text."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib.resources import files

from summarizer.extract.rules import expand, ruleset
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


_UNITS = "one|two|three|four|five|six|seven|eight|nine"
#: a number written in digits or words ("11", "1,200", "forty-two", "a dozen")
NUMBER = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(?:"
    + _UNITS
    + r")|(?:a|one) hundred|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|a dozen|dozens)"
)
#: words that may stand between a number and its noun ("six of its overseas subsidiaries"), but no
#: preposition that would tie the number to something else ("Proclamation 9931 on … individuals")
_BETWEEN = r"(?:of (?:its|their|the) |(?:[A-Z]\.){2,}\s+|(?!(?:on|in|for|to|by|at|from|with|against|under|since|between|and|or|years?|months?|weeks?|days?|hours?)\b)[A-Za-z-]+\s+){0,3}"
_IDENTIFIER_BEFORE = re.compile(
    r"(?:\b(?:Proclamation|Order|Resolution|No\.|Nos\.|Section|Sec\.|Article|E\.O\.|EO|Regulation|"
    r"Decision|part|paragraph|Annex|Decree|Directive|License|Licence|GL|Law|IMO|MMSI|Council|"
    r"Committee)|\((?:GL|E\.O\.|EO)\))\s*$",
    re.I,
)


@cache
def qualifiers() -> dict[str, CountQualifier]:
    """Words before a number and the qualifier they give (``rules/counts.toml``)."""
    path = files("summarizer.extract").joinpath("rules", "counts.toml")
    table = tomllib.loads(path.read_text(encoding="utf-8")).get("qualifiers", {})
    return {str(k): CountQualifier(v) for k, v in table.items()}


@cache
def _count_pattern() -> re.Pattern[str]:
    qual = "|".join(re.escape(q) for q in sorted(qualifiers(), key=len, reverse=True))
    noun = expand("<<list:count_nouns>>")
    return re.compile(
        rf"(?:\b(?P<qual>{qual})\s+)?\b(?P<n>{NUMBER})\s+{_BETWEEN}(?P<noun>{noun})\b", re.I
    )


def _cumulative(text: str) -> bool:
    return ruleset("counts").has("cumulative", text)


@dataclass(frozen=True)
class Count:
    """A stated count of targets and how exact it is."""

    value: int
    qualifier: CountQualifier
    start: int
    end: int
    text: str = ""
    also: tuple[str, ...] = ()  # parts a second verb adds, as written ("37 entities")


_IDENTIFIER_DIGITS = re.compile(r"^0\d")
_ID_JOINERS = {".", "/", "-", "#"}
#: how far after a count the words that make it a running total are read ("… are now designated")
AFTER_CHARS = 45
_ASIDE = re.compile(r"\s(?:--|\u2014)\s.*?\s(?:--|\u2014)\s")


def _parts(sentence: str) -> list[tuple[re.Match[str], int]]:
    """Counts in a sentence, except running totals, identifiers and years, and counts inside a
    dashed aside ("four entities -- A, two subsidiaries and B -- and four individuals")."""
    sentence = _ASIDE.sub(lambda m: " " * len(m.group(0)), sentence)
    parts = []
    for match in _matches(sentence):
        # the count's own clause: "… since the early months of the war, targeting 107 …" is new
        before = sentence[max(0, match.start() - 60) : match.start()].rsplit(", ", 1)[-1]
        after = sentence[match.end() : match.end() + AFTER_CHARS]
        rules = ruleset("counts")
        if (
            _cumulative(before)
            or rules.has("cumulative_after", after)
            or rules.has("not_targets", after)
        ):
            continue
        number = parse_number(match.group("n").replace("a dozen", "dozen"))
        digits = match.group("n").isdigit()
        if number is None or number > 100000 or (digits and 1900 <= number <= 2100):
            continue
        parts.append((match, number))
    return parts


def _matches(sentence: str) -> list[re.Match[str]]:
    """Count matches; a number that names something ("Resolution 2653", "Council 2653 Committee")
    or is part of an identifier ("CDi.039", "039") is passed over and the search goes on right
    after it, so the count behind it is still found."""
    found, pos = [], 0
    while (match := _count_pattern().search(sentence, pos)) is not None:
        joined = sentence[max(0, match.start("n") - 1) : match.start("n")] in _ID_JOINERS
        if (
            joined
            or _IDENTIFIER_DIGITS.match(match.group("n"))
            or _IDENTIFIER_BEFORE.search(sentence[max(0, match.start() - 60) : match.start()])
        ):
            pos = match.end("n")
            continue
        found.append(match)
        pos = match.end()
    return found


def _link(sentence: str, before: re.Match[str], after: re.Match[str]) -> str | None:
    """How two counts are parts of one total: "phrase" when written as one ("11 individuals and
    29 entities", also around a dashed aside: "four entities -- A, B and C -- and four
    individuals"), "verb" when a second verb of listing adds the second ("… and identified four
    vessels"); None when they are not parts of one total."""
    gap = re.sub(
        r"\s--\s.*?\s--\s|\s\u2014.*?\u2014\s|\([^)]*\)",
        " ",
        sentence[before.end() : after.start()],
    )
    if "." in gap or _cumulative(gap) or _SUBSET.search(gap):
        return None
    if len(gap) <= CHAIN_GAP_VERB and _AND_VERB.search(gap):  # "… and bars 52 more vessels"
        return "verb"
    joined = re.search(r"\band\b|,|\bplus\b|\bas well as\b", gap) is not None
    return "phrase" if len(gap) <= 45 and joined else None


#: words that open a part of the count before them, not a further part ("10 individuals, among
#: them five lawmakers"; "12 people, including three officials")
_SUBSET = re.compile(
    r"\b(?:among (?:them|whom|which)|including|includes?|of (?:whom|which)|such as|notably|"
    r"in particular)\b",
    re.I,
)
#: how far apart two counts joined by a second verb of listing may be
CHAIN_GAP_VERB = 100
#: a second verb of listing in one sentence: its count adds to the first ("sanctioned 10
#: individuals and six entities … and identified four vessels as blocked property")
_AND_VERB = re.compile(
    r"\b(?:and|while|as well as) (?:also )?(?:identif(?:ied|ies|ying)|designat(?:ed|es|ing)|"
    r"sanction(?:ed|s|ing)|list(?:ed|s|ing)|add(?:ed|s|ing)|bar(?:red|s|ring)|ban(?:ned|s|ning)|"
    r"froze|freez(?:es|ing)|impos(?:ed|es|ing)|target(?:ed|s|ing))\b"
)


@cache
def _noun_tail() -> re.Pattern[str]:
    """More count nouns that share the count's number ("22 individuals and entities",
    "30 individuals, entities, and vessels")."""
    noun = expand("<<list:count_nouns>>")
    return re.compile(rf"(?:,?\s+(?:and\s+|or\s+)?(?:{noun})\b(?!\s+\d))+", re.I)


def _written(sentence: str, start: int, end: int) -> str:
    """The count as written, with the count nouns that follow it and share its number."""
    tail = _noun_tail().match(sentence, end)
    return sentence[start : tail.end() if tail else end]


def count_in(sentence: str) -> Count | None:
    """The count of targets a sentence states for its action: chained parts summed
    ("11 individuals and 29 entities" → 40); cumulative totals and identifiers ignored."""
    parts = _parts(sentence)
    if not parts:
        return None
    first, _ = parts[0]
    chain, end, also = [parts[0]], first.end(), []
    for match, number in parts[1:]:
        link = _link(sentence, chain[-1][0], match)
        if link is None:
            break
        if link == "phrase" and end == chain[-1][0].end():
            end = match.end()  # written as one phrase; a second verb's count is written apart
        else:
            also.append(_written(sentence, match.start(), match.end()))
        chain.append((match, number))
    qualifier = qualifiers().get((first.group("qual") or "").lower(), CountQualifier.EXACT)
    start = first.start()
    single = _single_before(sentence, start)
    if single is not None:  # "a Hong Kong company and two Chinese nationals" → 3
        chain.append((first, 1))
        start = single
    written = _written(sentence, start, end)
    return Count(sum(n for _, n in chain), qualifier, start, end, written, tuple(also))


@cache
def _single_pattern() -> re.Pattern[str]:
    noun = expand("<<list:count_nouns>>")
    return re.compile(
        rf"\b(?:a|an|one)\s+(?:[\w'\u2019-]+\s+){{0,3}}?(?:{noun})\s*(?:,\s*|\s+)and\s+$", re.I
    )


def _single_before(sentence: str, start: int) -> int | None:
    """Where "a Hong Kong company and" begins, right before a count it adds one to; else None."""
    found = _single_pattern().search(sentence[max(0, start - 60) : start])
    return None if found is None else max(0, start - 60) + found.start()


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_ANY = rf"(?:{_MONTHS}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_DATE = re.compile(
    rf"\b(?:(?P<d1>{_DAY})\s+(?:of\s+)?(?P<m1>{_MONTH_ANY})\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTH_ANY})\s+(?P<d2>{_DAY}),?\s+(?P<y2>\d{{4}})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})|(?P<us>[01]?\d/[0-3]?\d/\d{4}))\b",
    re.I,
)


def _month(name: str) -> int:
    key = name.rstrip(".").lower()[:3]
    return [
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "oct",
        "nov",
        "dec",
    ].index(key) + 1


def _parse(match: re.Match[str]) -> date:
    if match.group("iso"):
        return date.fromisoformat(match.group("iso"))
    if match.group("us"):
        numbers = [int(x) for x in match.group("us").split("/")]
        return date(numbers[2], numbers[0], numbers[1])
    day = re.sub(r"\D", "", match.group("d1") or match.group("d2"))
    name = match.group("m1") or match.group("m2")
    return date(int(match.group("y1") or match.group("y2")), _month(name), int(day))


def dates(text: str) -> list[tuple[date, int, int]]:
    """Full dates (day, month and year) in ``text``: "31 January 2022", "Jan. 31, 2022",
    "MARCH 11, 2022", "31st of January 2022", "2022-01-31", "01/31/2022"."""
    found = []
    for match in _DATE.finditer(text):
        try:
            value = _parse(match)
        except ValueError:
            continue
        found.append((value, match.start(), match.end()))
    return found


_PARTIAL = re.compile(
    rf"\b(?:[Ii]n|[Oo]n|[Ss]ince|[Ll]ast)\s+(?:(?:mid|early|late)-?\s?)?(?:(?P<day>\d{{1,2}})\s+)?(?P<month>{_MONTHS})"
    rf"(?:\s+(?P<day2>\d{{1,2}})(?!\d))?(?:\s+and\s+(?:{_MONTHS}))?(?:,?\s+(?P<year>\d{{4}}))?\b"
)


def partial_dates(text: str, reference: date) -> list[date]:
    """Dates given without a full day, month and year ("In June", "on 1 June", "in April and July
    2024"), placed in the year before ``reference`` when they would otherwise fall after it."""
    found = []
    for match in _PARTIAL.finditer(text):
        month = datetime.strptime(match.group("month"), "%B").month
        day = int(match.group("day") or match.group("day2") or 1)
        year = int(match.group("year") or reference.year)
        try:
            value = date(year, month, day)
        except ValueError:
            continue
        if not match.group("year") and value > reference:
            value = value.replace(year=year - 1)
        found.append(value)
    return found


_YEAR = re.compile(r"\b(?:in|since|by|of|from|early|late|mid-?)\s+((?:19|20)\d\d)\b", re.I)


def latest_date(text: str, reference: date) -> date | None:
    """The latest date a text gives: full, partial ("in June 2024") or a year ("in 2016")."""
    found = [value for value, _, _ in dates(text)] + partial_dates(text, reference)
    found += [date(int(year), 12, 31) for year in _YEAR.findall(text)]
    return max(found) if found else None


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
