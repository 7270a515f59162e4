"""``summarizer eval``, ``score`` and ``compare``: run or score, report, compare, gate (exit 0/1/2).

The harness modules (numpy, jinja2, the scorers) are imported when a command runs, not when the
parser is built, so ``summarizer --help`` stays quick.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from summarizer.errors import ConfigError

DEFAULT_CACHE = Path.home() / ".cache" / "sanctions-summarizer" / "responses"
GATE_HELP = (
    "metrics whose regression fails the run, comma-separated (default: overall and its parts)"
)


def _gate_options(parser: argparse.ArgumentParser, out_help: str) -> None:
    parser.add_argument("--out", type=Path, help=out_help)
    parser.add_argument("--baseline", type=Path,
                        help="an earlier report.json (or its folder) on the same dataset to compare with (default: none)")  # fmt: skip
    parser.add_argument("--min", action="append", default=[], metavar="METRIC=VALUE",
                        help="fail (exit 1) when METRIC is below VALUE or n/a; repeatable (default: none)")  # fmt: skip
    parser.add_argument("--fail-on-regression", action="store_true",
                        help="fail (exit 1) when a gated metric regresses against --baseline (default: off)")  # fmt: skip
    parser.add_argument("--gate", metavar="METRIC[,METRIC]", help=GATE_HELP + "; implies --fail-on-regression")  # fmt: skip
    parser.add_argument(
        "--bootstrap", type=int, default=1000,
        help="bootstrap resamples for the 95%% intervals (default: %(default)s)",
    )  # fmt: skip


def add_eval_commands(
    commands: Any,
    model_options: Callable[[argparse.ArgumentParser], None],
    config_options: Callable[[argparse.Namespace], dict[str, Any]],
) -> None:
    """Register ``eval``, ``score`` and ``compare`` on the top-level subparsers."""
    run = commands.add_parser(
        "eval", help="run the summarizer over a labelled dataset and score it"
    )
    run.add_argument("dataset", type=Path, help="labelled JSONL dataset (evals/datasets/*.jsonl)")
    model_options(run)
    _gate_options(run, "report folder (default: runs/<dataset>-<model>-<strategy>)")
    run.add_argument("--concurrency", type=int, default=2,
                     help="articles in flight at once (default: %(default)s)")  # fmt: skip
    run.add_argument("--repeat", type=int, default=1,
                     help="runs per article, seeds 0..N-1 (default: %(default)s)")  # fmt: skip
    run.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE,
                     help="response cache directory (default: %(default)s)")  # fmt: skip
    run.add_argument("--no-cache", action="store_true",
                     help="always call the model (default: off)")  # fmt: skip
    run.add_argument("--no-progress", action="store_true",
                     help="do not draw the progress bar on stderr (default: drawn)")  # fmt: skip
    run.set_defaults(run=lambda args: _eval(args, config_options(args)))

    score = commands.add_parser("score", help="score predictions made elsewhere (no model calls)")
    score.add_argument("dataset", type=Path, help="labelled JSONL dataset the predictions are for")
    score.add_argument("predictions", type=Path,
                       help='JSONL predictions, one {"id", "prediction"} a line')  # fmt: skip
    score.add_argument("--model", default="", help="model name recorded in the report "
                       "(default: the one in the predictions' meta)")  # fmt: skip
    _gate_options(score, "report folder (default: PREDICTIONS-score beside the predictions file, "
                  "e.g. runs/x/predictions-score/)")  # fmt: skip
    score.set_defaults(run=_score)

    compare = commands.add_parser(
        "compare", help="several runs side by side, deltas against the first"
    )
    compare.add_argument("runs", type=Path, nargs="+", metavar="RUN_OR_REPORT",
                         help="run folders or report.json files; the first is the reference")  # fmt: skip
    compare.add_argument("--out", type=Path, default=Path("runs") / "compare",
                         help="folder for comparison.md/.html/.json (default: %(default)s)")  # fmt: skip
    compare.add_argument("--bootstrap", type=int, default=1000,
                         help="bootstrap resamples (default: %(default)s)")  # fmt: skip
    compare.set_defaults(run=_compare)


def _parse_minimums(items: list[str]) -> dict[str, float]:
    from summarizer.eval.metrics import METRICS

    minimums = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or name not in METRICS:
            raise ConfigError(
                f"--min {item!r}: expected METRIC=VALUE with METRIC one of {', '.join(METRICS)}"
            )
        try:
            minimums[name] = float(value)
        except ValueError:
            raise ConfigError(f"--min {item!r}: {value!r} is not a number") from None
    return minimums


def _parse_gate(args: argparse.Namespace) -> tuple[str, ...]:
    from summarizer.eval.comparison import DEFAULT_GATE
    from summarizer.eval.metrics import METRICS

    if args.bootstrap < 1:
        raise ConfigError(f"--bootstrap {args.bootstrap}: needs at least 1 resample")
    if (args.gate or args.fail_on_regression) and args.baseline is None:
        raise ConfigError("--gate and --fail-on-regression compare with a baseline: add --baseline")
    if not args.gate:
        return DEFAULT_GATE
    names = tuple(n.strip() for n in args.gate.split(",") if n.strip())
    unknown = [n for n in names if n not in METRICS]
    if unknown or not names:
        raise ConfigError(f"--gate {args.gate!r}: unknown metric {', '.join(unknown) or '(none)'}; "
                          f"choose from {', '.join(METRICS)}")  # fmt: skip
    args.fail_on_regression = True
    return names


class Gates:
    """What decides the exit code: minimums and baseline regressions, checked before any run."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.minimums = _parse_minimums(args.min)
        self.gate = _parse_gate(args)
        self.fail_on_regression: bool = args.fail_on_regression
        self.baseline: dict[str, Any] | None = None
        if args.baseline is not None:
            from summarizer.eval.comparison import load_report

            self.baseline = load_report(args.baseline)

    def failures(self, report: dict[str, Any]) -> list[str]:
        from summarizer.eval.comparison import regressions

        failed = []
        for name, minimum in self.minimums.items():
            found = report["metrics"][name]
            if found is None:
                failed.append(
                    f"{name} is n/a (nothing to measure), so it cannot meet --min {minimum}"
                )
            elif found < minimum:
                failed.append(f"{name} = {found:.3f} < {minimum}")
        comparison = report.get("comparison")
        if comparison and self.fail_on_regression:
            for name in regressions(comparison):
                failed.append(f"{name} regressed by {comparison['metrics'][name]['delta']:+.3f}")
        return failed


