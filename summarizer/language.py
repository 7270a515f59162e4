"""Which language an article is in — enough to say when the English-only rules do not apply.

The script decides for Cyrillic, Arabic, Hebrew, Greek, CJK, Hangul and Thai text; for Latin-script
text, the share of each language's most common words decides among English, French, German,
Spanish, Italian, Portuguese and Dutch. No model and no download: a short text, or one without
enough common words, is "und" (undetermined).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_SCRIPTS = (
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
)
_COMMON = {
    "en": "the of and to in is that for on with by as was were are it this from has have be which",
    "fr": "le la les de des du et est un une en dans que qui pour sur au aux par pas avec ce",
    "de": "der die das und ist nicht ein eine zu den von mit sich des auf für im dem auch wird",
    "es": "el la los las de del y en que un una por con para es se no al lo su como",
    "it": "il lo la gli le di del della e che un una per con non sono nel alla come anche",
    "pt": "o a os as de do da dos das e em que um uma para com não por se no na",
    "nl": "de het een en van in is dat op te zijn met voor niet aan er ook als bij",
}
_WORDS = {code: frozenset(words.split()) for code, words in _COMMON.items()}
_TOKEN = re.compile(r"[^\W\d_]+")
#: at least this many common words must be seen before a Latin-script language is named
MIN_HITS = 8


@dataclass(frozen=True)
class Language:
    """An ISO 639-1 code ("und" when undetermined) and the evidence's share behind it."""

    code: str
    share: float

    @property
    def is_english(self) -> bool:
        return self.code == "en"


def detect(text: str, sample: int = 5_000) -> Language:
    """The language of ``text`` (its first ``sample`` characters are enough)."""
    head = text[:sample]
    letters = sum(ch.isalpha() for ch in head)
    if letters == 0:
        return Language("und", 0.0)
    for code, script in _SCRIPTS:
        share = len(script.findall(head)) / letters
        if share > 0.3:
            return Language(code, round(share, 2))
    return _latin(head)


def _latin(text: str) -> Language:
    tokens = _TOKEN.findall(text.lower())
    counts = Counter(tokens)
    hits: Counter[str] = Counter(
        {code: sum(counts[word] for word in words) for code, words in _WORDS.items()}
    )
    hits = +hits  # languages with no common word at all are left out
    if not hits or sum(hits.values()) < MIN_HITS:
        return Language("und", 0.0)
    code, count = hits.most_common(1)[0]
    return Language(code, round(count / max(1, len(tokens)), 2))
