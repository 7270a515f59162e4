"""The record format that readers of results share: a batch output (JSONL), or the JSON that
``summarizer summarize`` prints, with or without ``--meta``. Readers (export, link, view) depend on
this module and on ``schema`` only."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from summarizer.errors import InputError
from summarizer.schema import SanctionsSummary


@dataclass(frozen=True)
class Record:
    """One summarized article: its id, summary, and (when the results carry it) its source text."""

    id: str
    summary: SanctionsSummary
    source: str | None = None
    source_sha256: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Results:
    """The records read from a results file, and how many failed articles it held."""

    records: list[Record]
    failed: int = 0

    def __iter__(self) -> Iterator[Record]:
        return iter(self.records)


def _summary(data: Any, source: str | None, where: str) -> SanctionsSummary:
    if not isinstance(data, dict):
        raise InputError(f"{where}: 'summary' is not a JSON object")
    try:
        summary = SanctionsSummary.model_validate(data)
    except ValidationError as exc:
        problem = exc.errors()[0]
        place = ".".join(str(p) for p in problem["loc"])
        raise InputError(
            f"{where}: not a valid summary ({place}: {problem['msg']})",
            hint="pass a batch output or the JSON printed by `summarizer summarize`",
        ) from None
    spans = any(action.evidence_spans for action in summary.actions)
    if source is not None and summary.actions and not spans:  # place the quotes in the source
        with contextlib.suppress(ValidationError):  # quotes that do not align stay without spans
            summary = SanctionsSummary.model_validate(data, context={"source": source})
    return summary


def parse_record(data: Any, *, default_id: str, where: str) -> Record | None:
    """A :class:`Record` from one JSON value; None for a failed article's record."""
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(data).__name__}")
    if data.get("ok") is False:
        return None
    if "is_sanctions_news" in data:  # a bare summary, as `summarizer summarize` prints it
        return Record(default_id, _summary(data, None, where))
    if "summary" not in data:
        raise InputError(
            f"{where}: neither a result record nor a summary (no 'summary' field)",
            hint="pass a batch output or the JSON printed by `summarizer summarize`",
        )
    source = data.get("source")
    source = source if isinstance(source, str) else None
    digest = data.get("source_sha256")
    digest = digest if isinstance(digest, str) else None
    if source is not None and digest is not None:
        actual = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
        if actual != digest:
            raise InputError(f"{where}: 'source' does not match its 'source_sha256'")
    ident = data.get("id")
    meta = data.get("meta")
    return Record(
        default_id if ident is None else str(ident),
        _summary(data["summary"], source, where),
        source,
        digest,
        meta if isinstance(meta, dict) else {},
    )


def _values(path: Path) -> Iterable[tuple[Any, str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"results file not found: {path}", hint="check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        whole = None
    if whole is not None:  # one JSON document: a summary, a --meta result, or a list of them
        items = whole if isinstance(whole, list) else [whole]
        return [(item, f"{path} item {n}") for n, item in enumerate(items, 1)]
    values = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            values.append((json.loads(line), f"{path} line {number}"))
        except json.JSONDecodeError as exc:
            raise InputError(f"{path} line {number} is not valid JSON ({exc.msg})") from None
    return values


def read_records(path: str | os.PathLike[str]) -> Results:
    """Read a results file: batch output, or ``summarizer summarize`` JSON (with or without
    ``--meta``). A record without an id is named after the file (and its position in it)."""
    file = Path(path)
    values = list(_values(file))
    records: list[Record] = []
    failed = 0
    for number, (value, where) in enumerate(values, 1):
        default = file.stem if len(values) == 1 else f"{file.stem}-{number}"
        record = parse_record(value, default_id=default, where=where)
        if record is None:
            failed += 1
        else:
            records.append(record)
    return Results(records, failed)
