"""An eval rerun with a warm response cache against a 100 ms fake server: speed-up over cold, same scores.

    .venv/bin/python bench/bench_cache.py [--latency 0.1] [--concurrency 2] [--via python|cli]

Runs the eval harness twice over ``evals/datasets/dev.jsonl`` with the single-pass strategy and one
fresh cache directory, against the loopback fake server (``bench/_fake.py``) answering every request
after ``--latency`` seconds with the grounded gold summary of the article it carries. The first run
is cold (every article calls the server), the next ``--warm-runs`` warm (every reply from the cache).
Prints the times, cold over the median warm (target >= 50x), the requests each run made, and
whether every score is identical.

``--via python`` (default) calls the harness's functions (``run_dataset``, ``build_report``) in this
process and times ``run_dataset`` with ``perf_counter``. ``--via cli`` runs
``python -m summarizer eval ... --cache-dir DIR`` in a subprocess and reads the eval's own wall time
from ``report.json`` (rounded there to 10 ms), next to the whole command's time (start-up included).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _fake

from summarizer import SummarizerConfig
from summarizer.eval.dataset import load_dataset
from summarizer.eval.report import build_report
from summarizer.eval.runner import run_dataset

TARGET = 50.0
MODEL = "fake-model"
#: The parts of a report that are scores (everything else is timing, dates or names).
SCORE_KEYS = ("metrics", "intervals", "status_confusion", "per_article")


def run_python(
    dataset: Path, base_url: str, cache: Path, out: Path, args: argparse.Namespace
) -> tuple[dict[str, Any], float, float]:
    """(report, eval seconds, whole-run seconds) through the harness's Python functions."""
    started = time.perf_counter()
    cases = load_dataset(dataset)
    config = SummarizerConfig(
        model=MODEL, base_url=base_url, api_key="sk-bench", strategy="single", cache_dir=cache
    )
    predictions, template_hash, wall = run_dataset(
        cases, config, out, concurrency=args.concurrency, progress=False
    )
    report = build_report(
        cases,
        predictions,
        model=MODEL,
        dataset=dataset.name,
        strategy="single",
        template_hash=template_hash,
        wall_time_s=wall,
        bootstrap_samples=args.bootstrap,
    )
    return report, wall, time.perf_counter() - started


def run_cli(
    dataset: Path, base_url: str, cache: Path, out: Path, args: argparse.Namespace
) -> tuple[dict[str, Any], float, float]:
    """(report, eval seconds from report.json, whole-command seconds) through ``summarizer eval``."""
    command = [
        sys.executable, "-m", "summarizer", "eval", str(dataset), "--model", MODEL,
        "--base-url", base_url, "--strategy", "single", "--cache-dir", str(cache),
        "--out", str(out), "--concurrency", str(args.concurrency),
        "--bootstrap", str(args.bootstrap), "--no-progress",
    ]  # fmt: skip
    env = {**os.environ, "OPENAI_API_KEY": "sk-bench"}
    env.pop("OPENAI_BASE_URL", None)
    started = time.perf_counter()
    done = subprocess.run(
        command, cwd=_fake.ROOT, env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"summarizer eval exited {done.returncode}:\n{done.stderr[-2000:]}")
    report: dict[str, Any] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return report, float(report["timing"]["wall_time_s"]), elapsed


def differences(cold: dict[str, Any], warm: dict[str, Any]) -> list[str]:
    """The score keys (and metrics) whose values differ between the two reports."""
    found = [
        f"metrics.{name}"
        for name, value in cold["metrics"].items()
        if warm["metrics"].get(name) != value
    ]
    found += [
        key for key in SCORE_KEYS if key != "metrics" and _scores(cold, key) != _scores(warm, key)
    ]
    return found


def _scores(report: dict[str, Any], key: str) -> Any:
    """A report section without what a cache changes (each article's run costs)."""
    if key != "per_article":
        return report.get(key)
    return [{k: v for k, v in article.items() if k != "cost"} for article in report[key]]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=_fake.DEV)
    parser.add_argument("--latency", type=float, default=0.1, help="server seconds per reply")
    parser.add_argument("--concurrency", type=int, default=2, help="the eval's (CLI default 2)")
    parser.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples")
    parser.add_argument("--warm-runs", type=int, default=3, help="warm reruns (median is used)")
    parser.add_argument("--via", choices=("python", "cli"), default="python")
    parser.add_argument("--keep", action="store_true", help="keep the cache and report directory")
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    run = run_python if args.via == "python" else run_cli
    work = Path(tempfile.mkdtemp(prefix="bench-cache-"))
    cache = work / "cache"
    cases = load_dataset(args.dataset)
    print(
        f"{args.dataset.name}: {len(cases)} articles, fake server {1000 * args.latency:.0f} ms "
        f"per reply, concurrency {args.concurrency}, via {args.via}; work dir {work}"
    )
    rows = []
    with _fake.start_server(args.latency, cases) as server:
        names = ["cold", *(f"warm-{i + 1}" for i in range(args.warm_runs))]
        for name in names:
            before = len(server.requests)
            report, seconds, whole = run(args.dataset, server.base_url, cache, work / name, args)
            rows.append((name, seconds, whole, len(server.requests) - before, report))

    whole_label = "whole command s" if args.via == "cli" else "with scoring s"
    print(f"\n{'run':7} {'eval s':>8} {whole_label:>16} {'requests':>9} {'valid':>6}")
    for name, seconds, whole, requests, report in rows:
        valid = report["metrics"]["schema_valid_rate"]
        print(f"{name:7} {seconds:8.3f} {whole:16.3f} {requests:9d} {valid:6.2f}")
    (_, cold_s, cold_whole, _, cold), warm_rows = rows[0], rows[1:]
    warm_s = statistics.median(row[1] for row in warm_rows)
    warm_whole = statistics.median(row[2] for row in warm_rows)
    ratio = cold_s / warm_s if warm_s > 0 else float("inf")
    verdict = "meets" if ratio >= TARGET else "misses"
    print(
        f"cold / warm (eval, median of {len(warm_rows)} warm): {ratio:.1f}x "
        f"(target >= {TARGET:g}x; {verdict} it)"
    )
    print(f"cold / warm ({whole_label.removesuffix(' s')}): {cold_whole / warm_whole:.1f}x")
    changed = sorted({key for row in warm_rows for key in differences(cold, row[4])})
    print(f"identical scores: {'yes' if not changed else 'NO: ' + ', '.join(changed)}")
    print(
        f"overall: cold {cold['metrics']['overall']:.4f}, warm {warm_rows[0][4]['metrics']['overall']:.4f}"
    )
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
