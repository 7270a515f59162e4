"""Results as CSV for spreadsheets: one row per (action, target); an action without named targets
is one row with the target columns empty. Articles that report no action have no row. Columns are
in :data:`COLUMNS` and described in ``docs/analysts.md``."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import IO

from summarizer.records import Record
from summarizer.schema import SanctionAction, Target

COLUMNS = (
    "record_id",
    "published_date",
    "headline",
    "action",
    "imposer",
    "authority",
    "status",
    "measures",
    "legal_basis",
    "reason",
    "target_countries",
    "target_count",
    "count_qualifier",
    "effective_date",
    "target_name",
    "target_kind",
    "target_country",
    "evidence",
    "source_sha256",
)
#: What joins the items of a list inside one cell.
SEPARATOR = "; "
# A cell a spreadsheet would run as a formula; it gets a leading apostrophe (shown as text).
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _row(record: Record, number: int, action: SanctionAction, target: Target | None) -> list[str]:
    summary = record.summary
    values = (
        record.id,
        summary.published_date.isoformat() if summary.published_date else None,
        summary.headline,
        number,
        action.imposer,
        action.authority,
        action.status.value,
        SEPARATOR.join(m.value for m in action.measures),
        SEPARATOR.join(action.legal_basis),
        action.reason,
        SEPARATOR.join(action.target_countries),
        action.target_count,
        action.count_qualifier.value if action.count_qualifier else None,
        action.effective_date.isoformat() if action.effective_date else None,
        target.name if target else None,
        target.kind.value if target else None,
        target.country if target else None,
        " | ".join(action.evidence),
        record.source_sha256,
    )
    return [_cell(v) for v in values]


def csv_rows(records: Iterable[Record]) -> Iterator[list[str]]:
    """The header, then one row per (action, target) of ``records``."""
    yield list(COLUMNS)
    for record in records:
        for number, action in enumerate(record.summary.actions, 1):
            targets: list[Target | None] = [*action.targets] or [None]
            for target in targets:
                yield _row(record, number, action, target)


def write_csv(records: Iterable[Record], out: IO[str]) -> int:
    """Write ``records`` as CSV to ``out`` (opened with ``newline=""``); returns the data rows."""
    writer = csv.writer(out)
    rows = -1
    for row in csv_rows(records):
        writer.writerow(row)
        rows += 1
    return rows