def _print_table(report: dict[str, Any]) -> None:
    from summarizer.eval.metrics import METRICS, basis_text, fmt

    comparison = report.get("comparison")
    if comparison:
        print(f"compared with the baseline on {comparison['compared']} of {comparison['run_articles']} "
              f"articles (baseline: {comparison['baseline_articles']})")  # fmt: skip
    print(
        f"{'metric':24} {'value':>7}  {'95% CI':18}"
        + ("  Δ vs baseline [95% CI]" if comparison else "")
    )
    for name in METRICS:
        interval = report["intervals"].get(name)
        ci = f"[{interval[0]:.3f}, {interval[1]:.3f}]" if interval else "n/a"
        line = f"{name:24} {fmt(report['metrics'][name]):>7}  {ci:18}"
        if comparison:
            c = comparison["metrics"][name]
            if c["delta"] is not None:
                bounds = "" if c["low"] is None else f" [{c['low']:+.3f}, {c['high']:+.3f}]"
                line += f"  {c['delta']:+.3f}{bounds}"
                line += (
                    ("  REGRESSION" if c["gated"] else "  regression (not gated)")
                    if c["regression"]
                    else ""
                )
        if name != "overall":
            line += f"  ({basis_text(report.get('basis', {}).get(name))})"
        print(line)


def _finish(
    args: argparse.Namespace,
    gates: Gates,
    report: dict[str, Any],
    cases: Any,
    predictions: Any,
    out: Path,
) -> int:
    from summarizer.eval.comparison import compare
    from summarizer.eval.output import write_report

    if gates.baseline is not None:
        report["comparison"] = compare(
            report, gates.baseline, gate=gates.gate, samples=args.bootstrap
        )
    write_report(out, report, cases, predictions)
    for warning in report["warnings"][:10]:
        print(f"warning: {warning}", file=sys.stderr)
    if len(report["warnings"]) > 10:
        print(f"warning: … and {len(report['warnings']) - 10} more in report.json", file=sys.stderr)
    _print_table(report)
    print(f"reports: {out / 'report.json'}, report.md, report.html")
    failures = gates.failures(report)
    for failure in failures:
        print(f"gate failed: {failure}", file=sys.stderr)
    return 1 if failures else 0


