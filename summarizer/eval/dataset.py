"""Labelled datasets (docs/datasets.md): JSONL of ``{"id", "text", "gold", "source", "notes"}``."""

from __future__ import annotations

import hashlib
import json
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, Field, ValidationError

from summarizer import InputError, SanctionsSummary
from summarizer.grounding import normalize_space


class GoldSummary(SanctionsSummary):
    """Gold labels: like :class:`SanctionsSummary`, headline and summary optional, plus facts."""

    model_config = ConfigDict(extra="forbid")

    headline: str = ""
    summary: str = ""
    summary_facts: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class Case:
    """One labelled article."""

    id: str
    text: str
    gold: GoldSummary
    source: str = ""
    notes: str = ""
    category: str = ""
    digest: str = ""  # of the record's id, text and gold: what a score depends on


class DatasetError(InputError):
    """A dataset record is malformed; the message names file, line, id and field."""


def _field_errors(error: ValidationError) -> str:
    parts = []
    for item in error.errors(include_url=False)[:3]:
        location = ".".join(str(p) for p in item["loc"]) or "(record)"
        parts.append(f"gold.{location}: {item['msg']}")
    return "; ".join(parts)


def parse_case(record: Any, *, where: str) -> Case:
    """Validate one record; gold evidence is grounded against the record's text."""
    if not isinstance(record, dict):
        raise DatasetError(f"{where}: expected a JSON object")
    case_id = record.get("id")
    if not isinstance(case_id, str) or not case_id:
        raise DatasetError(f"{where}: field 'id' is missing or not a string")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise DatasetError(f"{where} (id {case_id!r}): field 'text' is missing or empty")
    if not isinstance(record.get("gold"), dict):
        raise DatasetError(f"{where} (id {case_id!r}): field 'gold' is missing or not an object")
    try:
        gold = GoldSummary.model_validate(record["gold"], context={"source": text})
    except ValidationError as exc:
        raise DatasetError(f"{where} (id {case_id!r}): {_field_errors(exc)}") from None
    missing = [f for f in gold.summary_facts if normalize_space(f) not in normalize_space(text)]
    if missing:
        raise DatasetError(
            f"{where} (id {case_id!r}): gold.summary_facts not in the text: {missing!r}"
        )
    return Case(
        id=case_id,
        text=text,
        gold=gold,
        source=str(record.get("source", "")),
        notes=str(record.get("notes", "")),
        category=str(record.get("category", "")),
        digest=_digest({"id": case_id, "text": text, "gold": record["gold"]}),
    )


def _digest(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def dataset_hash(cases: Iterable[Case]) -> str:
    """Content hash of a dataset: its records' ids, texts and gold labels, in any order."""
    return _digest(sorted(case.digest for case in cases))[:16]


def _open(path: Path) -> Any:
    try:
        if path.is_dir():
            raise DatasetError(f"cannot read {path}: it is a folder, not a file")
        if path.exists() and not stat.S_ISREG(path.stat().st_mode):
            raise DatasetError(f"cannot read {path}: not a regular file")
        return path.open("rb")
    except OSError as exc:
        raise DatasetError(f"cannot read {path}: {exc.strerror or exc}") from None


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with _open(path) as handle:
        number = 0
        while True:
            try:
                raw = handle.readline()
            except OSError as exc:
                raise DatasetError(
                    f"cannot read {path} after line {number}: {exc.strerror or exc}"
                ) from None
            if not raw:
                return
            number += 1
            yield number, _decode(raw, f"{path}:{number}")


def _decode(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DatasetError(
            f"{where}: not valid UTF-8 (byte {raw[exc.start]:#04x} at column {exc.start + 1}); "
            "save the file as UTF-8"
        ) from None


def iter_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, parsed JSON) for each non-blank line; a bad line is a :class:`DatasetError`."""
    for number, line in _lines(path):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
        except RecursionError:
            raise DatasetError(f"{path}:{number}: JSON nested too deeply") from None


def load_dataset(path: str | Path) -> list[Case]:
    """Load and validate every record of a dataset; ids must be unique."""
    file = Path(path)
    cases: list[Case] = []
    seen: dict[str, int] = {}
    for number, record in iter_jsonl(file):
        case = parse_case(record, where=f"{file}:{number}")
        if case.id in seen:
            raise DatasetError(
                f"{file}:{number}: duplicate id {case.id!r} (first on line {seen[case.id]})"
            )
        seen[case.id] = number
        cases.append(case)
    if not cases:
        raise DatasetError(f"{file} has no records")
    return cases
