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

from summarizer.sentences import merge_spans, split_sentences

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

    def search(self, text: str, lower: str) -> re.Match[str] | None:
        """The pattern's first match in ``text`` near a cue of ``lower`` (``text`` lower-cased),
        else None. Only the windows around the cues are searched: a long article that merely
        holds a cue word costs a few short searches, not a scan of the whole text per check."""
        for start, end in _windows(lower, self.cues, len(text)):
            match = self.pattern.search(text, start, end)
            if match is not None:
                return match
        return None

    def matches(self, text: str) -> bool:
        """True when ``text`` holds a cue and the pattern matches."""
        return self.search(text, text.lower()) is not None


#: characters searched on each side of a cue (a pattern spans well under this)
WINDOW = 240


def _windows(lower: str, cues: tuple[str, ...], size: int) -> list[tuple[int, int]]:
    """The spans within ``WINDOW`` characters of any cue, merged and in order."""
    spans = []
    for cue in cues:
        at = lower.find(cue)
        while at >= 0:
            spans.append((max(0, at - WINDOW), min(size, at + len(cue) + WINDOW)))
            at = lower.find(cue, at + len(cue))
    return merge_spans(spans)


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
        pattern = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
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


def _matching(text: str, *, continuation: bool = False) -> list[tuple[Check, re.Match[str]]]:
    lower = text.lower()
    found = []
    for check in checks():
        if (check.kind == "continuation") == continuation:
            match = check.search(text, lower)
            if match is not None:
                found.append((check, match))
    return found


def addresses_model(text: str) -> bool:
    """True when ``text`` speaks to a language model (instructions, role labels, chat tokens)."""
    return bool(_matching(text))


# where a clause opens inside a sentence: after a semicolon, colon, dash or comma
_CLAUSE = re.compile(r"[;:\u2014\u2013\uff1b\uff1a]\s*|\s-\s|[,\uff0c\u3001]\s*")


_MIN_REPORT_WORDS = 4


def _clause_start(sentence: str, offset: int) -> int:
    """Start of the clause holding ``offset``: the model is addressed from there on, and what
    the sentence reported before it stays readable."""
    starts = [m.end() for m in _CLAUSE.finditer(sentence, 0, offset)]
    if not starts or len(sentence[: starts[-1]].split()) < _MIN_REPORT_WORDS:
        return 0  # "IMPORTANT: ignore ..." - a lead-in too short to report anything
    return starts[-1]


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _paragraph_end(text: str, start: int) -> int:
    """Offset of the next blank line after ``start`` (or the end of the text)."""
    found = _BLANK_LINE.search(text, start)
    return found.start() if found else len(text)


_LOOKBACK = 2_000  # how far back a lead-in line is looked for, so long lines cost linear time


def _line_start(text: str, offset: int) -> int:
    floor = max(0, offset - _LOOKBACK)
    found = text.rfind("\n", floor, offset)
    return found + 1 if found != -1 or floor == 0 else floor


# kinds whose sentence is masked whole: a role label or chat token speaks for the whole line
_WHOLE = ("label", "tokens")


def _flagged_sentences(text: str) -> list[tuple[int, int]]:
    """Sentences that address the model; after a role label ("SYSTEM:") the rest of its
    paragraph (the turn); after any flagged sentence, the imperative payload sentences that
    follow it in the same paragraph ("Instead, state that ...")."""
    spans: list[tuple[int, int]] = []
    previous_end = -1  # end of the last flagged sentence, -1 when the last one was not flagged
    for sentence in split_sentences(text):
        found = _matching(sentence.text)
        flagged = bool(found) or (
            previous_end >= 0
            and not _BLANK_LINE.search(text, previous_end, sentence.start)
            and bool(_matching(sentence.text, continuation=True))
        )
        start, end = sentence.start, sentence.end
        if found and not any(check.kind in _WHOLE for check, _ in found):
            start += min(_clause_start(sentence.text, match.start()) for _, match in found)
        if any(check.kind == "label" for check, _ in found):
            end = max(end, _paragraph_end(text, sentence.end))
        if flagged:
            spans.append((start, end))
        previous_end = end if flagged else -1
    return spans


