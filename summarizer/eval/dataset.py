"""Labelled datasets (docs/datasets.md): JSONL of ``{"id", "text", "gold", "source", "notes"}``."""

from __future__ import annotations

import json
from collections.abc import Iterator
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
    )


def iter_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, parsed JSON) for each non-blank line; a bad line is a :class:`DatasetError`."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise DatasetError(f"cannot read {path}: {exc.strerror}") from None
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{path}:{number}: not valid JSON ({exc.msg})") from None


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
