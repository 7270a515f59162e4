"""Command line: ``summarizer summarize|schema|batch|eval|score``. Thin: parsing and printing only.

Exit codes: 0 ok (also ``summarizer`` alone, which prints the help), 1 model/validation failure,
failed gate or a failure while running (a full disk, a closed pipe), 2 usage or input error,
130 interrupted. Every failure is one line on stderr, never a traceback (``-v`` adds it for
unexpected errors).
"""

from __future__ import annotations

import argparse
import errno
import gc
import json
import logging
import os
import re
import stat
import sys
import traceback
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer import __version__, masking
from summarizer.config import SummarizerConfig
from summarizer.errors import ConfigError, InputError, SummarizerError
from summarizer.ingest import MAX_INPUT_BYTES, Article, file_kind, load_path, load_stream
from summarizer.options import OUTPUT_MODES, STRATEGIES, WRITERS

if TYPE_CHECKING:  # the summarizer, its schema and templates load when a command runs them
    from summarizer.api import Result, Summarizer

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
_MB = f"{MAX_INPUT_BYTES / 1e6:g} MB"

DESCRIPTION = """\
Summarize sanctions announcements (Treasury/OFAC, State Department, EU Council, FCDO, UN, news)
into typed JSON that quotes its evidence: who sanctions whom, in what state, with which measures.
Runs offline on an embedded model, or on any OpenAI-compatible server (--model NAME).

Summarize one article (summarize) or a JSONL file of them (batch), print the JSON Schema of the
output (schema), or measure a model on labelled articles (eval) or score predictions (score)."""

EPILOG = """\
examples:
  summarizer summarize article.txt --format markdown
  summarizer batch articles.jsonl results.jsonl --model gpt-4o-mini --concurrency 16

Run "summarizer COMMAND --help" for a command's options. Exit codes: 0 done, 1 the model or a
gate failed, 2 usage or input error, 130 interrupted; a failure prints one line on stderr."""

#: OSErrors that mean a path given on the command line is wrong (exit 2); others arise while running
_USAGE_ERRNOS = frozenset(
    {
        errno.ENOENT,
        errno.ENOTDIR,
        errno.EISDIR,
        errno.EEXIST,
        errno.EACCES,
        errno.EPERM,
        errno.EROFS,
        errno.ELOOP,
        errno.ENAMETOOLONG,
    }
)
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MAX_LINE = 2000


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # usage errors exit 2 with one line
        self.exit(EXIT_USAGE, f"summarizer: error: {_one_line(message)} (see --help)\n")


def _model_options(parser: argparse.ArgumentParser) -> None:
    """The options that choose and drive the model (summarize, batch, eval)."""
    default = SummarizerConfig.defaults()
    parser.add_argument(
        "--model",
        default=default["model"],
        help="local (the embedded Gemma 3 270M), local:gemma-3-270m, local:smollm2-135m, "
        "local:/path/model.gguf, or a model name on the OpenAI-compatible endpoint "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--strategy",
        choices=STRATEGIES,
        default=default["strategy"],
        help="single: one prompt fills the whole schema; assisted: rules extract the facts and "
        "the model writes the summary; auto: assisted for embedded models, single for remote "
        "ones (default: %(default)s)",
    )
    parser.add_argument(
        "--output-mode",
        choices=OUTPUT_MODES,
        default=default["output_mode"],
        help="how a remote model is asked for JSON: strict structured output, JSON mode, or "
        "the prompt alone; auto tries each in that order as the server refuses it "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--base-url",
        help="URL of the OpenAI-compatible endpoint (default: $OPENAI_BASE_URL, else OpenAI's)",
    )
    _limit_options(parser, default)
    _embedded_options(parser)


def _limit_options(parser: argparse.ArgumentParser, default: dict[str, Any]) -> None:
    """The re-ask, token and time limits of :func:`_model_options`."""
    parser.add_argument(
        "--max-reasks",
        type=int,
        default=default["max_reasks"],
        help="times a reply that fails validation is sent back with its errors "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--max-tokens",
        type=int,
        default=default["max_tokens"],
        help="most tokens the model may write in one reply (default: %(default)s)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=default["timeout"],
        help="seconds allowed for each attempt at a request to a remote model, in all "
        "(default: %(default)s)",
    )


def _embedded_options(parser: argparse.ArgumentParser) -> None:
    """The prompt and embedded-model part of :func:`_model_options`."""
    parser.add_argument(
        "--prompt-dir",
        type=Path,
        help="folder of Jinja templates that replace the built-in ones of the same name "
        "(default: the built-in templates)",
    )
    parser.add_argument(
        "--n-ctx",
        type=int,
        default=8192,
        help="context window of the embedded model, in tokens (default: %(default)s)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        help="CPU threads of the embedded model (default: every core)",
    )
    parser.add_argument(
        "--ask-status",
        action="store_true",
        help="assisted strategy: ask the model each action's status instead of keeping the "
        "rules' answer (default: off)",
    )
    parser.add_argument(
        "--writer",
        choices=WRITERS,
        default="model",
        help="assisted strategy: who writes the summary, the model or the extracted facts "
        "alone, without loading any model (default: %(default)s)",
    )


