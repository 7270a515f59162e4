"""Batches on a Ray cluster through Ray Data: the records of :func:`summarizer.batch.run_batch`,
made by a pool of Ray actors that each hold one :class:`~summarizer.api.Summarizer`.

Two entry points:

* :func:`run_batch_ray` is ``summarizer batch IN OUT --engine ray``: the driver reads the input,
  writes the bad lines, resumes and retries exactly as the local engine does, and writes every record
  the actors return (it alone writes OUT, so a restarted actor cannot tear a line).
* :func:`summarize_dataset` maps a ``ray.data.Dataset`` of articles (rows with ``id`` and one of
  ``text``, ``html`` or ``path``) to a dataset of records, for pipelines that already run on Ray.

An actor killed mid-run is restarted by Ray and its unfinished blocks run again; the driver writes a
record only once per key, so every id is in OUT once. Ray is imported only here, when it is used.
"""

from __future__ import annotations

import json
import logging
import math
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from summarizer.api import Summarizer
from summarizer.batch import (
    BAD_LINE,
    BatchInput,
    BatchReport,
    _key,
    _parse_line,
    _Sink,
    _summarize,
    owned_output,
    read_inputs,
)
from summarizer.errors import ConfigError
from summarizer.masking import mask

if TYPE_CHECKING:
    import ray.data

#: Builds the summarizer inside each actor (for options that are not config fields, e.g. ``retrying``).
Factory = Callable[[], Summarizer]
#: The columns of a record row: ``record`` is the record as one JSON line of a batch output.
RECORD_COLUMNS = ("key", "id", "line", "ok", "record")
#: Articles the driver hands to Ray at once (the rest wait in the input file, not in memory).
CHUNK_ROWS = 1024
#: Environment variables the actors need to reach a remote model, passed on to the cluster.
FORWARDED_ENV = ("OPENAI_API_KEY", "OPENAI_BASE_URL")
INSTALL_HINT = 'pip install "sanctions-summarizer[ray]"'


def require_ray() -> ModuleType:
    """The ``ray`` module with Ray Data, or a :class:`ConfigError` saying how to install it."""
    try:
        import ray
        import ray.data  # Ray Data is a separate part of the ray package
    except ImportError as exc:
        raise ConfigError(
            f"the ray engine needs Ray Data, which cannot be imported ({exc})", hint=INSTALL_HINT
        ) from None
    return ray


@dataclass(frozen=True)
class Pool:
    """How the actor pool is sized: ``workers`` actors, ``concurrency`` articles in flight in all
    (split evenly among the actors), ``cpus`` CPUs reserved for each actor."""

    workers: int = 2
    concurrency: int = 8
    cpus: float = 1.0

    def __post_init__(self) -> None:
        if self.workers < 1 or self.concurrency < 1:
            raise ConfigError(
                f"workers and concurrency must be at least 1, got {self.workers} and "
                f"{self.concurrency}"
            )

    @property
    def threads(self) -> int:
        """Articles each actor runs at once."""
        return max(1, math.ceil(self.concurrency / self.workers))


class _Worker:
    """A Ray Data actor: one summarizer, built and warmed up once, run over each batch of rows."""

    def __init__(
        self, options: dict[str, Any], factory: Factory | None, keep_source: bool, threads: int
    ) -> None:
        self._summarizer = factory() if factory is not None else Summarizer(**options)
        self._summarizer.warm_up(errors="ignore")
        self._keep_source = keep_source
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="ray-batch")

    def __call__(self, batch: Any) -> Any:
        """Records of a ``pyarrow.Table`` of rows, as a table of :data:`RECORD_COLUMNS`."""
        import pyarrow  # type: ignore[import-untyped]

        rows = batch.to_pylist()
        records = list(self._pool.map(self._one, rows))
        return pyarrow.Table.from_pylist(records, schema=_record_schema())

    def _one(self, row: dict[str, Any]) -> dict[str, Any]:
        item, line = row_input(row)
        if item.problem is not None:
            record = bad_line_record(item, line)
        else:
            record = _summarize(self._summarizer, item, self._keep_source)
            record["line"] = line
        return {
            "key": _key(item),
            "id": record["id"],
            "line": line,
            "ok": record["ok"],
            "record": mask(json.dumps(record, ensure_ascii=False)),
        }


def _record_schema() -> Any:
    import pyarrow

    return pyarrow.schema(
        [
            ("key", pyarrow.string()),
            ("id", pyarrow.string()),
            ("line", pyarrow.int64()),
            ("ok", pyarrow.bool_()),
            ("record", pyarrow.string()),
        ]
    )


