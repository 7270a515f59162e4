"""Seconds per ~600-word article with the default embedded model: assisted against single.

    .venv/bin/python bench/bench_strategies.py [--model local:gemma-3-270m] [--runs 3]

Prints one line per strategy and the ratio, measured in one run on this machine. Run it on an
otherwise idle machine: llama.cpp uses every core.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from summarizer import Summarizer, SummarizerError
from summarizer.eval.dataset import load_dataset

DEV = Path(__file__).resolve().parents[1] / "evals" / "datasets" / "dev.jsonl"


def article(words: int = 600) -> tuple[str, str]:
    """The dev article closest to ``words`` words."""
    case = min(
        (c for c in load_dataset(DEV) if c.gold.is_sanctions_news),
        key=lambda c: abs(len(c.text.split()) - words),
    )
    return case.id, case.text


def seconds(summarizer: Summarizer, text: str, runs: int) -> tuple[float, str]:
    times, outcome = [], "ok"
    for _ in range(runs):
        started = time.perf_counter()
        try:
            summarizer.summarize(text)
        except SummarizerError as exc:
            outcome = type(exc).__name__
        times.append(time.perf_counter() - started)
    return statistics.median(times), outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="local:gemma-3-270m")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--single-runs", type=int, default=1)
    args = parser.parse_args()
    case_id, text = article()
    print(f"article {case_id}: {len(text.split())} words; model {args.model}")
    assisted = Summarizer(model=args.model, strategy="assisted")
    assisted.summarize(text)  # load the model once, outside the timings
    a, a_outcome = seconds(assisted, text, args.runs)
    print(f"assisted: {a:6.1f} s per article (median of {args.runs}; {a_outcome})")
    single = Summarizer(model=args.model, strategy="single", max_reasks=0)
    s, s_outcome = seconds(single, text, args.single_runs)
    print(
        f"single:   {s:6.1f} s per article (median of {args.single_runs}; {s_outcome}, no re-asks)"
    )
    print(f"single / assisted: {s / a:.1f}x")


if __name__ == "__main__":
    main()