def _verbose_option(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=default,
        help="log retries and re-asks, and print the traceback of an unexpected error "
        "(default: off)",
    )


def _summarize_command(commands: Any) -> None:
    summarize = commands.add_parser(
        "summarize",
        help="summarize one article (text or HTML) to JSON or Markdown on stdout",
        description="Summarize one article (text or HTML) to JSON or Markdown on standard output.",
    )
    summarize.add_argument(
        "path",
        help=f"the article: a text or HTML file (UTF-8, at most {_MB}), or - for standard input",
    )
    summarize.add_argument(
        "--format",
        choices=("json", "markdown"),
        default="json",
        help="json: a SanctionsSummary; markdown: a report to read (default: %(default)s)",
    )
    summarize.add_argument(
        "--meta",
        action="store_true",
        help="json format: print {summary, meta}, meta being the model, attempts, token usage "
        "and latency (default: off)",
    )
    _model_options(summarize)


def _batch_command(commands: Any) -> None:
    batch = commands.add_parser(
        "batch",
        help="summarize a JSONL file of articles into a JSONL file of results (resumable)",
        description="Summarize a JSONL file of articles into a JSONL file of results; a rerun "
        "with the same output resumes where the last one stopped.",
    )
    batch.add_argument(
        "inputs",
        type=Path,
        help='JSONL file, one article a line: {"id": ..., and one of "text", "html" or "path"}; '
        "a path names a file inside this file's folder (relative to it)",
    )
    batch.add_argument(
        "output",
        type=Path,
        help="JSONL file of results, one record an input line; an existing one is resumed",
    )
    batch.add_argument(
        "--concurrency",
        type=int,
        default=8,
        help="articles in flight at once (default: %(default)s)",
    )
    batch.add_argument(
        "--retry-failed",
        action="store_true",
        help="run again the articles whose records in OUTPUT are errors (default: off)",
    )
    _batch_io_options(batch)
    _scale_options(batch)
    _model_options(batch)


def _batch_io_options(parser: argparse.ArgumentParser) -> None:
    """The batch command's files, cache and progress options."""
    parser.add_argument(
        "--allow-any-path",
        action="store_true",
        help="let a path line name any file, not only one inside the input file's folder "
        "(default: off)",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        help="folder of cached model replies, created if missing; best-effort, a rerun "
        "answers from it (default: no cache)",
    )
    parser.add_argument(
        "--keep-source",
        action="store_true",
        help="store the cleaned text in every record; HTML records always carry it (default: off)",
    )
    parser.add_argument(
        "--no-progress",
        action="store_true",
        help="do not draw the progress bar on stderr (default: drawn)",
    )