def row_input(row: dict[str, Any]) -> tuple[BatchInput, int | None]:
    """The article a dataset row names, read by the rules of a batch input line; and the row's
    ``line`` (a number the row carries, else None). A ``path`` is read as given; a ``root`` column
    confines it to that folder."""
    line = row.get("line")
    line = line if isinstance(line, int) and not isinstance(line, bool) else None
    fields = {name: row.get(name) for name in ("id", "text", "html", "path")}
    try:
        raw = json.dumps(fields, ensure_ascii=False).encode("utf-8", "surrogatepass")
    except (TypeError, ValueError) as exc:
        return BatchInput(line or 0, None, None, f"row cannot be read: {exc}"), line
    root = Path(row["root"]) if row.get("root") else None
    item = _parse_line(raw, line or 0, Path.cwd(), root)
    if item is None:
        return BatchInput(line or 0, None, None, "row is empty"), line
    return item, line


def bad_line_record(item: BatchInput, line: int | None) -> dict[str, Any]:
    """The ``BadInputLine`` record of an input line (or row) that is not an article."""
    where = f"line {line}" if line is not None else f"row {item.id or '?'}"
    error = {"type": BAD_LINE, "message": f"{where}: {item.problem}", "hint": ""}
    return {"id": item.id, "line": line, "ok": False, "error": error}


def summarize_dataset(
    ds: ray.data.Dataset,
    *,
    pool: Pool | None = None,
    factory: Factory | None = None,
    keep_source: bool = False,
    **options: Any,
) -> ray.data.Dataset:
    """Map a dataset of articles to one of records (columns :data:`RECORD_COLUMNS`; ``record`` is
    the JSON line ``summarizer batch`` would write). Each of ``pool.workers`` actors builds one
    ``Summarizer(**options)`` (or ``factory()``) and runs ``pool.threads`` articles at once.

    Rows need ``id`` and one of ``text``, ``html`` or ``path``; a row that is not an article becomes
    a ``BadInputLine`` record. Duplicate ids are not looked for (``summarizer batch`` does that)."""
    require_ray()
    from ray.data import ActorPoolStrategy

    pool = pool or Pool()
    if factory is None:
        Summarizer(**options)  # a wrong option fails here, not in every actor
    return ds.map_batches(
        _Worker,
        batch_format="pyarrow",
        batch_size=None,
        compute=ActorPoolStrategy(size=pool.workers),
        fn_constructor_kwargs={
            "options": options,
            "factory": factory,
            "keep_source": keep_source,
            "threads": pool.threads,
        },
        num_cpus=pool.cpus,
        **_environment(),
    )


def _environment() -> dict[str, Any]:
    """The OpenAI key and endpoint of this process's environment, for the actors (a cluster's
    workers do not share it): Ray remote options."""
    env = {name: os.environ[name] for name in FORWARDED_ENV if name in os.environ}
    return {"runtime_env": {"env_vars": env}} if env else {}


def _row(item: BatchInput) -> dict[str, Any]:
    """The dataset row of a good input line (paths absolute, with the folder they must lie in)."""
    source = item.source
    row: dict[str, Any] = {"id": item.id, "line": item.line, "text": None, "html": None}
    row["path"] = str(source) if isinstance(source, Path) else None
    if not isinstance(source, Path):
        row["html" if item.html else "text"] = source
    row["root"] = str(item.root) if item.root is not None else None
    return row


def connect(
    address: str | None = None, *, num_cpus: int | None = None, quiet: bool = False
) -> bool:
    """Start a local Ray instance (``num_cpus`` CPUs) or join the cluster at ``address``, unless
    Ray is already initialized; True when this call started it (the caller then shuts it down)."""
    ray = require_ray()
    if quiet:
        ray.data.DataContext.get_current().enable_progress_bars = False
        logging.getLogger("ray").setLevel(logging.WARNING)
    if ray.is_initialized():
        return False
    level = logging.WARNING if quiet else logging.INFO
    if address is None:
        ray.init(
            num_cpus=num_cpus,
            include_dashboard=False,
            logging_level=level,
        )
    else:
        ray.init(address=address, logging_level=level)
    return True


