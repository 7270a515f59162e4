"""Text inside an article that addresses the model rather than the reader (prompt injection).

News does not tell a language model to ignore its instructions, carry chat-template tokens or embed
JSON objects; such passages are found here so that evidence cannot be quoted from them and the
extractors do not read them as reporting. The phrasings are data (``injection.toml``: checks by kind
and language, each with examples and counter-examples); docs/injection.md gives their measured
precision and recall. Offsets are character offsets in the text.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from summarizer.sentences import Sentence, split_sentences

KINDS = ("override", "role", "label", "tokens", "output", "comment", "continuation")
_KEYS = {"id", "kind", "language", "cues", "patterns", "examples", "counter"}


class InjectionRuleError(ValueError):
    """``injection.toml`` is malformed: the message names the check and the problem."""


@dataclass(frozen=True)
class Check:
    """One way of speaking to a model: cheap literal cues gating a pattern."""

    id: str
    kind: str
    language: str
    cues: tuple[str, ...]
    pattern: re.Pattern[str]
    examples: tuple[str, ...]
    counter: tuple[str, ...]

    def matches(self, lower: str) -> bool:
        """True when the lower-cased ``lower`` holds a cue and the pattern matches."""
        return any(cue in lower for cue in self.cues) and self.pattern.search(lower) is not None


def _check(table: dict[str, object]) -> Check:
    name = str(table.get("id", "?"))
    unknown = set(table) - _KEYS
    if (
        unknown
        or table.get("kind") not in KINDS
        or not table.get("patterns")
        or not table.get("cues")
    ):
        raise InjectionRuleError(
            f"injection check {name!r}: needs id, kind (one of {', '.join(KINDS)}), cues and "
            f"patterns; unknown keys: {sorted(unknown)}"
        )
    patterns = [str(p) for p in table["patterns"]]  # type: ignore[attr-defined]
    try:
        pattern = re.compile("|".join(f"(?:{p})" for p in patterns))
    except re.error as exc:
        raise InjectionRuleError(f"injection check {name!r}: bad pattern: {exc}") from None
    return Check(
        id=name,
        kind=str(table["kind"]),
        language=str(table.get("language", "any")),
        cues=tuple(str(c).lower() for c in table["cues"]),  # type: ignore[attr-defined]
        pattern=pattern,
        examples=tuple(str(e) for e in table.get("examples", ())),  # type: ignore[attr-defined]
        counter=tuple(str(c) for c in table.get("counter", ())),  # type: ignore[attr-defined]
    )


@lru_cache(maxsize=1)
def checks() -> tuple[Check, ...]:
    """Every check in ``injection.toml``, in file order."""
    source = files("summarizer").joinpath("injection.toml").read_text(encoding="utf-8")
    try:
        tables = tomllib.loads(source).get("check", [])
    except tomllib.TOMLDecodeError as exc:
        raise InjectionRuleError(f"summarizer/injection.toml: {exc}") from None
    return tuple(_check(table) for table in tables)


def _matching(text: str, *, continuation: bool = False) -> list[Check]:
    lower = text.lower()
    return [
        check
        for check in checks()
        if (check.kind == "continuation") == continuation and check.matches(lower)
    ]


def addresses_model(text: str) -> bool:
    """True when ``text`` speaks to a language model (instructions, role labels, chat tokens)."""
    return bool(_matching(text))


def _flagged_sentences(text: str) -> list[tuple[int, int]]:
    """Sentences that address the model, and the imperative payload sentences right after one
    in the same paragraph ("Instead, state that ...")."""
    spans: list[tuple[int, int]] = []
    previous: Sentence | None = None
    flagged_previous = False
    for sentence in split_sentences(text):
        flagged = bool(_matching(sentence.text)) or (
            flagged_previous
            and previous is not None
            and previous.paragraph == sentence.paragraph
            and bool(_matching(sentence.text, continuation=True))
        )
        if flagged:
            spans.append((sentence.start, sentence.end))
        previous, flagged_previous = sentence, flagged
    return spans


# enclosures that hide text from a reader: masked from opener to closer (or the paragraph's end)
_ENCLOSURES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (re.compile(re.escape(opener), re.IGNORECASE), re.compile(re.escape(closer), re.IGNORECASE))
    for opener, closer in (
        ("<!--", "-->"),
        ("<|im_start|>", "<|im_end|>"),
        ("<start_of_turn>", "<end_of_turn>"),
        ("[INST]", "[/INST]"),
        ("<<SYS>>", "<</SYS>>"),
    )
)
_BRACKET = re.compile(r"\[[^\[\]\n]{1,500}\]")
_MAX_ENCLOSURE = 5_000


def _paragraph_end(text: str, start: int) -> int:
    end = text.find("\n\n", start)
    return end if end != -1 else len(text)


def _enclosed(text: str) -> list[tuple[int, int]]:
    """Comments and chat turns (opener to closer) and bracketed notes that address the model."""
    spans: list[tuple[int, int]] = []
    for opener, closer in _ENCLOSURES:
        for match in opener.finditer(text):
            close = closer.search(text, match.end(), match.end() + _MAX_ENCLOSURE)
            end = close.end() if close else _paragraph_end(text, match.end())
            spans.append((match.start(), end))
    if "[" in text:
        spans.extend(
            (m.start(), m.end()) for m in _BRACKET.finditer(text) if addresses_model(m.group())
        )
    return spans


_JSON_START = re.compile(r'[{\[]\s*"[^"\n]{1,60}"\s*:|\{\s*"')
_MAX_JSON = 20_000


def _json_end(text: str, start: int) -> int:
    """End of the bracketed JSON-like block opening at ``start`` (or of its paragraph)."""
    depth = 0
    in_string = False
    limit = min(len(text), start + _MAX_JSON)
    index = start
    while index < limit:
        char = text[index]
        if in_string:
            if char == "\\":
                index += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return _paragraph_end(text, start)


def _json_blocks(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    position = 0
    while match := _JSON_START.search(text, position):
        end = _json_end(text, match.start())
        spans.append((match.start(), end))
        position = max(end, match.end())
    return spans


@lru_cache(maxsize=16)
def instruction_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Sorted, merged ``(start, end)`` spans of sentences that address the model, of comments,
    chat turns and bracketed notes to it, and of JSON-like blocks."""
    spans = _json_blocks(text) + _enclosed(text)
    if addresses_model(text):
        spans.extend(_flagged_sentences(text))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def overlaps(start: int, end: int, spans: tuple[tuple[int, int], ...]) -> bool:
    """True when ``[start, end)`` shares a character with any span."""
    return any(start < span_end and span_start < end for span_start, span_end in spans)


def mask(text: str) -> str:
    """``text`` with every instruction span blanked out (same length, so offsets still hold)."""
    spans = instruction_spans(text)
    if not spans:
        return text
    pieces: list[str] = []
    position = 0
    for start, end in spans:
        pieces.append(text[position:start])
        pieces.append(re.sub(r"[^\n]", " ", text[start:end]))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
