"""Input handling: bytes, files and HTML to clean article text, with limits checked before any model call."""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Protocol

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
_CHUNK = 1 << 20
# non-blocking: a FIFO swapped in after the type check does not block the open, and a "regular"
# file that waits for data (/proc/kmsg) does not block the read (regular files ignore the flag)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_OPEN_FLAGS = os.O_RDONLY | _NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_KINDS: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_HINTS = {
    errno.EACCES: "make the file readable by this user",
    errno.EPERM: "make the file readable by this user",
    errno.ENOTDIR: "a part of the path is a file, not a folder: check the path",
    errno.ELOOP: "a symbolic link on the path loops: check the path",
    errno.ENAMETOOLONG: "check the path",
}


class Readable(Protocol):
    """A binary stream (a file, standard input)."""

    def read(self, size: int = -1, /) -> bytes | None: ...


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
    return load(source, origin=origin).text


def load(source: str | bytes, *, origin: str = "input", html: bool | None = None) -> Article:
    """An :class:`Article` from a string or bytes; HTML (detected, or ``html=True``) is reduced."""
    # checked before decoding or parsing HTML (a character is at least one byte); clean() is exact
    if len(source) > MAX_INPUT_BYTES:
        raise _too_long(origin, len(source), "bytes" if isinstance(source, bytes) else "characters")
    text = decode(source, origin=origin) if isinstance(source, bytes) else source
    if html or (html is None and looks_like_html(text)):
        return Article(clean(html_to_text(text, origin=origin), origin=origin))
    raw = "\ufeff" + text if isinstance(source, bytes) and source[:3] == codecs.BOM_UTF8 else text
    return Article(clean(text, origin=origin), raw)


def _too_long(origin: str, size: int, unit: str) -> InputError:
    return InputError(
        f"{origin} is {size:,} {unit}, over the {MAX_INPUT_BYTES:,}-byte input limit",
        hint="split the document into articles before summarizing",
    )


def read_limited(stream: Readable, *, origin: str = "input") -> bytes:
    """Read ``stream`` to its end, but never more than the input limit plus one byte: a longer
    stream (``/dev/zero``, say) is an :class:`InputError`, found without reading it whole."""
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_INPUT_BYTES:
        piece = stream.read(min(_CHUNK, MAX_INPUT_BYTES + 1 - size))
        if piece is None:  # a non-blocking file with nothing to read yet: not a document
            raise InputError(f"cannot read {origin}: it has no data ready, it waits for more")
        if not piece:
            return b"".join(chunks)
        chunks.append(piece)
        size += len(piece)
    raise InputError(
        f"{origin} is over the {MAX_INPUT_BYTES:,}-byte input limit",
        hint="split the document into articles before summarizing",
    )


def read_stream(stream: Readable | None, *, origin: str = "standard input") -> str:
    """Read and prepare an article from a stream (standard input), within the input limit."""
    return load_stream(stream, origin=origin).text


def load_stream(stream: Readable | None, *, origin: str = "standard input") -> Article:
    """An :class:`Article` read from a stream (standard input), within the input limit."""
    if stream is None:
        raise InputError(f"{origin} is closed", hint="pipe the article in, or pass a file")
    try:
        data = read_limited(stream, origin=origin)
    except OSError as exc:
        raise InputError(f"cannot read {origin}: {_reason(exc)}") from None
    return load(data, origin=origin)


def read_path(path: str | os.PathLike[str], *, within: str | os.PathLike[str] | None = None) -> str:
    """Read and prepare an article from a regular file (text or HTML): :func:`load_path`'s text."""
    return load_path(path, within=within).text


def load_path(
    path: str | os.PathLike[str], *, within: str | os.PathLike[str] | None = None
) -> Article:
    """Read an :class:`Article` from a regular file (text or HTML), within the input limit.

    Anything else (a directory, a FIFO, a device) is refused before it is opened, so nothing
    blocks or reads forever. With ``within``, the file, symbolic links followed, must lie inside
    that folder. Every failure is an :class:`InputError` naming the file."""
    file = Path(path)
    try:
        root = None if within is None else os.path.realpath(within)
        if root is not None:
            _require_inside(os.path.realpath(file), root, file)
        data = _read_regular(file, root)
    except OSError as exc:
        raise file_error(exc, file) from None
    except ValueError as exc:  # a NUL or an unencodable character in the name
        raise InputError(
            f"unusable file name {_show(repr(str(file)))} ({exc})", hint="check the path"
        ) from None
    return load(data, origin=_show(file))


