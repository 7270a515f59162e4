"""Batch runs over JSONL files that lose nothing: bounded concurrency, every record appended and
flushed as it completes, and a rerun with the same output file resumes where the last one stopped.

Input: one JSON object per line with an ``id`` (string or integer) and exactly one of ``text``,
``html`` or ``path`` (a regular file inside the input file's folder, unless ``allow_any_path``;
relative paths are read from that folder). Output: one record per input line, in completion order::

    {"id": "a1", "line": 1, "ok": true, "summary": {...}, "meta": {...}, "source_sha256": "…"}
    {"id": "a2", "line": 2, "ok": false, "error": {"type": "InputError", "message": "...", "hint": ""}}

A line that cannot be read as an article (broken JSON, no id, a duplicate id, no source field) gets an
error record of type ``BadInputLine``; it is keyed by its line number, every other record by its id.
A record of HTML input also carries ``source``, the cleaned article text its evidence offsets index
(``keep_source`` adds it for text input too); spans of text input also give ``raw_start``/``raw_end``.

The output is owned while a run writes it: an exclusive ``flock`` on the file itself refuses a
second writer, the input is refused as output through any path to it, and a file whose lines are
not batch records is refused rather than taken as done. An interrupt stops new attempts at once and
abandons those in flight (the workers are daemon threads); only complete records are written.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import stat
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from summarizer.api import Result, Summarizer
from summarizer.errors import ConfigError, InputError, SummarizerError
from summarizer.ingest import Article, file_kind, load, load_path
from summarizer.masking import mask
from summarizer.retry import Stopped, stop_on

SOURCE_FIELDS = ("text", "html", "path")
BAD_LINE = "BadInputLine"
#: A single input line longer than this is refused before it is parsed.
MAX_LINE_BYTES = 12_000_000


@dataclass(frozen=True)
class BatchInput:
    """One input line: an article to summarize, or the problem that keeps it from being one."""

    line: int
    id: str | None
    source: str | Path | None = None
    problem: str | None = None
    html: bool = False
    #: the folder a ``path`` source must lie inside (None: anywhere)
    root: Path | None = None


@dataclass
class BatchReport:
    """What a batch run did: counts by outcome and error type, and the wall time."""

    total: int = 0
    skipped: int = 0
    ok: int = 0
    failed: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    #: the part of ``seconds`` spent preparing the summarizer before the first article
    setup_seconds: float = 0.0

    def summary_line(self) -> str:
        parts = [
            f"{self.total} input lines",
            f"{self.skipped} already done",
            f"{self.ok} summarized",
            f"{self.failed} failed",
        ]
        if self.errors:
            parts.append(", ".join(f"{k} {v}" for k, v in self.errors.most_common()))
        setup = f" ({self.setup_seconds:.2f} s of it setting up)" if self.setup_seconds else ""
        return "; ".join(parts) + f" in {self.seconds:.2f} s{setup}"


def read_inputs(path: Path, *, allow_any_path: bool = False) -> Iterator[BatchInput]:
    """Parse an input JSONL file line by line; blank lines are skipped, bad lines reported.
    A ``path`` source must lie inside the input file's folder unless ``allow_any_path``."""
    seen: dict[str, int] = {}
    base = path.parent
    with path.open("rb") as handle:
        for number, raw in enumerate(_lines(handle), start=1):
            item = _parse_line(raw, number, base, None if allow_any_path else base)
            if item is None:
                continue
            if item.id is not None and item.problem is None:
                first = seen.setdefault(item.id, number)
                if first != number:
                    item = BatchInput(
                        number, item.id, None, f"duplicate id (first on line {first})"
                    )
            yield item


def count_lines(path: Path) -> int:
    """Non-blank lines of a file, counted without parsing them (for a progress bar's total)."""
    with path.open("rb") as handle:
        return sum(1 for raw in _lines(handle) if raw.strip())


def _lines(handle: BinaryIO) -> Iterator[bytes]:
    """The lines of a file, each cut after ``MAX_LINE_BYTES + 1`` bytes: the rest of a longer line
    is skipped, never held in memory."""
    while raw := handle.readline(MAX_LINE_BYTES + 1):
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
        yield raw


