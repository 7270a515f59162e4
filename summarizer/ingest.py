"""Input handling: bytes, files and HTML to clean article text, with limits checked before any model call."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from summarizer.errors import InputError
from summarizer.sentences import split_sentences

#: Inputs larger than this are refused outright, whatever the model (10 MB of text is not an article).
MAX_INPUT_BYTES = 5_000_000
_HTML_START = re.compile(r"^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.I)
# zero-width spaces, word joiner, inner BOMs, direction marks and bidi embeddings/overrides/isolates:
# invisible, and they split names; ZWNJ/ZWJ stay (Persian spelling and emoji need them)
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode(data: bytes, *, origin: str = "input") -> str:
    """Decode UTF-8 bytes (BOM allowed); binary or undecodable data is an :class:`InputError`."""
    if b"\x00" in data[:65536]:
        raise InputError(
            f"{origin} looks binary (it contains NUL bytes)",
            hint="pass the article as UTF-8 text or HTML",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{origin} is not valid UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 4]!r})",
            hint="re-encode the file as UTF-8",
        ) from None


def looks_like_html(text: str) -> bool:
    """True for a document that starts like an HTML page."""
    return bool(_HTML_START.match(text[:2000]))


def html_to_text(html: str, *, origin: str = "input") -> str:
    """Article text of an HTML page (boilerplate removed by trafilatura)."""
    import trafilatura

    extracted = trafilatura.extract(
        html, include_comments=False, include_tables=True, favor_precision=True, fast=True
    )
    if not extracted or not extracted.strip():
        raise InputError(
            f"{origin} is HTML but no article text was found in it (only boilerplate or markup)",
            hint="pass the article body, or a page that contains one",
        )
    return str(extracted)


def clean(text: str, *, origin: str = "input") -> str:
    """Normalize line endings and Unicode form, drop control and invisible formatting characters;
    refuse empty text."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_INPUT_BYTES:
        raise InputError(
            f"{origin} is {len(text):,} characters, over the {MAX_INPUT_BYTES:,}-byte input limit",
            hint="split the document into articles before summarizing",
        )
    if "\x00" in text:
        raise InputError(f"{origin} looks binary (it contains NUL characters)")
    text = _SURROGATE.sub("\ufffd", text)  # unpaired halves of UTF-16 pairs (from JSON escapes)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _INVISIBLE.sub("", _CONTROL.sub("", text))
    if not text.strip():
        raise InputError(f"{origin} is empty or only whitespace", hint="pass the article text")
    return text.strip()


def prepare(source: str | bytes, *, origin: str = "input") -> str:
    """Clean article text from a string or bytes; HTML pages are reduced to their article."""
    text = decode(source, origin=origin) if isinstance(source, bytes) else source
    if looks_like_html(text):
        text = html_to_text(text, origin=origin)
    return clean(text, origin=origin)


def read_path(path: str | Path) -> str:
    """Read and prepare an article from a file (text or HTML)."""
    file = Path(path)
    if not file.exists():
        raise InputError(f"file not found: {file}", hint="check the path")
    if not file.is_file():
        raise InputError(f"not a regular file: {file}")
    size = file.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise InputError(
            f"{file} is {size:,} bytes, over the {MAX_INPUT_BYTES:,}-byte input limit",
            hint="split the document into articles before summarizing",
        )
    return prepare(file.read_bytes(), origin=str(file))


def estimate_tokens(text: str) -> int:
    """A conservative token estimate (about 3.5 characters a token for English news text)."""
    return int(len(text) / 3.5) + 1


@dataclass(frozen=True)
class Chunk:
    """A piece of an article on sentence boundaries; ``start`` is its offset in the article."""

    text: str
    start: int


def chunk(
    text: str, max_tokens: int, count: Callable[[str], int], *, overlap: int = 2
) -> list[Chunk]:
    """Split ``text`` on sentence boundaries into pieces of at most ``max_tokens`` (by ``count``),
    repeating the last ``overlap`` sentences of a piece at the start of the next."""
    sentences = split_sentences(text)
    chunks: list[Chunk] = []
    first = 0
    while first < len(sentences):
        last = first
        while last + 1 < len(sentences):
            candidate = text[sentences[first].start : sentences[last + 1].end]
            if count(candidate) > max_tokens:
                break
            last += 1
        piece = text[sentences[first].start : sentences[last].end]
        if count(piece) > max_tokens:
            raise InputError(
                f"one sentence of the article is longer than the {max_tokens:,}-token budget of a chunk",
                hint="raise n_ctx, or check the input for text without sentence breaks",
            )
        chunks.append(Chunk(piece, sentences[first].start))
        if last + 1 >= len(sentences):
            break
        first = max(first + 1, last + 1 - overlap)
    return chunks
