"""Text inside an article that addresses the model rather than the reader (prompt injection).

News does not tell a language model to ignore its instructions, carry chat-template tokens or embed
JSON objects; such passages are found here so that evidence cannot be quoted from them and the
extractors do not read them as reporting. Offsets are character offsets in the text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from summarizer.sentences import split_sentences

# (cheap literal cues, the pattern they gate), matched against lower-cased text: a regex only runs
# when one of its cues occurs, so ordinary news costs a few substring searches
_CHECKS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (
        ("ignore", "disregard", "forget", "override"),
        re.compile(
            r"\b(?:ignore|disregard|forget|override)\b[^.\n]{0,60}?"
            r"\b(?:instructions?|prompts?|rules|guidelines|directions)\b"
        ),
    ),
    (("instruction",), re.compile(r"\bnew\s+(?:system\s+)?instructions?\s*:")),
    (
        ("you ",),
        re.compile(
            r"\byou\s+(?:are|must|should|will)\s+(?:now\s+)?(?:an?\s+)?"
            r"(?:ai|assistant|language\s+model|chatbot|llm)\b"
        ),
    ),
    (("as an ai", "as a language model"), re.compile(r"\bas\s+an?\s+(?:ai|language\s+model)\b")),
    (
        ("system", "assistant", "developer"),
        re.compile(r"(?m:^\s*(?:system|assistant|developer)\s*(?:prompt|message)?\s*:)"),
    ),
    (
        ("<|", "_of_turn>", "<im_", "</im_", "system>"),
        re.compile(r"<\|[a-z_]{2,20}\|>|</?(?:start_of_turn|end_of_turn|im_start|im_end|system)>"),
    ),
    (("inst]", "sys>>"), re.compile(r"\[/?inst\]|<</?sys>>")),
    (("##",), re.compile(r"#{2,}\s*(?:instructions?|system|response)\b")),
)


def addresses_model(text: str) -> bool:
    """True when ``text`` speaks to a language model (instructions, role labels, chat tokens)."""
    lower = text.lower()
    return any(
        any(cue in lower for cue in cues) and pattern.search(lower) for cues, pattern in _CHECKS
    )


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
    paragraph = text.find("\n\n", start)
    return paragraph if paragraph != -1 else len(text)


@lru_cache(maxsize=16)
def instruction_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Sorted, merged ``(start, end)`` spans of sentences that address the model and of
    JSON-like blocks."""
    spans: list[tuple[int, int]] = []
    if addresses_model(text):
        for sentence in split_sentences(text):
            if addresses_model(sentence.text):
                spans.append((sentence.start, sentence.end))
    position = 0
    while match := _JSON_START.search(text, position):
        end = _json_end(text, match.start())
        spans.append((match.start(), end))
        position = max(end, match.end())
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