def _parse_line(raw: bytes, number: int, base: Path, root: Path | None) -> BatchInput | None:
    if len(raw) > MAX_LINE_BYTES:
        return BatchInput(number, None, None, f"line is over the {MAX_LINE_BYTES:,}-byte limit")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return BatchInput(number, None, None, f"line is not valid UTF-8 (byte {exc.start})")
    if not text.strip():
        return None
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return BatchInput(
            number, None, None, f"line is not valid JSON ({exc.msg}, column {exc.colno})"
        )
    if not isinstance(record, dict):
        return BatchInput(
            number, None, None, f"expected a JSON object, got {type(record).__name__}"
        )
    raw_id = record.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or str(raw_id).strip() == "":
        return BatchInput(number, None, None, "missing or empty 'id' (a string or an integer)")
    ident = str(raw_id)
    given = [name for name in SOURCE_FIELDS if record.get(name) is not None]
    if len(given) != 1:
        found = f"got {', '.join(given)}" if given else "got none"
        return BatchInput(number, ident, None, f"needs exactly one of text, html, path ({found})")
    value = record[given[0]]
    if not isinstance(value, str):
        return BatchInput(number, ident, None, f"'{given[0]}' must be a string")
    if given[0] == "path":
        return BatchInput(number, ident, base / value, root=root)
    return BatchInput(number, ident, value, html=given[0] == "html")


def _record_key(record: dict[str, Any]) -> str:
    error = record.get("error")
    if isinstance(error, dict) and error.get("type") == BAD_LINE:
        return f"line:{record.get('line')}"
    return f"id:{record.get('id')}"


def _reruns(record: dict[str, Any]) -> bool:
    """An article's error record, which ``--retry-failed`` removes (bad lines stay)."""
    return record.get("ok") is False and not _record_key(record).startswith("line:")


def _key(item: BatchInput) -> str:
    return f"line:{item.line}" if item.problem is not None else f"id:{item.id}"


class OutputLock:
    """A batch output held by this process: an exclusive, non-blocking ``flock`` on the file
    itself (so every path to it, symbolic or hard link, meets the same lock), released by
    :meth:`close` or when the process ends."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd = fd

    def replace(self, tmp: Path) -> None:
        """Move ``tmp`` over the output, locked before it takes the output's name: no other
        run can take the new file in between."""
        fd = os.open(tmp, os.O_RDONLY | os.O_CLOEXEC)
        _flock(fd, tmp)
        os.replace(tmp, self.path)
        os.close(self._fd)
        self._fd = fd

    def close(self) -> None:
        """Release the output (once)."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def _flock(fd: int, path: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover - no flock there; the output is not locked
        return
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise InputError(
            f"{path} is being written by another batch (it is locked)",
            hint="wait for that batch to end, or pass another output file",
        ) from None