def _scale_options(parser: argparse.ArgumentParser) -> None:
    """The batch command's engines: threads here, Ray actors, or the OpenAI Batch API."""
    parser.add_argument(
        "--engine",
        choices=("threads", "ray"),
        default="threads",
        help="threads: a thread pool in this process; ray: a pool of Ray actors, each with its own "
        "summarizer (pip install 'sanctions-summarizer[ray]'; see docs/scaling.md) "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--ray-address",
        metavar="ADDR",
        help="ray engine: the Ray cluster to join, e.g. ray://head:10001 or auto (default: start "
        "a local Ray instance)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="ray engine: Ray actors, each holding one summarizer (an embedded model loads once "
        "in each); --concurrency is split among them (default: %(default)s)",
    )
    parser.add_argument(
        "--via",
        choices=("threads", "openai-batch"),
        default="threads",
        help="threads: live requests, --concurrency at a time; openai-batch: one OpenAI Batch "
        "API job (24 h window, its id kept in OUTPUT.openai-batch.json so that a rerun resumes "
        "it), failures re-asked live (default: %(default)s)",
    )
    parser.add_argument(
        "--poll-interval",
        type=float,
        default=5.0,
        help="openai-batch: seconds before the first status check, doubling up to 120 "
        "(default: %(default)s)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The ``summarizer`` argument parser, every subcommand included."""
    parser = _Parser(
        prog="summarizer",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _verbose_option(parser, default=False)
    commands = parser.add_subparsers(
        title="commands", metavar="COMMAND", dest="command", required=True, parser_class=_Parser
    )
    _summarize_command(commands)
    commands.add_parser(
        "schema",
        help="print the JSON Schema of SanctionsSummary",
        description="Print the JSON Schema of SanctionsSummary on standard output.",
    )
    _batch_command(commands)

    from summarizer.eval.cli import add_eval_commands

    add_eval_commands(commands, _model_options, config_options)
    from summarizer.analyst import add_analyst_commands

    add_analyst_commands(commands)
    for command in commands.choices.values():  # -v after the command too; absent, the top's holds
        _verbose_option(command, default=argparse.SUPPRESS)
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
        "writer": args.writer,
    }


def _read(path: str) -> Article:
    if path == "-":
        return load_stream(getattr(sys.stdin, "buffer", None), origin="standard input")
    return load_path(path)


def _write(text: str) -> None:
    """Print to stdout now, so that a closed pipe or a full disk is reported as it happens."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except OSError as exc:
        reason = "the reader closed it" if exc.errno == errno.EPIPE else _reason(exc)
        raise SummarizerError(f"cannot write to standard output: {reason}") from None


def _print_result(result: Result, fmt: str, with_meta: bool) -> None:
    from summarizer.render import to_markdown

    if fmt == "markdown":
        _write(to_markdown(result.summary, result.meta.as_dict()))
    elif with_meta:
        _write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        exclude = {"actions": {"__all__": {"evidence_spans"}}}
        _write(result.summary.model_dump_json(indent=2, exclude=exclude) + "\n")


def _summarize(args: argparse.Namespace) -> int:
    from summarizer.api import Summarizer

    text = _read(args.path)
    summarizer = Summarizer(**config_options(args))
    _print_result(summarizer.summarize(text), args.format, args.meta)
    return EXIT_OK


def _check_batch_files(inputs: Path, output: Path) -> None:
    """Refuse, before anything runs, an input that is not a regular file, and an output that is
    a directory, a device or a FIFO (which a resume would read forever)."""
    for path, what in ((inputs, "input"), (output, "output")):
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            if path is output:
                continue  # the run creates it
            raise InputError(f"input file not found: {path}", hint="check the path") from None
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
            reason = _reason(exc) if isinstance(exc, OSError) else str(exc)
            raise InputError(f"cannot use {str(path)!r} as the {what} file: {reason}") from None
        if not stat.S_ISREG(mode):
            raise InputError(
                f"the {what} {path} is {file_kind(mode)}, not a regular file",
                hint="pass a JSONL file"
                + (" (it is created if missing)" if path is output else ""),
            )


def _batch(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from summarizer.api import Summarizer
    from summarizer.batch import run_batch

    _check_batch_files(args.inputs, args.output)
    _check_engine(args)
    runner = _ray_runner(args) if args.engine == "ray" else run_batch
    summarizer = Summarizer(**config_options(args), cache_dir=args.cache_dir)
    # What is loaded by now lives as long as the process: full garbage collections, which walk
    # every object (slow mid-batch; see bench/README.md), leave it out from here on.
    gc.freeze()
    columns = (TextColumn("[bold]batch"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), disable=args.no_progress) as bar:
        task = bar.add_task("batch", total=None)
        options: dict[str, Any] = {
            "concurrency": args.concurrency,
            "retry_failed": args.retry_failed,
            "allow_any_path": args.allow_any_path,
            "keep_source": args.keep_source,
            "on_record": lambda record: bar.advance(task),
        }
        try:
            on_total = lambda total: bar.update(task, total=total)  # noqa: E731
            if args.via == "openai-batch":
                report = _openai_batch(summarizer, args, options, bar.console)
            else:
                report = runner(summarizer, args.inputs, args.output, on_total=on_total, **options)
        except OSError as exc:  # a full disk, an I/O error: say what is kept and what to do
            where = f"{exc.filename}: " if exc.filename else ""
            if exc.errno in _USAGE_ERRNOS:  # a file it was given that it may not use
                raise InputError(f"cannot use {where}{_reason(exc)}") from None
            raise SummarizerError(
                f"batch stopped: {where}{_reason(exc)}; the records already in {args.output} "
                "are kept",
                hint="fix the cause and rerun the same command to resume",
            ) from None
        bar.update(task, completed=report.total)
    print(f"summarizer batch: {report.summary_line()}", file=sys.stderr)
    return EXIT_FAILED if report.failed else EXIT_OK


def _check_engine(args: argparse.Namespace) -> None:
    """The engine options that go together: Ray's with ``--engine ray``, the Batch API with a
    remote model and the local engine."""
    from summarizer.backends import is_local

    if args.engine != "ray" and (args.ray_address or args.workers != 2):
        raise ConfigError("--ray-address and --workers are options of --engine ray")
    if args.via == "openai-batch" and args.engine == "ray":
        raise ConfigError("--via openai-batch runs on the OpenAI Batch API; leave out --engine ray")
    if args.via == "openai-batch" and is_local(args.model):
        raise ConfigError(
            f"--via openai-batch needs a remote model; {args.model!r} is embedded and has no "
            "batch API",
            hint="name a model on an OpenAI-compatible server, or leave out --via",
        )


def _ray_runner(args: argparse.Namespace) -> Any:
    """``run_batch``'s twin for ``--engine ray``: the actors build their summarizers from the
    same options (checked here first: without Ray installed, a ConfigError with the pip hint)."""
    from summarizer.scale.ray import Pool, RayOptions, require_ray, run_batch_ray

    if args.workers < 1:
        raise ConfigError(f"--workers must be at least 1, got {args.workers}")
    require_ray()
    options = {**config_options(args), "cache_dir": args.cache_dir}
    ray_options = RayOptions(
        address=args.ray_address,
        pool=Pool(workers=args.workers, concurrency=args.concurrency),
        quiet=not args.verbose,
    )

    def run(summarizer: Summarizer, inputs: Path, output: Path, **batch: Any) -> Any:
        batch.pop("concurrency")
        return run_batch_ray(options, inputs, output, ray_options=ray_options, **batch)

    return run


def _openai_batch(
    summarizer: Summarizer, args: argparse.Namespace, options: dict[str, Any], console: Any
) -> Any:
    """The batch through the OpenAI Batch API; its status goes to stderr as it is polled."""
    from summarizer.openai_batch import Polling, run_openai_batch

    if not args.poll_interval > 0:
        raise ConfigError(f"--poll-interval must be above 0, got {args.poll_interval}")
    polling = Polling(initial=args.poll_interval, maximum=max(120.0, args.poll_interval))
    return run_openai_batch(
        summarizer,
        args.inputs,
        args.output,
        polling=polling,
        on_progress=lambda line: console.print(
            f"summarizer batch: {line}", markup=False, highlight=False, soft_wrap=True
        ),
        **options,
    )


def _run(args: argparse.Namespace) -> int:
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    masking.install_log_filter(*logging.getLogger().handlers)
    if args.command == "schema":
        from summarizer.schema import json_schema

        _write(json.dumps(json_schema(), indent=2) + "\n")
        return EXIT_OK
    if args.command == "summarize":
        return _summarize(args)
    if args.command == "batch":
        return _batch(args)
    code: int = args.run(args)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``summarizer`` command: one command, one exit code, and every failure
    as one line on stderr."""
    args: argparse.Namespace | None = None
    try:
        parser = build_parser()
        arguments = sys.argv[1:] if argv is None else list(argv)
        if not arguments:  # a bare `summarizer` asks what there is
            _write(parser.format_help())
            return EXIT_OK
        args = parser.parse_args(arguments)
        code = _run(args)
        _write("")  # flushes: output that could not be written is a failure, reported here
        return code
    except KeyboardInterrupt:
        _say("interrupted")
        return EXIT_INTERRUPTED
    except Exception as exc:
        return _fail(exc, verbose=bool(args is not None and args.verbose))
    finally:
        _settle_stdout()


def _fail(exc: Exception, *, verbose: bool) -> int:
    """Print one line for an exception and return its exit code."""
    if isinstance(exc, InputError | ConfigError):
        _say(f"error: {exc}")
        return EXIT_USAGE
    if isinstance(exc, SummarizerError):
        _say(f"failed: {exc}")
        return EXIT_FAILED
    if isinstance(exc, UnicodeDecodeError):
        _say(f"error: a file is not valid UTF-8 ({exc.reason} at byte {exc.start})")
        return EXIT_USAGE
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        if exc.errno in _USAGE_ERRNOS:
            _say(f"error: {where}{_reason(exc)}")
            return EXIT_USAGE
        _say(f"failed: {where}{_reason(exc)}")
        return EXIT_FAILED
    if verbose:
        traceback.print_exc()
    hint = "" if verbose else " (run with -v for the traceback)"
    _say(f"internal error: {type(exc).__name__}: {exc}{hint}")
    return EXIT_FAILED


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc) or type(exc).__name__).lower()


def _one_line(text: str) -> str:
    """``text`` on one printable line: control characters and line breaks shown escaped."""
    line = _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)
    return line if len(line) <= _MAX_LINE else line[: _MAX_LINE - 1] + "…"


def _say(message: str) -> None:
    """One line on stderr (where stderr itself fails, there is no one left to tell)."""
    with suppress(OSError, ValueError):
        print(f"summarizer: {_one_line(message)}", file=sys.stderr, flush=True)


def _settle_stdout() -> None:
    """Flush stdout; if it cannot take the rest (a closed pipe, a full disk), point it at the null
    device so that the interpreter's own flush at exit does not print a traceback."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        with suppress(OSError, ValueError):
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, sys.stdout.fileno())
            os.close(null)


if __name__ == "__main__":
    sys.exit(main())
