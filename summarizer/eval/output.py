"""Report folders: created up front, never taken over from another command, written whole."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from summarizer import InputError
from summarizer.eval.dataset import Case
from summarizer.eval.html import render_html
from summarizer.eval.markdown import render_markdown
from summarizer.eval.runner import PREDICTIONS, Prediction
from summarizer.masking import mask

_NUMBER_LIST = re.compile(r"\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]")


def dump_json(data: Any) -> str:
    """Indented JSON with lists of numbers (tallies, intervals) kept on one line."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    flat = _NUMBER_LIST.sub(
        lambda m: f"[{', '.join(x.strip() for x in m.group(1).split(','))}]", text
    )
    return flat + "\n"


class ReportConflict(InputError):
    """The output folder holds a report that another command wrote."""


def report_owner(folder: Path) -> str | None:
    """The command that wrote ``folder/report.json`` (None when there is none)."""
    path = folder / "report.json"
    if not path.exists():
        return None
    try:
        command = json.loads(path.read_text(encoding="utf-8")).get("command")
    except (OSError, ValueError, AttributeError):
        return "unknown"
    if isinstance(command, str):
        return command
    return "eval" if (folder / PREDICTIONS).exists() else "score"  # reports from before "command"


def prepare_out(out: Path, command: str) -> None:
    """Create the report folder; refuse a file, or a folder with another command's report."""
    owner = report_owner(out) if out.is_dir() else None
    if owner is not None and owner != command:
        raise ReportConflict(
            f"{out} holds the report of `summarizer {owner}`; `summarizer {command}` does not "
            "overwrite it: choose another --out"
        )
    make_folder(out)


def make_folder(out: Path) -> None:
    """Create an output folder; a file in the way or a filesystem error is one clear line."""
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file; give a folder for the reports")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the report folder {out}: {exc.strerror or exc}") from None


def write_files(out: Path, files: Mapping[str, str]) -> None:
    """Write text files into ``out``; a filesystem error is one :class:`InputError` line."""
    for name, text in files.items():
        try:
            (out / name).write_text(mask(text), encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write {out / name}: {exc.strerror or exc}") from None


def write_report(
    out: Path, report: Mapping[str, Any], cases: Sequence[Case], predictions: Sequence[Prediction]
) -> None:
    """Write ``report.json``, ``report.md`` and ``report.html`` into ``out``."""
    write_files(out, {
        "report.json": dump_json(report),
        "report.md": render_markdown(report),
        "report.html": render_html(report, cases, predictions),
    })  # fmt: skip
