"""Throughput of the batch engines: the local thread pool against Ray with 1 and 2 workers.

    .venv/bin/python bench/bench_ray.py [--articles 192] [--per-worker 8] [--latency 0.2]
                                        [--model-articles 4] [--model local:smollm2-135m]
                                        [--skip-server] [--skip-model]

**Server.** The fake server (a child process, ``bench/_fake.py``) answers each request after
``--latency`` seconds with the grounded gold summary of the dev article it carries; ``--articles``
dev articles (cycled) go through with the single-pass strategy and no cache. The local engine runs
``--per-worker`` and twice that many articles in flight; Ray runs 1 and 2 actors of ``--per-worker``
each, on a local Ray instance started once beforehand (its start-up is printed apart). Each time is
the whole batch: reading, actors starting, every record written. Ideal = ceil(articles / in flight)
x latency.

**Embedded model.** ``--model-articles`` dev articles through the embedded model (assisted
strategy): the local engine (one model, every core), Ray with 1 actor (every core) and with 2 actors
(one core each; each loads its own model). Model loading is included in every figure.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _fake

from summarizer import Summarizer, load_batch, run_batch
from summarizer.batch import BatchReport
from summarizer.scale.ray import Pool, RayOptions, connect, run_batch_ray


def _inputs(path: Path, texts: list[str]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for number, text in enumerate(texts):
            handle.write(json.dumps({"id": f"a{number}", "text": text}, ensure_ascii=False) + "\n")


Row = tuple[str, float, float, int]


def _timed(name: str, run: Callable[[Path, Callable[[Any], None]], BatchReport], tmp: Path) -> Row:
    """Name, seconds in all, seconds to the first record, articles summarized."""
    output = tmp / f"{name.replace(' ', '-')}.jsonl"
    first: list[float] = []
    started = time.perf_counter()
    report = run(output, lambda record: first or first.append(time.perf_counter()))
    seconds = time.perf_counter() - started
    if report.failed or len(load_batch(output)) != report.total:
        raise RuntimeError(f"{name}: {report.summary_line()}")
    return name, seconds, first[0] - started, report.ok


def _print(rows: list[Row], ideal: dict[str, float] | None = None) -> None:
    base = rows[0][3] / rows[0][1]
    print(
        f"{'engine':<34} {'seconds':>8} {'articles/s':>11} {'vs first':>9} {'ideal s':>8} "
        f"{'1st record s':>13}"
    )
    for name, seconds, first, done in rows:
        rate = done / seconds
        shown = f"{ideal[name]:8.2f}" if ideal else f"{'':>8}"
        print(f"{name:<34} {seconds:8.2f} {rate:11.2f} {rate / base:8.2f}x {shown} {first:13.2f}")


def server(args: argparse.Namespace) -> None:
    cases = _fake.dev_cases()
    texts = [cases[i % len(cases)].text for i in range(args.articles)]
    n = args.per_worker
    with _fake.server_process(args.latency) as base_url, tempfile.TemporaryDirectory() as tmp:
        options: dict[str, Any] = {
            "model": "fake-model",
            "base_url": base_url,
            "api_key": "sk-bench",
            "strategy": "single",
            "max_reasks": 0,
        }
        inputs = Path(tmp) / "in.jsonl"
        _inputs(inputs, texts)
        summarizer = Summarizer(**options)
        summarizer.summarize(texts[0])  # warm-up: imports, first connection

        def ray(workers: int) -> Callable[[Path, Any], BatchReport]:
            pool = RayOptions(pool=Pool(workers=workers, concurrency=workers * n), quiet=True)
            return lambda out, seen: run_batch_ray(
                options, inputs, out, ray_options=pool, on_record=seen
            )

        plan: list[tuple[str, int, Callable[[Path, Any], BatchReport]]] = [
            (f"local threads, {n} in flight", n, lambda o, seen: run_batch(summarizer, inputs, o, concurrency=n, on_record=seen)),
            (f"local threads, {2 * n} in flight", 2 * n, lambda o, seen: run_batch(summarizer, inputs, o, concurrency=2 * n, on_record=seen)),
            (f"ray 1 worker x {n}", n, ray(1)),
            (f"ray 2 workers x {n}", 2 * n, ray(2)),
        ]  # fmt: skip
        rows = [_timed(name, run, Path(tmp)) for name, _, run in plan]
        ideal = {name: math.ceil(args.articles / flight) * args.latency for name, flight, _ in plan}
    print(f"\n{args.articles} articles, {args.latency * 1000:.0f} ms a reply")
    _print(rows, ideal)


def model(args: argparse.Namespace) -> None:
    texts = [case.text for case in _fake.dev_cases()[: args.model_articles]]
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "in.jsonl"
        _inputs(inputs, texts)
        options: dict[str, Any] = {"model": args.model, "strategy": "assisted"}

        def local(out: Path, seen: Any) -> BatchReport:
            summarizer = Summarizer(**options, n_threads=cores)
            return run_batch(summarizer, inputs, out, concurrency=1, on_record=seen)

        def ray(workers: int) -> Callable[[Path, Any], BatchReport]:
            threads = max(1, cores // workers)
            pool = RayOptions(
                pool=Pool(workers=workers, concurrency=workers, cpus=threads), quiet=True
            )
            return lambda out, seen: run_batch_ray(
                {**options, "n_threads": threads}, inputs, out, ray_options=pool, on_record=seen
            )

        rows = [
            _timed(f"local, 1 model x {cores} threads", local, Path(tmp)),
            _timed(f"ray 1 worker x {cores} threads", ray(1), Path(tmp)),
            _timed(f"ray 2 workers x {max(1, cores // 2)} threads", ray(2), Path(tmp)),
        ]
    print(f"\n{len(texts)} dev articles, {args.model}, assisted, model loading included")
    _print(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=192)
    parser.add_argument("--per-worker", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--model-articles", type=int, default=4)
    parser.add_argument("--model", default="local:smollm2-135m")
    parser.add_argument("--skip-server", action="store_true")
    parser.add_argument("--skip-model", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    started = time.perf_counter()
    connect(num_cpus=os.cpu_count(), quiet=True)
    print(f"local Ray instance started in {time.perf_counter() - started:.1f} s")
    if not args.skip_server:
        server(args)
    if not args.skip_model:
        model(args)
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