def _read_regular(file: Path, root: str | None) -> bytes:
    require_regular(os.stat(file).st_mode, file)  # a FIFO or a device is never opened
    fd = os.open(file, _OPEN_FLAGS)
    with open(fd, "rb", buffering=0) as handle:
        status = os.fstat(fd)
        require_regular(status.st_mode, file)  # replaced since the check above
        if root is not None and (opened := _opened_path(fd)) is not None:
            _require_inside(opened, root, file)  # a folder on the way swapped for a link
        if status.st_size > MAX_INPUT_BYTES:
            raise _too_long(_show(file), status.st_size, "bytes")
        return read_limited(handle, origin=_show(file))


def file_kind(mode: int) -> str:
    """What a file is, from its ``st_mode``: "a regular file", "a directory", "a FIFO"…"""
    if stat.S_ISREG(mode):
        return "a regular file"
    return next((name for test, name in _KINDS if test(mode)), "a special file")


def require_regular(mode: int, file: str | os.PathLike[str]) -> None:
    """Refuse with an :class:`InputError` a file whose ``st_mode`` is not a regular file's."""
    if not stat.S_ISREG(mode):
        raise InputError(
            f"not a regular file: {_show(file)} is {file_kind(mode)}",
            hint="pass a regular file holding the article",
        )


def _require_inside(real: str, root: str, file: Path) -> None:
    if os.path.commonpath([real, root]) != root:
        raise InputError(
            f"{_show(file)} is outside the folder {_show(root)}, the only one paths may name",
            hint="move the file into that folder, or allow any path (--allow-any-path, allow_any_path=True)",
        )


def _opened_path(fd: int) -> str | None:
    """The real path of an open file, where the system tells it (Linux)."""
    try:
        opened = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return None
    return opened if os.path.isabs(opened) else None


def file_error(exc: OSError, file: str | os.PathLike[str]) -> InputError:
    """An :class:`InputError` that says why ``file`` could not be read."""
    if exc.errno == errno.ENOENT:
        return InputError(f"file not found: {_show(file)}", hint="check the path")
    hint = _HINTS.get(exc.errno or 0, "")
    return InputError(f"cannot read {_show(file)}: {_reason(exc)}", hint=hint)


def _show(file: str | os.PathLike[str]) -> str:
    """A file name for a message: long ones keep their start and end."""
    name = os.fspath(file)
    return name if len(name) <= 200 else f"{name[:120]}…{name[-60:]}"


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc) or type(exc).__name__).lower()


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


# --- Offsets into the text exactly as given -------------------------------------------------------
# ``clean`` folds CRLF, normalizes to NFC, drops control and invisible characters and strips; each
# step is replayed here as a list of edits, so that a span of the clean text maps back to the input.

_CRLF = re.compile(r"\r\n?")
_DROPPED = re.compile(f"{_CONTROL.pattern}|{_INVISIBLE.pattern}")


@dataclass(frozen=True)
class _Step:
    """One cleaning step: ``old[o0:o1]`` became ``new[n0:n1]`` for each edit; the rest moved as is."""

    edits: tuple[tuple[int, int, int, int], ...]
    new_starts: tuple[int, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "new_starts", tuple(e[2] for e in self.edits))

    def locate(self, pos: int, *, end: bool) -> int:
        """Where char ``pos`` of the new text came from: its start, or with ``end`` its end."""
        index = bisect_right(self.new_starts, pos) - 1
        if index < 0:
            return pos + end
        old_start, old_end, _, new_end = self.edits[index]
        if pos < new_end:  # inside a replaced block: the whole block
            return old_end if end else old_start
        return pos - new_end + old_end + end


