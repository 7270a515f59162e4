"""Seconds per article of the assisted writer, beside the bare rules and raw llama.cpp generation.

    .venv/bin/python bench/bench_writer.py [--model local:gemma-3-270m] [--runs 3] [--split [--limit N]]

1. One article alone: the dev sanctions article closest to 600 words, median of ``--runs``:
   the bare rules (``build``: extraction only), the facts writer (``writer="facts"``, the whole
   ``summarize``), the model writer (the default path, the whole ``summarize``), and one raw
   llama.cpp generation of the same length: the writer's first prompt, no grammar, end-of-text
   forbidden, as many tokens as the writer generated over all its calls for the article. The model
   writer's time over the raw generation's is the writer's overhead (extra calls, prompts, grammar).
2. ``--split``: the same over every dev article, the model writer timed as the eval harness runs it
   (``run_dataset``: wall time over the split, two articles in flight) and the raw generations one
   per article; prints seconds per article and the share of articles the model wrote.

Run it on an otherwise idle machine: llama.cpp uses every core, and a second model process on two
cores slows both down many times over.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from summarizer import Summarizer, SummarizerConfig
from summarizer.backends.base import ChatRequest, Completion
from summarizer.backends.llamacpp import LlamaCppBackend, plain_prompt
from summarizer.eval.dataset import Case, load_dataset
from summarizer.eval.runner import run_dataset
from summarizer.extract.draft import build

DEV = Path(__file__).resolve().parents[1] / "evals" / "datasets" / "dev.jsonl"


@dataclass
class Spy:
    """The real backend; records each request and how many tokens it generated."""

    inner: LlamaCppBackend
    calls: list[tuple[ChatRequest, int]] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def complete(self, request: ChatRequest) -> Completion:
        completion = self.inner.complete(request)
        self.calls.append((request, completion.usage.completion_tokens))
        return completion


def prime(backend: LlamaCppBackend, request: ChatRequest) -> None:
    """Leave only the prompt's static part (its system message) in llama.cpp's cache, as after
    another article: each timed call then evaluates its article's part of the prompt."""
    backend.loaded.llama.create_completion(plain_prompt(request.messages[:1]), max_tokens=1)


def raw_seconds(backend: LlamaCppBackend, request: ChatRequest, tokens: int) -> float:
    """One plain generation of ``tokens`` tokens from ``request``'s prompt (no grammar, EOS off)."""
    llama = backend.loaded.llama
    prime(backend, request)
    started = time.perf_counter()
    llama.create_completion(
        plain_prompt(request.messages),
        max_tokens=max(1, tokens),
        temperature=0.0,
        logit_bias={llama.token_eos(): -1e9},
    )
    return time.perf_counter() - started


def timed(action: Any, before: Any, runs: int) -> float:
    """Median seconds of ``action`` over ``runs``, ``before`` run untimed ahead of each."""
    times = []
    for _ in range(runs):
        before()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def alone(model: str, case: Case, runs: int) -> None:
    """Part 1: one article, each way, median of ``runs``."""
    spy = Spy(LlamaCppBackend(model))
    writer = Summarizer(model=model, backend=spy)  # type: ignore[arg-type]
    facts = Summarizer(model=model, writer="facts")
    writer.warm_up()
    facts.warm_up()
    outcome = writer.summarize(case.text).meta.details["writer"]  # learns the calls, untimed
    calls = list(spy.calls)
    tokens = sum(n for _, n in calls)
    nothing = lambda: None  # noqa: E731
    rules = timed(lambda: build(case.text), nothing, runs)
    facts_s = timed(lambda: facts.summarize(case.text), nothing, runs)
    model_s = timed(
        lambda: writer.summarize(case.text), lambda: prime(spy.inner, calls[0][0]), runs
    )
    raw = statistics.median(raw_seconds(spy.inner, calls[0][0], tokens) for _ in range(runs))
    print(f"article {case.id}, {len(case.text.split())} words, median of {runs}, model {model}")
    print(f"  writer: {outcome}, {len(calls)} call(s), {tokens} generated tokens")
    rows = [
        ("bare rules (extraction)", rules),
        ("facts writer (whole summarize)", facts_s),
        ("raw llama.cpp generation, same length", raw),
        ("model writer (default path)", model_s),
    ]
    for label, value in rows:
        print(f"  {label:40s} {value:7.3f} s   {value / raw:6.2f}x raw")


def split(model: str, cases: list[Case]) -> None:
    """Part 2: every dev article; the model writer as the eval harness runs it."""
    with tempfile.TemporaryDirectory() as out:
        config = SummarizerConfig(model=model)
        predictions, _, wall = run_dataset(cases, config, Path(out), progress=False)
        facts_config = replace(config, writer="facts")
        _, _, facts_wall = run_dataset(cases, facts_config, Path(out) / "f", progress=False)
    written = [p for p in predictions if p.summary is not None and p.summary.actions]
    share = sum((p.meta or {}).get("details", {}).get("writer") == "model" for p in written)
    spy = Spy(LlamaCppBackend(model))
    writer = Summarizer(model=model, backend=spy)  # type: ignore[arg-type]
    raw_total = one_by_one = 0.0
    for case in cases:
        before = len(spy.calls)
        started = time.perf_counter()
        writer.summarize(case.text)
        one_by_one += time.perf_counter() - started
        calls = spy.calls[before:]
        if calls:
            raw_total += raw_seconds(spy.inner, calls[0][0], sum(n for _, n in calls))
    started = time.perf_counter()
    for case in cases:
        build(case.text)
    rules = time.perf_counter() - started
    n = len(cases)
    print(f"dev split, {n} articles, model {model}; model-written {share} of {len(written)}")
    print(f"  {'bare rules (extraction)':44s} {rules / n:7.3f} s/article")
    print(f"  {'facts writer (eval wall time)':44s} {facts_wall / n:7.3f} s/article")
    print(f"  {'raw llama.cpp generations, same lengths':44s} {raw_total / n:7.3f} s/article")
    print(f"  {'model writer, one article at a time':44s} {one_by_one / n:7.3f} s/article")
    print(f"  {'model writer (eval wall time, 2 in flight)':44s} {wall / n:7.3f} s/article")
    print(f"  model writer (eval) / raw generations: {wall / max(raw_total, 1e-9):.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--model", default="local:gemma-3-270m")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--split", action="store_true", help="also time every dev article")
    parser.add_argument("--limit", type=int, help="--split: only the first N dev articles")
    args = parser.parse_args()
    cases = load_dataset(DEV)
    case = min(
        (c for c in cases if c.gold.is_sanctions_news),
        key=lambda c: abs(len(c.text.split()) - 600),
    )
    alone(args.model, case, args.runs)
    if args.split:
        split(args.model, cases[: args.limit] if args.limit else cases)


if __name__ == "__main__":
    main()