def own_output(path: Path, *, inputs: Path | None = None) -> OutputLock:
    """Open ``path`` (created if missing) and lock it for this run. Refused with
    :class:`InputError`: another run holding it, a file that is not a regular file, and the
    input file itself under any path (recognised by device and inode)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            reason = (exc.strerror or str(exc)).lower()
            raise InputError(f"cannot open the output file {path}: {reason}") from None
        try:
            held = os.fstat(fd)
            _check_output(path, held, inputs)
            _flock(fd, path)
            try:
                now = os.stat(path)
            except FileNotFoundError:
                now = None
        except BaseException:
            os.close(fd)
            raise
        if now is not None and (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino):
            return OutputLock(path, fd)
        os.close(fd)  # replaced by the run that held it, before we locked it: lock the new one


def _check_output(path: Path, held: os.stat_result, inputs: Path | None) -> None:
    if not stat.S_ISREG(held.st_mode):
        raise InputError(
            f"the output {path} is {file_kind(held.st_mode)}, not a regular file",
            hint="pass a JSONL file (it is created if missing)",
        )
    if inputs is None:
        return
    try:
        source = os.stat(inputs)
    except OSError:
        return
    if (source.st_dev, source.st_ino) == (held.st_dev, held.st_ino):
        raise InputError(
            f"the output file is the input file ({path} and {inputs} are the same file)",
            hint="pass a different OUT",
        )


def recover_output(
    path: Path, *, drop_failed: bool = False, lock: OutputLock | None = None
) -> set[str]:
    """Keys of the records already in ``path``, read line by line. A torn last line (the process
    died mid-write) is cut off; with ``drop_failed`` article errors are removed (atomically, through a
    temporary file, which ``lock`` holds before it takes the output's name) so that they run again.
    A line that is not a batch record is an :class:`InputError` naming it; nothing is changed."""
    if not path.exists():
        return set()
    keys: set[str] = set()
    failed = 0
    good_bytes = 0
    with path.open("rb") as handle:
        for number, raw in enumerate(_lines(handle), start=1):
            if len(raw) > MAX_LINE_BYTES:
                raise InputError(
                    f"line {number} of {path} is over the {MAX_LINE_BYTES:,}-byte limit; "
                    "it is not an output of this command",
                    hint="pass a new output file",
                )
            if not raw.endswith(b"\n") and _torn(raw, path, number):
                break  # torn: everything before it stays, its article runs again
            record = _output_record(raw, path, number)
            if record is None:
                pass
            elif drop_failed and _reruns(record):
                failed += 1
            else:
                keys.add(_record_key(record))
            good_bytes += len(raw)
    if good_bytes < path.stat().st_size:
        os.truncate(path, good_bytes)
    if failed:
        _drop_failed(path, lock)
    return keys


def _drop_failed(path: Path, lock: OutputLock | None) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with path.open("rb") as source, tmp.open("wb") as sink:
        for number, raw in enumerate(source, start=1):
            record = _output_record(raw, path, number)
            if record is not None and not _reruns(record):
                sink.write(raw)
        sink.flush()
        os.fsync(sink.fileno())
    if lock is not None:
        lock.replace(tmp)
    else:
        os.replace(tmp, path)


#: How every record this module writes begins (``json.dumps`` of a dict whose first key is id).
_RECORD_START = b'{"id": '


def _torn(raw: bytes, path: Path, number: int) -> bool:
    """True for a last line without its newline that a crash cut (or a whole record whose newline
    was lost: its article runs again); any other line is checked as a record."""
    try:
        json.loads(raw)
    except ValueError:
        return raw.startswith(_RECORD_START)
    return _output_record(raw, path, number) is not None


def _output_record(raw: bytes, path: Path, number: int) -> dict[str, Any] | None:
    """The record on line ``number`` of a batch output (None for a blank line)."""
    if not raw.strip():
        return None
    try:
        record = json.loads(raw)
    except ValueError:  # not JSON, or not UTF-8
        record = None
    problem = _record_problem(record)
    if problem is not None:
        raise InputError(
            f"line {number} of {path} is not a batch record ({problem}); "
            "it is not an output of this command",
            hint="pass a new output file, or fix the line",
        )
    assert isinstance(record, dict)
    return record


def _record_problem(record: Any) -> str | None:
    """What keeps a parsed line from being a batch record, if anything."""
    if not isinstance(record, dict):
        return "not a JSON object"
    if "id" not in record or not isinstance(record["id"], str | int | None):
        return "no 'id'"
    line = record.get("line")
    if not isinstance(line, int) or isinstance(line, bool) or line < 1:
        return "no 'line' number"
    ok = record.get("ok")
    if not isinstance(ok, bool):
        return "no 'ok' true or false"
    if ok and not isinstance(record.get("summary"), dict):
        return "'ok' but no 'summary'"
    error = record.get("error")
    if ok:
        kind = None
    elif isinstance(error, dict) and isinstance(error.get("type"), str):
        kind = error["type"]
    else:
        return "not 'ok' but no 'error' with a 'type'"
    if record["id"] is None and kind != BAD_LINE:
        return "no 'id'"
    return None


def _error(exc: BaseException) -> dict[str, str]:
    if isinstance(exc, SummarizerError):
        return {"type": type(exc).__name__, "message": exc.message, "hint": exc.hint}
    return {"type": "InternalError", "message": f"{type(exc).__name__}: {exc}", "hint": ""}


class _Sink:
    """Appends one JSON line per record and flushes it, so a killed process loses nothing written."""

    def __init__(self, path: Path, report: BatchReport) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = path.open("a", encoding="utf-8")
        self._report = report

    def write(self, record: dict[str, Any]) -> None:
        self._handle.write(mask(json.dumps(record, ensure_ascii=False)) + "\n")
        self._handle.flush()
        if record["ok"]:
            self._report.ok += 1
        else:
            self._report.failed += 1
            self._report.errors[record["error"]["type"]] += 1

    def close(self) -> None:
        self._handle.close()


def article_of(item: BatchInput) -> Article:
    """The article of an input line, read and cleaned (an :class:`InputError` when it cannot be)."""
    source = item.source
    if source is None:
        raise InputError(f"line {item.line} has no article")
    if isinstance(source, Path):
        return load_path(source, within=item.root)
    return load(source, origin=f"line {item.line}", html=item.html or None)


def _summarize(summarizer: Summarizer, item: BatchInput, keep_source: bool) -> dict[str, Any]:
    head: dict[str, Any] = {"id": item.id, "line": item.line}
    try:
        result: Result = summarizer.summarize(article_of(item))
    except Exception as exc:  # every failure becomes a record, never a lost article
        return {**head, "ok": False, "error": _error(exc)}
    return {**head, "ok": True, **result.as_dict(source=keep_source or None)}


def run_batch(
    summarizer: Summarizer,
    inputs: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    concurrency: int = 8,
    retry_failed: bool = False,
    allow_any_path: bool = False,
    keep_source: bool = False,
    on_record: Callable[[dict[str, Any]], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> BatchReport:
    """Summarize every article of ``inputs`` into ``output`` (see the module docstring); resumes
    when ``output`` already holds records. A ``path`` line may name only a file inside the input
    file's folder unless ``allow_any_path``. ``on_record`` sees each record as it is written;
    ``on_total`` gets the number of lines still to do (for a progress bar). ``keep_source`` stores
    the cleaned text in every record (HTML records always have it).

    Articles run on ``concurrency`` worker threads (measured: for remote models the SDK's thread
    path keeps 32 requests in flight more efficiently than its asyncio path); this thread writes
    every record. ``output`` is locked for the run: a second run on it is an :class:`InputError`.
    An interrupt (``KeyboardInterrupt``) stops every retry loop at once, writes the records already
    complete and re-raises without waiting for requests in flight; a rerun resumes."""
    if concurrency < 1:
        raise ConfigError(f"concurrency must be at least 1, got {concurrency}")
    with owned_output(inputs, output, retry_failed=retry_failed, on_total=on_total) as out:
        run = _Run(summarizer, out.sink, out.report, concurrency, keep_source, on_record)
        run.feed(read_inputs(Path(inputs), allow_any_path=allow_any_path), out.done)
    return out.report


@dataclass
class OwnedOutput:
    """A batch output held for one run: the keys already done, the sink and the run's report."""

    done: set[str]
    sink: _Sink
    report: BatchReport


@contextmanager
def owned_output(
    inputs: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    retry_failed: bool = False,
    on_total: Callable[[int], None] | None = None,
) -> Iterator[OwnedOutput]:
    """The output of a run on ``inputs``, locked and resumed (every engine shares it): the input
    checked, the output owned (:func:`own_output`), the finished keys recovered, and on leaving the
    sink closed, the lock released and ``report.seconds`` set."""
    in_path, out_path = Path(inputs), Path(output)
    if not in_path.is_file():
        raise InputError(f"input file not found: {in_path}", hint="pass a JSONL file of articles")
    started = time.perf_counter()
    lock = own_output(out_path, inputs=in_path)
    report = BatchReport()
    try:
        done = recover_output(out_path, drop_failed=retry_failed, lock=lock)
        if on_total is not None:
            on_total(max(0, count_lines(in_path) - len(done)))
        sink = _Sink(out_path, report)
        try:
            yield OwnedOutput(done, sink, report)
        finally:
            sink.close()
    finally:
        lock.close()
        report.seconds = time.perf_counter() - started


class _Run:
    """The articles of one run on daemon worker threads; this thread writes every record."""

    def __init__(
        self,
        summarizer: Summarizer,
        sink: _Sink,
        report: BatchReport,
        concurrency: int,
        keep_source: bool,
        on_record: Callable[[dict[str, Any]], None] | None,
        summarize: Callable[[BatchInput], dict[str, Any]] | None = None,
    ) -> None:
        self.summarizer, self.sink, self.report = summarizer, sink, report
        self.summarize = summarize or (lambda item: _summarize(summarizer, item, keep_source))
        self.concurrency, self.keep_source, self.on_record = concurrency, keep_source, on_record
        self.stop = threading.Event()
        self.todo: queue.SimpleQueue[BatchInput | None] = queue.SimpleQueue()
        # workers hand finished records (None: stopped, nothing to write) to the writer
        self.finished: queue.SimpleQueue[dict[str, Any] | None] = queue.SimpleQueue()
        self.workers: list[threading.Thread] = []
        self.running = 0

    def feed(self, items: Iterator[BatchInput], done: set[str]) -> None:
        """Run every item not in ``done``; on an interrupt, stop at once (see :func:`run_batch`)."""
        try:
            for item in items:
                self.report.total += 1
                if _key(item) in done:
                    self.report.skipped += 1
                elif item.problem is not None:
                    message = f"line {item.line}: {item.problem}"
                    error = {"type": BAD_LINE, "message": message, "hint": ""}
                    self.emit({"id": item.id, "line": item.line, "ok": False, "error": error})
                else:
                    self.submit(item)
            self.drain(0)
        except BaseException:
            self.stop.set()  # no retry starts, no backoff waits on; requests in flight are left
            while not self.finished.empty():  # what is complete is kept
                record = self.finished.get()
                if record is not None:
                    self.sink.write(record)
            raise
        finally:
            for _ in self.workers:
                self.todo.put(None)

    def submit(self, item: BatchInput) -> None:
        if not self.workers:  # once, before the workers start: they would all prepare at once
            setup_started = time.perf_counter()
            self.summarizer.warm_up(errors="ignore")
            self.report.setup_seconds = time.perf_counter() - setup_started
        self.drain(self.concurrency - 1)
        if len(self.workers) < self.concurrency:
            name = f"batch-{len(self.workers)}"
            worker = threading.Thread(target=self.work, name=name, daemon=True)
            worker.start()
            self.workers.append(worker)
        self.todo.put(item)
        self.running += 1

    def work(self) -> None:
        """A worker: summarize queued items until told to end; a stopped run records nothing."""
        with stop_on(self.stop):
            while (item := self.todo.get()) is not None:
                record: dict[str, Any] | None
                try:
                    record = None if self.stop.is_set() else self.one(item)
                except Stopped:
                    record = None
                except BaseException as exc:  # never leave the writer waiting for a record
                    record = {"id": item.id, "line": item.line, "ok": False, "error": _error(exc)}
                self.finished.put(record)

    def one(self, item: BatchInput) -> dict[str, Any] | None:
        record = self.summarize(item)
        error = record.get("error")
        return None if error is not None and error["type"] == Stopped.__name__ else record

    def emit(self, record: dict[str, Any]) -> None:
        self.sink.write(record)
        if self.on_record is not None:
            self.on_record(record)

    def drain(self, limit: int) -> None:
        """Write finished records until at most ``limit`` articles are in flight."""
        while self.running > limit:
            record = self.finished.get()
            self.running -= 1
            if record is not None:
                self.emit(record)


async def arun_batch(
    summarizer: Summarizer,
    inputs: str | os.PathLike[str],
    output: str | os.PathLike[str],
    **options: Any,
) -> BatchReport:
    """:func:`run_batch` from async code (it runs in a worker thread; the event loop stays free)."""
    return await asyncio.to_thread(run_batch, summarizer, inputs, output, **options)


def load_batch(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The records of a batch output file, in the order they were written."""
    with Path(path).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