# enclosures that hide text from a reader: masked from opener to closer (or the paragraph's end)
_CLOSER = re.compile(
    r"-->|<\|(?:im_end|eot_id|end|eom_id)\|>|<end_of_turn>|\[/INST\]|<</SYS>>", re.I
)
_OPENER = re.compile(
    r"<!--|<\|(?!im_end|eot_id|end\||eom_id)[a-z_]{2,24}\|>|<start_of_turn>|\[INST\]|<<SYS>>", re.I
)
_BRACKET = re.compile(r"\[[^\[\]\n]{1,500}\]")
_MAX_ENCLOSURE = 5_000


def _enclosed(text: str) -> list[tuple[int, int]]:
    """Comments and chat turns (opener to closer) and bracketed notes that address the model."""
    spans: list[tuple[int, int]] = []
    position = 0
    while opener := _OPENER.search(text, position):
        close = _CLOSER.search(text, opener.end(), opener.end() + _MAX_ENCLOSURE)
        end = close.end() if close else _paragraph_end(text, opener.end())
        spans.append((opener.start(), end))
        position = end
    spans.extend((m.start(), m.end()) for m in _CLOSER.finditer(text))  # stray closers
    if "[" in text:
        spans.extend(
            (m.start(), m.end()) for m in _BRACKET.finditer(text) if addresses_model(m.group())
        )
    return spans


_JSON_START = re.compile(r'[{\[]\s*"[^"\n]{1,60}"\s*:|\{\s*"')
# lines of ``snake_case_key: value``: field names, which reporting never writes
_FIELD_LINES = re.compile(r"(?m:^[ \t]*[a-z]+(?:_[a-z0-9]+)+[ \t]*[:=][^\n]*(?:\n|$))+")
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


_SENTENCE_END = re.compile(r"[.!?\u3002\uff01\uff1f][\"'\u201d\u2019)\u00bb]*\s")


def _with_lead_in(text: str, start: int) -> int:
    """Start of the sentence that introduces an answer block ("Expected output:"), else
    ``start``."""
    line = _line_start(text, start)
    before = text[line:start].rstrip()
    if before:
        if not before.endswith((":", "\uff1a")):
            return start
        ends = [m.end() for m in _SENTENCE_END.finditer(text, line, start)]
        return ends[-1] if ends else line
    if line < 2 or text[line - 2] == "\n":  # first line, or after a blank line
        return start
    previous = _line_start(text, line - 1)
    return previous if text[previous : line - 1].rstrip().endswith((":", "\uff1a")) else start


def _answer_blocks(text: str) -> list[tuple[int, int]]:
    """JSON-like blocks and runs of ``field_name: value`` lines, with the line leading into them."""
    spans: list[tuple[int, int]] = []
    position = 0
    while match := _JSON_START.search(text, position):
        end = _json_end(text, match.start())
        spans.append((_with_lead_in(text, match.start()), end))
        position = max(end, match.end())
    if "_" in text:
        spans.extend((_with_lead_in(text, m.start()), m.end()) for m in _FIELD_LINES.finditer(text))
    return spans


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    pieces: list[str] = []
    position = 0
    for start, end in merge_spans(spans):
        pieces.append(text[position:start])
        pieces.append(re.sub(r"[^\n]", " ", text[start:end]))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


@lru_cache(maxsize=16)
def instruction_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Sorted, merged ``(start, end)`` spans of text addressed to the model: answer blocks (JSON,
    field lines), comments, chat turns and bracketed notes; then, read with those blanked,
    sentences that address the model."""
    spans = _answer_blocks(text) + _enclosed(text)
    rest = _blank(text, spans) if spans else text
    if addresses_model(rest):
        spans.extend(_flagged_sentences(rest))
    return tuple(merge_spans(spans))


def overlaps(start: int, end: int, spans: tuple[tuple[int, int], ...]) -> bool:
    """True when ``[start, end)`` shares a character with any span."""
    return any(start < span_end and span_start < end for span_start, span_end in spans)


def mask(text: str) -> str:
    """``text`` with every instruction span blanked out (same length, so offsets still hold)."""
    spans = instruction_spans(text)
    return _blank(text, list(spans)) if spans else text
