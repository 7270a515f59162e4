"""Command line: ``summarizer summarize|schema|eval|score``. Thin: parsing and printing only.

Exit codes: 0 ok, 1 model/validation failure or failed gate, 2 usage or input error.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summarizer.api import Result, Summarizer
from summarizer.config import STRATEGIES
from summarizer.errors import ConfigError, InputError, SummarizerError
from summarizer.ingest import Article, load, load_path
from summarizer.render import to_markdown
from summarizer.schema import json_schema

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # usage errors exit 2 with one line
        self.exit(EXIT_USAGE, f"summarizer: error: {message} (see --help)\n")


def _model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model",
        default="local",
        help="local (default), local:gemma-3-270m, local:smollm2-135m, "
        "local:/path/model.gguf, or a model on OPENAI_BASE_URL",
    )
    parser.add_argument("--strategy", choices=STRATEGIES, default="auto")
    parser.add_argument(
        "--output-mode",
        choices=("json_schema", "json_object", "text"),
        default="json_schema",
        help="how a remote model is asked for JSON",
    )
    parser.add_argument("--base-url", help="OpenAI-compatible endpoint (default: OPENAI_BASE_URL)")
    parser.add_argument("--max-reasks", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=2048)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--prompt-dir", type=Path, help="directory of templates overriding ours")
    parser.add_argument(
        "--n-ctx", type=int, default=8192, help="context window of the embedded model"
    )
    parser.add_argument(
        "--threads", type=int, help="CPU threads of the embedded model (default: every core)"
    )
    parser.add_argument(
        "--ask-status",
        action="store_true",
        help="assisted: ask the model each action's status instead of keeping the rules' answer",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="summarizer", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-v", "--verbose", action="store_true", help="log retries and re-asks")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    summarize = commands.add_parser("summarize", help="summarize one article (text or HTML)")
    summarize.add_argument("path", help="file to read, or - for standard input")
    summarize.add_argument("--format", choices=("json", "markdown"), default="json")
    summarize.add_argument("--meta", action="store_true", help="include meta in JSON output")
    _model_options(summarize)

    commands.add_parser("schema", help="print the JSON Schema of SanctionsSummary")

    batch = commands.add_parser(
        "batch", help="summarize a JSONL file of articles into a JSONL file of results (resumable)"
    )
    batch.add_argument("inputs", type=Path, help='JSONL: {"id", "text" | "html" | "path"} a line')
    batch.add_argument("output", type=Path, help="JSONL results; an existing file is resumed")
    batch.add_argument("--concurrency", type=int, default=8, help="articles in flight")
    batch.add_argument(
        "--retry-failed", action="store_true", help="run again the articles that failed before"
    )
    batch.add_argument("--cache-dir", type=Path, help="response cache directory")
    batch.add_argument(
        "--keep-source",
        action="store_true",
        help="store the cleaned text in every record (HTML records always carry it)",
    )
    batch.add_argument("--no-progress", action="store_true")
    _model_options(batch)

    from summarizer.eval.cli import add_eval_commands

    add_eval_commands(commands, _model_options, config_options)
    from summarizer.analyst import add_analyst_commands

    add_analyst_commands(commands)
    return parser


def config_options(args: argparse.Namespace) -> dict[str, Any]:
    """Summarizer options from parsed model arguments."""
    return {
        "model": args.model,
        "strategy": args.strategy,
        "output_mode": args.output_mode,
        "base_url": args.base_url,
        "max_reasks": args.max_reasks,
        "max_tokens": args.max_tokens,
        "timeout": args.timeout,
        "prompt_dir": args.prompt_dir,
        "n_ctx": args.n_ctx,
        "n_threads": args.threads,
        "ask_status": args.ask_status,
    }


def _read(path: str) -> Article:
    if path == "-":
        return load(sys.stdin.buffer.read(), origin="standard input")
    return load_path(path)


def _print_result(result: Result, fmt: str, with_meta: bool) -> None:
    if fmt == "markdown":
        print(to_markdown(result.summary, result.meta.as_dict()))
    elif with_meta:
        print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    else:
        print(
            result.summary.model_dump_json(
                indent=2, exclude={"actions": {"__all__": {"evidence_spans"}}}
            )
        )


def _summarize(args: argparse.Namespace) -> int:
    text = _read(args.path)
    summarizer = Summarizer(**config_options(args))
    _print_result(summarizer.summarize(text), args.format, args.meta)
    return EXIT_OK


def _batch(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from summarizer.batch import run_batch

    summarizer = Summarizer(**config_options(args), cache_dir=args.cache_dir)
    # What is loaded by now lives as long as the process: full garbage collections, which walk
    # every object and took ~80 ms a time mid-batch, leave it out from here on.
    gc.freeze()
    columns = (TextColumn("[bold]batch"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), disable=args.no_progress) as bar:
        task = bar.add_task("batch", total=None)
        report = run_batch(
            summarizer,
            args.inputs,
            args.output,
            concurrency=args.concurrency,
            retry_failed=args.retry_failed,
            keep_source=args.keep_source,
            on_total=lambda total: bar.update(task, total=total),
            on_record=lambda record: bar.advance(task),
        )
        bar.update(task, completed=report.total)
    print(f"summarizer batch: {report.summary_line()}", file=sys.stderr)
    return EXIT_FAILED if report.failed else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``summarizer`` command."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        if args.command == "schema":
            print(json.dumps(json_schema(), indent=2))
            return EXIT_OK
        if args.command == "summarize":
            return _summarize(args)
        if args.command == "batch":
            return _batch(args)
        code: int = args.run(args)
        return code
    except (InputError, ConfigError) as exc:
        print(f"summarizer: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SummarizerError as exc:
        print(f"summarizer: failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("summarizer: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