def _check_baseline(gates: Gates, cases: Sequence[Any], dataset: str) -> None:
    """Refuse an incomparable baseline before any model call."""
    from summarizer.eval.comparison import shared_articles
    from summarizer.eval.dataset import dataset_hash

    if gates.baseline is not None:
        stub = {"dataset": dataset, "dataset_hash": dataset_hash(cases),
                "per_article": [{"id": case.id} for case in cases]}  # fmt: skip
        shared_articles(stub, gates.baseline, "the baseline")


def _eval(args: argparse.Namespace, options: dict[str, Any]) -> int:
    from dataclasses import replace

    from summarizer import SummarizerConfig
    from summarizer.eval.dataset import load_dataset
    from summarizer.eval.output import prepare_out
    from summarizer.eval.report import build_report
    from summarizer.eval.runner import run_dataset

    gates = Gates(args)  # usage errors before a long run
    cases = load_dataset(args.dataset)
    _check_baseline(gates, cases, args.dataset.name)
    config = SummarizerConfig(**options)
    if not args.no_cache:
        config = replace(config, cache_dir=args.cache_dir)
    slug = f"{args.dataset.stem}-{config.model}-{config.strategy}".replace("/", "_").replace(
        ":", "-"
    )
    out: Path = args.out or Path("runs") / slug
    prepare_out(out, "eval")
    predictions, template_hash, wall = run_dataset(
        cases, config, out, concurrency=args.concurrency, repeat=max(1, args.repeat),
        progress=not args.no_progress,
    )  # fmt: skip
    strategies = {p.meta["strategy"] for p in predictions if p.meta and "strategy" in p.meta}
    report = build_report(
        cases, predictions, model=config.model, dataset=args.dataset.name, command="eval",
        strategy=",".join(sorted(strategies)) or config.strategy, template_hash=template_hash,
        wall_time_s=wall, bootstrap_samples=args.bootstrap,
    )  # fmt: skip
    return _finish(args, gates, report, cases, predictions, out)


def _score(args: argparse.Namespace) -> int:
    from summarizer.eval.dataset import load_dataset
    from summarizer.eval.output import prepare_out
    from summarizer.eval.report import build_report
    from summarizer.eval.runner import load_predictions

    gates = Gates(args)
    cases = load_dataset(args.dataset)
    _check_baseline(gates, cases, args.dataset.name)
    predictions, warnings = load_predictions(args.predictions)
    out: Path = args.out or args.predictions.parent / f"{args.predictions.stem}-score"
    prepare_out(out, "score")
    metas = [p.meta for p in predictions if p.meta and "model" in p.meta]  # failures carry less
    first = metas[0] if metas else {}
    report = build_report(
        cases, predictions, model=args.model or str(first.get("model") or "unknown"),
        dataset=args.dataset.name, command="score", strategy=str(first.get("strategy", "")),
        template_hash=str(first.get("template_hash", "")), bootstrap_samples=args.bootstrap,
        warnings=warnings,
    )  # fmt: skip
    return _finish(args, gates, report, cases, predictions, out)


def _compare(args: argparse.Namespace) -> int:
    import json

    from summarizer.eval.comparison import compare_runs, load_report
    from summarizer.eval.html import render_compare_html
    from summarizer.eval.markdown import render_compare_markdown
    from summarizer.eval.output import make_folder, write_files

    if len(args.runs) < 2:
        raise ConfigError("compare needs at least two runs or reports")
    if args.bootstrap < 1:
        raise ConfigError(f"--bootstrap {args.bootstrap}: needs at least 1 resample")
    result = compare_runs([load_report(path) for path in args.runs], samples=args.bootstrap)
    make_folder(args.out)
    markdown = render_compare_markdown(result)
    write_files(args.out, {
        "comparison.json": json.dumps(result, indent=2, ensure_ascii=False) + "\n",
        "comparison.md": markdown, "comparison.html": render_compare_html(result),
    })  # fmt: skip
    print(markdown, end="")
    print(f"\nreports: {args.out / 'comparison.md'}, comparison.html, comparison.json")
    return 0
