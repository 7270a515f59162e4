"""``summarizer export``, ``view`` and ``link``: the analyst's commands over results files."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from summarizer.export import require
from summarizer.records import Results, read_records


def add_analyst_commands(commands: Any) -> None:
    """Register ``export``, ``view`` and ``link`` on the top-level subparsers."""
    results_help = "a batch output, or JSON from `summarizer summarize` (with or without --meta)"
    export = commands.add_parser("export", help="export results as FollowTheMoney entities or CSV")
    export.add_argument("results", type=Path, help=results_help)
    export.add_argument("--format", choices=("ftm", "csv"), required=True,
                        help="ftm: FollowTheMoney entities, one JSON object a line; csv: one row per "
                        "action and target (required, no default)")  # fmt: skip
    export.add_argument("-o", "--output", type=Path, help="output file (default: standard output)")
    export.add_argument(
        "--bom", action="store_true", help="csv: start with a UTF-8 BOM, for Excel (default: off)"
    )
    export.add_argument(
        "--dataset", default="sanctions_summarizer", help="ftm: dataset name (default: %(default)s)"
    )
    export.set_defaults(run=_export)

    view = commands.add_parser("view", help="write a self-contained HTML page to review results")
    view.add_argument("results", type=Path, help=results_help)
    view.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        help="the HTML file to write (required, no default)",
    )
    view.add_argument("--title", default="Sanctions summaries",
                      help="the page's title (default: %(default)s)")  # fmt: skip
    view.set_defaults(run=_view)

    link = commands.add_parser("link", help="match named targets against a sanctions list")
    link.add_argument("results", type=Path, help=results_help)
    link.add_argument("--against", type=Path, required=True,
                      help="FollowTheMoney entities (JSON lines) or OFAC's sdn.csv (required, no default)")  # fmt: skip
    link.add_argument("-o", "--output", type=Path, help="JSONL output (default: standard output)")
    link.add_argument(
        "--threshold", type=float, help="lowest score reported, 0 to 1 (default: 0.7)"
    )
    link.add_argument(
        "--limit", type=int, default=5, help="most matches kept per target (default: %(default)s)"
    )
    link.set_defaults(run=_link)


def _read(path: Path, command: str) -> Results:
    results = read_records(path)
    plural = "" if results.failed == 1 else "s"
    skipped = f" ({results.failed} failed article{plural} skipped)" if results.failed else ""
    print(f"summarizer {command}: {len(results.records)} results read{skipped}", file=sys.stderr)
    return results


def _write(output: Path | None, fill: Callable[[IO[str]], Any], *, bom: bool = False) -> Any:
    """Write through ``fill`` to ``output`` (whole or not at all), or to standard output."""
    if output is None:
        if bom:
            sys.stdout.write("\ufeff")
        return fill(sys.stdout)
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
            written = fill(out)
        os.replace(name, output)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return written


def _export(args: argparse.Namespace) -> int:
    if args.format == "ftm":
        ftm = require("summarizer.export.ftm", "summarizer export --format ftm")
        records = _read(args.results, "export").records
        count = _write(args.output, lambda out: ftm.write_ftm(records, out, dataset=args.dataset))
        what = "entities"
    else:
        from summarizer.export.csv import write_csv

        records = _read(args.results, "export").records
        count = _write(args.output, lambda out: write_csv(records, out), bom=args.bom)
        what = "rows"
    print(
        f"summarizer export: {count} {what} → {args.output or 'standard output'}", file=sys.stderr
    )
    return 0


def _view(args: argparse.Namespace) -> int:
    from summarizer.view import render_view

    page = render_view(_read(args.results, "view").records, title=args.title)
    _write(args.output, lambda out: out.write(page))
    print(f"summarizer view: wrote {args.output}", file=sys.stderr)
    return 0


def _link(args: argparse.Namespace) -> int:
    linker = require("summarizer.link", "summarizer link")
    records = _read(args.results, "link").records
    against = linker.SanctionsList.load(args.against)
    threshold = linker.THRESHOLD if args.threshold is None else args.threshold
    links = linker.link(records, against, threshold=threshold, limit=args.limit)

    def fill(out: IO[str]) -> int:
        for item in links:
            out.write(json.dumps(item.as_dict(), ensure_ascii=False) + "\n")
        return len(links)

    _write(args.output, fill)
    matched = sum(bool(item.matches) for item in links)
    print(f"summarizer link: {len(links)} targets, {matched} with a match at {threshold} or above "
          f"in {len(against):,} list entities", file=sys.stderr)  # fmt: skip
    return 0