def _chunks(items: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass(frozen=True)
class RayOptions:
    """Where and how a batch runs on Ray: the cluster (``address``; None starts a local instance of
    ``num_cpus`` CPUs, default every core or ``pool.workers`` if more), the pool, and a ``factory``
    that builds each actor's summarizer instead of ``Summarizer(**options)``."""

    address: str | None = None
    num_cpus: int | None = None
    pool: Pool = Pool()
    factory: Factory | None = None
    #: leave out Ray's progress logging and info lines (the command draws its own progress bar)
    quiet: bool = False


def run_batch_ray(
    options: dict[str, Any],
    inputs: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    ray_options: RayOptions | None = None,
    retry_failed: bool = False,
    allow_any_path: bool = False,
    keep_source: bool = False,
    on_record: Callable[[dict[str, Any]], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> BatchReport:
    """:func:`summarizer.batch.run_batch` on Ray: the same records, resume, ``retry_failed`` and
    output lock, with every article summarized by an actor built from ``options`` (fields of
    :class:`~summarizer.config.SummarizerConfig`). Bad lines are written by this process, which
    writes every record; ``setup_seconds`` is the time spent starting or joining Ray."""
    ray_options = ray_options or RayOptions()
    require_ray()
    if ray_options.factory is None:
        Summarizer(**options)  # a wrong option is one error here, before Ray starts
    with owned_output(inputs, output, retry_failed=retry_failed, on_total=on_total) as out:
        emit = _emitter(out.sink, set(out.done), on_record)
        todo = _todo(Path(inputs), allow_any_path, out.done, out.report, emit)
        _run_on_ray(todo, ray_options, out.report, options, keep_source, emit)
    return out.report


def _emitter(
    sink: _Sink, written: set[str], on_record: Callable[[dict[str, Any]], None] | None
) -> Callable[[str, dict[str, Any]], None]:
    """Write a record once per key (a block Ray ran twice, for a restarted actor, is dropped)."""

    def emit(key: str, record: dict[str, Any]) -> None:
        if key in written:
            return
        written.add(key)
        sink.write(record)
        if on_record is not None:
            on_record(record)

    return emit


def _run_on_ray(
    todo: Iterator[dict[str, Any]],
    ray_options: RayOptions,
    report: BatchReport,
    options: dict[str, Any],
    keep_source: bool,
    emit: Callable[[str, dict[str, Any]], None],
) -> None:
    """Start or join Ray when there is work, run the articles on the actor pool, emit records."""
    ray = require_ray()
    parts: list[Any] = []
    started_ray = False
    try:
        for chunk in _chunks(todo, CHUNK_ROWS):
            if not parts:
                setup_started = time.perf_counter()
                started_ray = connect(
                    ray_options.address, num_cpus=_cpus(ray_options), quiet=ray_options.quiet
                )
                report.setup_seconds = time.perf_counter() - setup_started
            blocks = math.ceil(len(chunk) / ray_options.pool.threads)
            parts.append(ray.data.from_items(chunk, override_num_blocks=blocks))
        if parts:
            dataset = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
            results = summarize_dataset(dataset, pool=ray_options.pool,
                                        factory=ray_options.factory, keep_source=keep_source,
                                        **options)  # fmt: skip
            for row in results.iter_rows():
                emit(row["key"], json.loads(row["record"]))
    finally:
        if started_ray:
            ray.shutdown()


def _cpus(ray_options: RayOptions) -> int:
    pool = ray_options.pool
    wanted = math.ceil(pool.workers * pool.cpus)
    return ray_options.num_cpus or max(wanted, os.cpu_count() or 1)


def _todo(
    path: Path,
    allow_any_path: bool,
    done: set[str],
    report: BatchReport,
    emit: Callable[[str, dict[str, Any]], None],
) -> Iterator[dict[str, Any]]:
    """The rows of the input lines still to run; finished ones are counted as skipped and bad
    lines are written at once, as the local engine does."""
    for item in read_inputs(path, allow_any_path=allow_any_path):
        report.total += 1
        if _key(item) in done:
            report.skipped += 1
        elif item.problem is not None:
            emit(_key(item), bad_line_record(item, item.line))
        else:
            yield _row(item)


def dataset_records(ds: ray.data.Dataset) -> Iterator[dict[str, Any]]:
    """The records of a :func:`summarize_dataset` result, as dicts, in the order Ray yields them."""
    for row in ds.iter_rows():
        yield json.loads(row["record"])


__all__ = [
    "Pool",
    "RayOptions",
    "connect",
    "dataset_records",
    "require_ray",
    "run_batch_ray",
    "summarize_dataset",
]
