"""Concurrency efficiency and batch scaling against the loopback fake server.

    .venv/bin/python bench/bench_batch.py [--articles 256] [--in-flight 32] [--latency 0.2]
                                          [--repeat 5] [--scale 1000,10000]
                                          [--skip-concurrency] [--skip-scale]

**Concurrency.** The fake server (a child process, ``bench/_fake.py``) answers every request after
``--latency`` seconds with the grounded gold summary of the dev article it carries. ``--articles``
dev articles (cycled) go through, ``--in-flight`` at a time, with the single-pass strategy and no
cache: ``asummarize_many``, ``summarize_many`` (threads), ``run_batch`` and the ``summarizer batch``
command, ``--repeat`` times in turn. Ideal time = ceil(articles / in-flight) x latency; efficiency
= ideal / measured (target >= 0.9); the median and the range over the runs are printed. For the
command, its own tally is used, with and without the time it spent setting up before the first
article; Python's start-up and imports are printed apart.

**Scale.** ``summarizer batch`` over N short synthetic articles (``tests/synthetic.py``) against a
zero-latency server, one fresh process per N: peak RSS (``wait4``), seconds and seconds per 1,000
articles. Targets: peak memory grows < 50 MB from the smallest N to the largest, time grows linearly.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _fake

from summarizer import Summarizer, run_batch
from tests import synthetic

MODEL = "fake-model"


def _summarizer(base_url: str) -> Summarizer:
    return Summarizer(
        model=MODEL, base_url=base_url, api_key="sk-bench", strategy="single", max_reasks=0
    )


def _inputs(path: Path, texts: list[str]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for number, text in enumerate(texts):
            handle.write(json.dumps({"id": f"a{number}", "text": text}, ensure_ascii=False) + "\n")


def _cli(
    inputs: Path, output: Path, base_url: str, in_flight: int
) -> tuple[float, float, float, int, float]:
    """Run ``summarizer batch`` in a fresh process: (batch seconds, of which setting up, wall
    seconds, peak RSS bytes, CPU seconds, start-up included)."""
    env = {**os.environ, "OPENAI_API_KEY": "sk-bench", "OPENAI_BASE_URL": base_url}
    command = [sys.executable, "-m", "summarizer", "batch", str(inputs), str(output)]
    command += ["--model", MODEL, "--strategy", "single", "--max-reasks", "0"]
    command += ["--concurrency", str(in_flight), "--no-progress"]
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    assert child.stderr is not None
    tally = child.stderr.read()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"summarizer batch failed ({child.returncode}): {tally[-500:]}")
    seconds = float(re.findall(r"in ([\d.]+) s", tally)[-1])
    setup = re.findall(r"\(([\d.]+) s of it setting up\)", tally)
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, float(setup[-1]) if setup else 0.0, wall, usage.ru_maxrss * 1024, cpu


@dataclass
class _Tally:
    """Seconds and client CPU seconds of every run of each path."""

    runs: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    cpu: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    setups: list[float] = field(default_factory=list)
    walls: list[float] = field(default_factory=list)

    def add(self, name: str, seconds: float, cpu: float | None = None) -> None:
        self.runs[name].append(seconds)
        if cpu is not None:
            self.cpu[name].append(cpu)


def _api_paths(summarizer: Any, texts: list[str], in_flight: int, tally: _Tally) -> None:
    """One run each of ``asummarize_many`` and ``summarize_many``."""
    started, used = time.perf_counter(), time.process_time()
    results = asyncio.run(summarizer.asummarize_many(texts, concurrency=in_flight))
    tally.add(
        "Summarizer.asummarize_many", time.perf_counter() - started, time.process_time() - used
    )
    failures = [r for r in results if isinstance(r, Exception)]
    if failures:
        raise RuntimeError(f"{len(failures)} articles failed: {failures[0]}")
    started, used = time.perf_counter(), time.process_time()
    summarizer.summarize_many(texts, concurrency=in_flight)
    tally.add(
        "Summarizer.summarize_many", time.perf_counter() - started, time.process_time() - used
    )


def _batch_paths(
    summarizer: Any, inputs: Path, tmp: str, repeat: int, base_url: str, args: argparse.Namespace,
    tally: _Tally,
) -> None:  # fmt: skip
    """One run each of ``run_batch`` and the ``summarizer batch`` command."""
    used = time.process_time()
    output = Path(tmp) / f"api-{repeat}.jsonl"
    report = run_batch(summarizer, inputs, output, concurrency=args.in_flight)
    if report.ok != args.articles:
        raise RuntimeError(f"run_batch: {report.summary_line()}")
    tally.add("run_batch", report.seconds, time.process_time() - used)
    output = Path(tmp) / f"cli-{repeat}.jsonl"
    seconds, setup, wall, _, used_cli = _cli(inputs, output, base_url, args.in_flight)
    tally.add("`summarizer batch`, its tally less setting up", seconds - setup)
    tally.add("`summarizer batch`, its whole tally", seconds, used_cli)
    tally.setups.append(setup)
    tally.walls.append(wall)


def concurrency(args: argparse.Namespace) -> None:
    cases = _fake.dev_cases()
    texts = [cases[i % len(cases)].text for i in range(args.articles)]
    tally = _Tally()
    load = os.getloadavg()
    with _fake.server_process(args.latency) as base_url, tempfile.TemporaryDirectory() as tmp:
        summarizer = _summarizer(base_url)
        # warm-up of each path: imports, first connection, schema, templates
        summarizer.summarize(texts[0])
        asyncio.run(summarizer.asummarize(texts[0]))
        inputs = Path(tmp) / "in.jsonl"
        _inputs(inputs, texts)
        for repeat in range(args.repeat):
            _api_paths(summarizer, texts, args.in_flight, tally)
            _batch_paths(summarizer, inputs, tmp, repeat, base_url, args, tally)
    _print_concurrency(args, tally, load[0])


def _print_concurrency(args: argparse.Namespace, tally: _Tally, load: float) -> None:
    ideal = math.ceil(args.articles / args.in_flight) * args.latency
    print(
        f"\nconcurrency: {args.articles} articles, {args.in_flight} in flight, "
        f"{args.latency * 1000:.0f} ms server latency; ideal {ideal:.2f} s; "
        f"{args.repeat} runs of each path, in turn\n"
    )
    print(
        "| path | seconds (median) | efficiency (median) | efficiency (lowest to highest) "
        "| client CPU ms per article (median) |"
    )
    print("|---|---|---|---|---|")
    for name, measured in tally.runs.items():
        effs = sorted(ideal / m for m in measured)
        cpu = tally.cpu.get(name)
        used = f"{statistics.median(cpu) / args.articles * 1000:.2f}" if cpu else ""
        print(
            f"| {name} | {statistics.median(measured):.2f} | "
            f"**{statistics.median(effs):.3f}** | {effs[0]:.3f} to {effs[-1]:.3f} | {used} |"
        )
    print(
        f"\nload average before / after: {load:.2f} / {os.getloadavg()[0]:.2f} "
        f"on {os.cpu_count()} cores; the `summarizer batch` CPU figure includes its start-up"
    )
    print(
        f"\n`summarizer batch`: setting up (templates, schema, HTTP client) took "
        f"{statistics.median(tally.setups):.3f} s of its tally (median); wall time including "
        f"Python's start-up and imports: {statistics.median(tally.walls):.2f} s (median)"
    )


def scale(args: argparse.Namespace) -> None:
    sizes = [int(n) for n in args.scale.split(",")]
    rows: list[tuple[int, float, float, int]] = []
    with (
        _fake.server_process(0.0, synthetic=True) as base_url,
        tempfile.TemporaryDirectory() as tmp,
    ):
        for size in sizes:
            inputs, output = Path(tmp) / f"in-{size}.jsonl", Path(tmp) / f"out-{size}.jsonl"
            _inputs(inputs, [synthetic.article(i) for i in range(size)])
            seconds, _, wall, peak, _ = _cli(inputs, output, base_url, args.in_flight)
            lines = output.read_bytes().count(b"\n")
            if lines != size:
                raise RuntimeError(f"{size} articles in, {lines} records out")
            rows.append((size, seconds, wall, peak))
    print(f"\nscale: `summarizer batch`, zero-latency server, {args.in_flight} in flight\n")
    print("| articles | batch seconds | s per 1,000 | wall seconds | peak RSS MB |")
    print("|---|---|---|---|---|")
    for size, seconds, wall, peak in rows:
        print(
            f"| {size:,} | {seconds:.1f} | {seconds / size * 1000:.2f} | {wall:.1f} "
            f"| {peak / 2**20:.1f} |"
        )
    (small, s_sec, _, s_peak), (large, l_sec, _, l_peak) = rows[0], rows[-1]
    growth = (l_peak - s_peak) / 2**20
    linear = (l_sec / large) / (s_sec / small)
    print(f"\npeak memory growth {small:,} -> {large:,}: {growth:+.1f} MB (target < 50 MB)")
    print(f"time per article, {large:,} over {small:,}: {linear:.2f} (1.00 = linear)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=256)
    parser.add_argument("--in-flight", type=int, default=32)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each concurrency path")
    parser.add_argument("--scale", default="1000,10000", help="comma-separated batch sizes")
    parser.add_argument("--skip-concurrency", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    args = parser.parse_args()
    if not args.skip_concurrency:
        concurrency(args)
    if not args.skip_scale:
        scale(args)


if __name__ == "__main__":
    main()
