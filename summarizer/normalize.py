"""Normalization of country codes, legal references and counts."""

from __future__ import annotations

import re
from functools import lru_cache

import countrynames
import pycountry

#: Codes accepted besides ISO 3166-1 alpha-2: supranational imposers and common user-assigned codes.
SPECIAL_CODES = {"EU", "UN", "XK"}
_ALIASES = {"UK": "GB", "EL": "GR"}


@lru_cache(maxsize=4096)
def country_code(value: str) -> str | None:
    """ISO 3166-1 alpha-2 code (or EU/UN/XK) for a code, alpha-3 code or country name; else None."""
    text = " ".join(value.split()).strip(" .")
    if not text:
        return None
    upper = text.upper()
    if upper in SPECIAL_CODES:
        return upper
    if upper in _ALIASES:
        return _ALIASES[upper]
    if len(upper) == 2 and upper.isalpha():
        return upper if pycountry.countries.get(alpha_2=upper) is not None else None
    if len(upper) == 3 and upper.isalpha():
        found = pycountry.countries.get(alpha_3=upper)
        if found is not None:
            return str(found.alpha_2)
    lowered = text.lower().removeprefix("the ")
    if lowered in {"european union", "the eu"}:
        return "EU"
    if lowered in {"united nations", "un security council", "united nations security council"}:
        return "UN"
    code = countrynames.to_code(text)
    if code is None:
        return None
    code = str(code).upper()
    return code if len(code) == 2 and (code in SPECIAL_CODES or _is_iso(code)) else None


def _is_iso(code: str) -> bool:
    return pycountry.countries.get(alpha_2=code) is not None


_EO = re.compile(
    r"^(?:E\.?\s*O\.?|Executive\s+Order)\s*(?:\(E\.?O\.?\)\s*)?(?:No\.?\s*)?(\d{4,5})\b", re.I
)
_EU_REG = re.compile(
    r"^(?:Council\s+)?(?:Implementing\s+|Delegated\s+)?Regulation\s*\((EU|EC)\)\s*(?:No\.?\s*)?"
    r"(\d{1,4}/\d{1,4})",
    re.I,
)
_SECTION_OF = re.compile(r"^(Section\s+\d+[a-z]?(?:\([0-9A-Za-z]+\))+)\s+of\s+.+$", re.I)
_EU_DEC_NEW = re.compile(
    r"^(?:Council\s+)?(?:Implementing\s+)?Decision\s*\(CFSP\)\s*(?:No\.?\s*)?(\d{4}/\d{1,5})", re.I
)
_EU_DEC_OLD = re.compile(r"^(?:Council\s+)?Decision\s*(?:No\.?\s*)?(\d{4}/\d{1,5})/CFSP", re.I)
_UNSCR = re.compile(
    r"^(?:UNSCR|UNSC\s+Resolution|(?:UN\s+|United\s+Nations\s+)?(?:Security\s+Council\s+)?"
    r"Resolution)\s*(?:No\.?\s*)?(\d{3,4})\b",
    re.I,
)


def legal_basis(value: str) -> str:
    """Normalize one legal reference: ``E.O. 14024``, ``Regulation (EU) 833/2014``, ``UNSCR 2231``."""
    text = " ".join(value.split()).strip(" .,;")
    if m := _EO.match(text):
        return f"E.O. {m.group(1)}"
    if m := _EU_REG.match(text):
        return f"Regulation ({m.group(1).upper()}) {m.group(2)}"
    if m := _SECTION_OF.match(text):
        return m.group(1)
    if m := _EU_DEC_NEW.match(text) or _EU_DEC_OLD.match(text):
        return f"Decision (CFSP) {m.group(1)}"
    if m := _UNSCR.match(text):
        return f"UNSCR {m.group(1)}"
    return re.sub(r"^the\s+", "", text, flags=re.I)


_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "dozen": 12, "dozens": 24,
}  # fmt: skip


def parse_number(token: str) -> int | None:
    """An integer from digits ("1,200") or number words ("twelve", "sixty-nine", "one hundred");
    None otherwise."""
    cleaned = token.replace(",", "").strip().lower()
    if cleaned.isdigit():
        return int(cleaned)
    if cleaned in _NUMBER_WORDS:
        return _NUMBER_WORDS[cleaned]
    parts = re.split(r"[\s-]+", cleaned.removeprefix("a ").removeprefix("one "))
    if len(parts) == 2 and parts[0] in _NUMBER_WORDS and parts[1] in _NUMBER_WORDS:
        tens, unit = _NUMBER_WORDS[parts[0]], _NUMBER_WORDS[parts[1]]
        if 20 <= tens <= 90 and unit < 10:
            return tens + unit
    if cleaned in {"a hundred", "one hundred"}:
        return 100
    return None


def dedupe_sorted(codes: list[str]) -> list[str]:
    """Sorted unique list."""
    return sorted(set(codes))