def _replace(text: str, pattern: re.Pattern[str], repl: str) -> tuple[str, _Step]:
    parts: list[str] = []
    edits: list[tuple[int, int, int, int]] = []
    last = length = 0
    for match in pattern.finditer(text):
        parts.append(text[last : match.start()])
        length += match.start() - last
        edits.append((match.start(), match.end(), length, length + len(repl)))
        parts.append(repl)
        length += len(repl)
        last = match.end()
    parts.append(text[last:])
    return "".join(parts), _Step(tuple(edits))


@cache
def _composes_backward() -> frozenset[str]:
    """Starters that NFC may fuse with the character before them (Unicode's NFC_QC=Maybe)."""
    found = {chr(c) for c in [*range(0x1161, 0x1176), *range(0x11A8, 0x11C3)]}  # Hangul V, T
    for code in range(0x30000):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            first, second = (chr(int(p, 16)) for p in parts)
            if unicodedata.combining(second) == 0 and unicodedata.normalize(
                "NFC", first + second
            ) == chr(code):
                found.add(second)
    return frozenset(found)


def _nfc_boundary(char: str) -> bool:
    """True when NFC never reaches across the start of ``char``."""
    decomposed = unicodedata.normalize("NFD", char)
    return (
        unicodedata.combining(char) == 0
        and unicodedata.combining(decomposed[0]) == 0
        and char not in _composes_backward()
    )


def _common_prefix(a: str, b: str) -> int:
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


def _nfc(text: str) -> tuple[str, _Step]:
    if unicodedata.is_normalized("NFC", text):
        return text, _Step(())
    cuts = [i for i in range(1, len(text)) if _nfc_boundary(text[i])]
    parts: list[str] = []
    edits: list[tuple[int, int, int, int]] = []
    length = 0
    for start, stop in zip([0, *cuts], [*cuts, len(text)], strict=True):
        piece = unicodedata.normalize("NFC", text[start:stop])
        if piece != text[start:stop]:
            edits.append((start, stop, length, length + len(piece)))
        parts.append(piece)
        length += len(piece)
    whole = unicodedata.normalize("NFC", text)
    if "".join(parts) != whole:  # not expected; one block over the difference keeps spans right
        head = _common_prefix(text, whole)
        tail = _common_prefix(text[head:][::-1], whole[head:][::-1])
        edits = [(head, len(text) - tail, head, len(whole) - tail)]
    return whole, _Step(tuple(edits))


class RawMap:
    """Maps char spans of ``clean(raw)`` back to ``raw``, the text exactly as given.

    A mapped span starts at the first and ends after the last character the clean span came from,
    so ``raw[start:end]`` holds the same text plus what cleaning removed inside it (the CR of a CRLF,
    zero-width and control characters) and, where NFC composed characters, their decomposed form.
    A span that starts or ends inside such a run (a letter with two accents, which NFC turns into a
    composed letter and a standing accent) covers the whole run.
    """

    def __init__(self, raw: str) -> None:
        text = _SURROGATE.sub("\ufffd", raw)  # one character for one
        text, folded = _replace(text, _CRLF, "\n")
        text, composed = _nfc(text)
        text, dropped = _replace(text, _DROPPED, "")
        self._lead = len(text) - len(text.lstrip())
        self._steps = (dropped, composed, folded)
        self.identity = not (folded.edits or composed.edits or dropped.edits or self._lead)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """``(raw_start, raw_end)`` of the clean text's ``[start, end)``."""
        if self.identity:
            return start, end
        first = start + self._lead
        last = max(start, end - 1) + self._lead  # index of the span's last character
        for step in self._steps:
            first = step.locate(first, end=False)
            last = step.locate(last, end=True) - 1
        return (first, last + 1) if end > start else (first, first)


@dataclass(frozen=True)
class Article:
    """Clean article text, and the input exactly as given when it was text (``None`` for HTML)."""

    text: str
    raw: str | None = None

    def raw_map(self) -> RawMap | None:
        """The map from spans of ``text`` to ``raw``; None when the article was reduced from HTML."""
        return None if self.raw is None else RawMap(self.raw)
