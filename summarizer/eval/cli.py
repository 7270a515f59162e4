"""``summarizer eval`` and ``summarizer score``: run or score, report, compare, gate (exit 0/1/2)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer import ConfigError, InputError, SummarizerConfig

if TYPE_CHECKING:  # the harness is imported when a command runs: `summarizer --help` stays quick
    from summarizer.eval.runner import Prediction

DEFAULT_CACHE = Path.home() / ".cache" / "sanctions-summarizer" / "responses"


def _gate_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", type=Path, help="report directory (default: runs/<dataset>-<model>)"
    )
    parser.add_argument("--baseline", type=Path, help="an earlier report.json to compare against")
    parser.add_argument("--min", action="append", default=[], metavar="METRIC=VALUE",
                        help="fail (exit 1) when METRIC is below VALUE; repeatable")  # fmt: skip
    parser.add_argument("--fail-on-regression", action="store_true",
                        help="fail (exit 1) when a metric regresses against --baseline")  # fmt: skip
    parser.add_argument(
        "--bootstrap", type=int, default=1000, help="bootstrap resamples for intervals"
    )


def add_eval_commands(
    commands: Any,
    model_options: Callable[[argparse.ArgumentParser], None],
    config_options: Callable[[argparse.Namespace], dict[str, Any]],
) -> None:
    """Register ``eval`` and ``score`` on the top-level subparsers."""
    run = commands.add_parser(
        "eval", help="run the summarizer over a labelled dataset and score it"
    )
    run.add_argument("dataset", type=Path)
    model_options(run)
    _gate_options(run)
    run.add_argument("--concurrency", type=int, default=2)
    run.add_argument("--repeat", type=int, default=1, help="runs per article (seeds 0..N-1)")
    run.add_argument(
        "--cache-dir", type=Path, default=DEFAULT_CACHE, help="response cache directory"
    )
    run.add_argument("--no-cache", action="store_true", help="always call the model")
    run.add_argument("--no-progress", action="store_true")
    run.set_defaults(run=lambda args: _eval(args, config_options(args)))

    score = commands.add_parser("score", help="score predictions made elsewhere (no model calls)")
    score.add_argument("dataset", type=Path)
    score.add_argument("predictions", type=Path)
    score.add_argument("--model", default="", help="model name recorded in the report")
    _gate_options(score)
    score.set_defaults(run=_score)


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


def _finish(
    args: argparse.Namespace,
    report: dict[str, Any],
    cases: Any,
    predictions: list[Prediction],
    out: Path,
) -> int:
    from summarizer.eval.metrics import METRICS
    from summarizer.eval.report import compare, write_report

    minimums = _parse_minimums(args.min)
    comparison = None
    if args.baseline is not None:
        try:
            baseline = json.loads(args.baseline.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read baseline {args.baseline}: {exc}") from None
        comparison = compare(report, baseline, samples=args.bootstrap)
    write_report(out, report, cases, predictions, comparison)
    for warning in report["warnings"][:10]:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"{'metric':24} {'value':>7}  95% CI" + ("          Δ vs baseline" if comparison else ""))
    failures = []
    for name in METRICS:
        value = report["metrics"][name]
        lo, hi = report["intervals"].get(name, [0.0, 0.0])
        line = f"{name:24} {value:7.3f}  [{lo:.3f}, {hi:.3f}]"
        if comparison and name in comparison:
            c = comparison[name]
            line += f"  {c['delta']:+.3f} [{c['low']:+.3f}, {c['high']:+.3f}]"
            if c["regression"]:
                line += "  REGRESSION"
                if args.fail_on_regression:
                    failures.append(f"{name} regressed by {c['delta']:+.3f}")
        if name in minimums and value < minimums[name]:
            failures.append(f"{name} = {value:.3f} < {minimums[name]}")
        print(line)
    print(f"reports: {out / 'report.json'}, report.md, report.html")
    for failure in failures:
        print(f"gate failed: {failure}", file=sys.stderr)
    return 1 if failures else 0


def _eval(args: argparse.Namespace, options: dict[str, Any]) -> int:
    from summarizer.eval.dataset import load_dataset
    from summarizer.eval.report import build_report
    from summarizer.eval.runner import run_dataset

    _parse_minimums(args.min)  # usage errors before a long run
    cases = load_dataset(args.dataset)
    config = SummarizerConfig(**options)
    if not args.no_cache:
        config = replace(config, cache_dir=args.cache_dir)
    slug = f"{args.dataset.stem}-{config.model}-{config.strategy}".replace("/", "_").replace(
        ":", "-"
    )
    out: Path = args.out or Path("runs") / slug
    predictions, template_hash, wall = run_dataset(
        cases,
        config,
        out,
        concurrency=args.concurrency,
        repeat=max(1, args.repeat),
        progress=not args.no_progress,
    )
    strategies = {p.meta["strategy"] for p in predictions if p.meta and "strategy" in p.meta}
    report = build_report(
        cases, predictions, model=config.model, dataset=args.dataset.name,
        strategy=",".join(sorted(strategies)) or config.strategy, template_hash=template_hash,
        wall_time_s=wall, bootstrap_samples=args.bootstrap,
    )  # fmt: skip
    return _finish(args, report, cases, predictions, out)


def _score(args: argparse.Namespace) -> int:
    from summarizer.eval.dataset import load_dataset
    from summarizer.eval.report import build_report
    from summarizer.eval.runner import load_predictions

    _parse_minimums(args.min)
    cases = load_dataset(args.dataset)
    predictions = load_predictions(args.predictions)
    out: Path = args.out or args.predictions.parent
    metas = [p.meta for p in predictions if p.meta and "model" in p.meta]  # failures carry less
    model = args.model or (metas[0].get("model", "") if metas else "") or "unknown"
    strategy = metas[0].get("strategy", "") if metas else ""
    template_hash = metas[0].get("template_hash", "") if metas else ""
    report = build_report(cases, predictions, model=model, dataset=args.dataset.name, strategy=strategy,
                          template_hash=template_hash, bootstrap_samples=args.bootstrap)  # fmt: skip
    return _finish(args, report, cases, predictions, out)
