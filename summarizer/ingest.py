"""Input handling: bytes, files and HTML to clean article text, with limits checked before any model call."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from summarizer.errors import InputError

#: Inputs larger than this are refused outright, whatever the model (10 MB of text is not an article).
MAX_INPUT_BYTES = 5_000_000
_HTML_START = re.compile(r"^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.I)
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
    """Normalize line endings and Unicode form, drop control characters; refuse empty text."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_INPUT_BYTES:
        raise InputError(
            f"{origin} is {len(text):,} characters, over the {MAX_INPUT_BYTES:,}-byte input limit",
            hint="split the document into articles before summarizing",
        )
    if "\x00" in text:
        raise InputError(f"{origin} looks binary (it contains NUL characters)")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text)
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
