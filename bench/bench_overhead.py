"""Per-article time spent outside the model: ours against instructor, same model, server and replies.

    .venv/bin/python bench/bench_overhead.py [--iterations 200] [--warmup 20] [--profile 100]

Both sides drive :class:`SanctionsSummary` (validation, grounding, normalization) over the real
``openai`` client against the loopback fake server (``bench/_fake.py``, zero latency, in a process
of its own), which answers each request with the grounded gold summary of the dev article it
carries. Each client's HTTP transport times every exchange (request sent to last body byte read);
that time is subtracted, so what remains is the time spent outside the model: rendering, the SDK's
own request and reply handling, parsing, validating, grounding and normalizing. Our side runs
``Summarizer(strategy="single", cache_dir=None).summarize``; instructor (``Mode.JSON_SCHEMA``, the
same system prompt, the article in the user message, ``context={"source": text}``) runs
``client.chat.completions.create(response_model=SanctionsSummary)``. The two alternate article by
article; warm-up runs are excluded. Target: ours / instructor <= 0.5.

``--profile N`` then runs our side N more times under cProfile and prints the summarizer/ functions
with their cumulative milliseconds per article (cProfile inflates every figure).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _fake
import httpx2
import openai

from summarizer import SanctionsSummary, Summarizer
from summarizer.prompts import Prompts
from summarizer.strategies.single import SYSTEM, _vocabulary

TARGET = 0.5
MODEL = "fake-model"
API_KEY = "sk-bench"
#: Dev articles of different lengths and shapes (one to three actions, and no sanctions news).
DEFAULT_IDS = ("dev-a06", "dev-a02", "dev-a09", "dev-a11", "dev-b02", "dev-b10")
PACKAGE = str(Path(__file__).resolve().parents[1] / "summarizer") + os.sep


class _TimedStream(httpx2.SyncByteStream):
    """A response body stream whose reads count as HTTP time."""

    def __init__(self, inner: Any, transport: TimedTransport) -> None:
        self.inner = inner
        self.transport = transport

    def __iter__(self) -> Iterator[bytes]:
        chunks = iter(self.inner)
        while True:
            started = time.perf_counter()
            try:
                chunk = next(chunks)
            except StopIteration:
                self.transport.spent += time.perf_counter() - started
                return
            self.transport.spent += time.perf_counter() - started
            yield chunk

    def close(self) -> None:
        started = time.perf_counter()
        try:
            self.inner.close()
        finally:
            self.transport.spent += time.perf_counter() - started


class TimedTransport(httpx2.HTTPTransport):
    """The default transport, timing each exchange: ``spent`` seconds over ``calls`` requests."""

    def __init__(self) -> None:
        super().__init__()
        self.spent = 0.0
        self.calls = 0

    def reset(self) -> None:
        self.spent, self.calls = 0.0, 0

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        started = time.perf_counter()
        response = super().handle_request(request)
        self.spent += time.perf_counter() - started
        self.calls += 1
        return httpx2.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_TimedStream(response.stream, self),
            extensions=response.extensions,
        )


def timed_client(base_url: str) -> tuple[openai.OpenAI, TimedTransport]:
    """An ``openai.OpenAI`` client as our backend builds it, over a timed transport."""
    transport = TimedTransport()
    client = openai.OpenAI(
        api_key=API_KEY,
        base_url=base_url,
        max_retries=0,
        timeout=60.0,
        http_client=openai.DefaultHttpxClient(transport=transport),
    )
    return client, transport


class Ours:
    """Our single-pass summarizer over a timed client."""

    name = "ours"

    def __init__(self, base_url: str) -> None:
        client, self.transport = timed_client(base_url)  # handed over as a user would hand it
        self.summarizer = Summarizer(model=MODEL, client=client, strategy="single", timeout=60.0)

    def run(self, text: str) -> SanctionsSummary:
        return self.summarizer.summarize(text).summary


class Instructor:
    """instructor's JSON_SCHEMA mode with the same prompt, model and validation context."""

    name = "instructor"

    def __init__(self, base_url: str) -> None:
        import instructor

        client, self.transport = timed_client(base_url)
        self.client = instructor.from_openai(client, mode=instructor.Mode.JSON_SCHEMA)
        self.system = Prompts().render(SYSTEM, schema="", **_vocabulary())

    def run(self, text: str) -> SanctionsSummary:
        user = (
            "Summarize the sanctions developments in the article between the <article> tags."
            f"\n\n<article>\n{text}\n</article>"
        )
        summary: SanctionsSummary = self.client.chat.completions.create(
            model=MODEL,
            response_model=SanctionsSummary,
            messages=[
                {"role": "system", "content": self.system},
                {"role": "user", "content": user},
            ],
            context={"source": text},
            max_tokens=2048,
            temperature=0.0,
            seed=0,
        )
        return summary


def measure(side: Ours | Instructor, text: str) -> tuple[float, float]:
    """(seconds outside the HTTP exchange, seconds inside it) for one article."""
    side.transport.reset()
    started = time.perf_counter()
    side.run(text)
    wall = time.perf_counter() - started
    if side.transport.calls != 1:
        raise RuntimeError(f"{side.name}: expected one request, made {side.transport.calls}")
    return wall - side.transport.spent, side.transport.spent


def comparable(summary: SanctionsSummary) -> dict[str, Any]:
    """Every field, evidence spans included (instructor also attaches the raw reply to the object)."""
    data: dict[str, Any] = summary.model_dump(mode="json")
    return data


def profile(ours: Ours, texts: list[str], runs: int, top: int) -> None:
    """Our side under cProfile: summarizer/ functions by cumulative ms per article."""
    profiler = cProfile.Profile()
    http = 0.0
    for i in range(runs):
        ours.transport.reset()
        profiler.enable()
        ours.run(texts[i % len(texts)])
        profiler.disable()
        http += ours.transport.spent
    stats = pstats.Stats(profiler)
    rows: list[tuple[float, float, int, str]] = []
    entries = stats.stats.items()  # type: ignore[attr-defined]
    for (filename, line, function), (_, calls, tottime, cumtime, _) in entries:
        if filename.startswith(PACKAGE):
            where = f"{Path(filename).relative_to(Path(PACKAGE).parent)}:{line}({function})"
            rows.append((cumtime, tottime, calls, where))
    rows.sort(reverse=True)
    print(
        f"\nprofile of ours over {runs} articles (cProfile inflates times; "
        f"HTTP exchange {1000 * http / runs:.2f} ms/article is inside complete()):"
    )
    print(f"{'cum ms/art':>10} {'own ms/art':>10} {'calls/art':>9}  function")
    for cumtime, tottime, calls, where in rows[:top]:
        print(
            f"{1000 * cumtime / runs:10.3f} {1000 * tottime / runs:10.3f} {calls / runs:9.1f}  {where}"
        )
    print("\nall functions by own time (top 15):")
    stats.sort_stats("tottime").print_stats(15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200, help="timed articles per side")
    parser.add_argument("--warmup", type=int, default=20, help="untimed articles per side first")
    parser.add_argument("--ids", default=",".join(DEFAULT_IDS),
                        help="comma-separated dev article ids, or 'all'")  # fmt: skip
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="then profile our side over N articles")  # fmt: skip
    parser.add_argument("--top", type=int, default=25, help="rows of the profile table")
    args = parser.parse_args()

    import instructor

    cases = _fake.dev_cases()
    if args.ids != "all":
        wanted = args.ids.split(",")
        by_id = {c.id: c for c in cases}
        cases = [by_id[i] for i in wanted]
    texts = [c.text for c in cases]
    print(
        f"{len(cases)} dev articles ({', '.join(c.id for c in cases)}), "
        f"{args.iterations} timed + {args.warmup} warm-up per side; instructor {instructor.__version__}, "
        f"openai {openai.__version__}"
    )
    with _fake.server_process(latency=0.0) as base_url:
        ours, theirs = Ours(base_url), Instructor(base_url)
        differ = [
            c.id for c in cases if comparable(ours.run(c.text)) != comparable(theirs.run(c.text))
        ]
        times: dict[str, list[float]] = {"ours": [], "instructor": []}
        http: dict[str, list[float]] = {"ours": [], "instructor": []}
        for i in range(args.warmup + args.iterations):
            text = texts[i % len(texts)]
            pair = (ours, theirs) if i % 2 == 0 else (theirs, ours)
            for side in pair:
                outside, inside = measure(side, text)
                if i >= args.warmup:
                    times[side.name].append(outside)
                    http[side.name].append(inside)
        report(times, http, differ)
        if args.profile:
            profile(ours, texts, args.profile, args.top)


def report(times: dict[str, list[float]], http: dict[str, list[float]], differ: list[str]) -> None:
    med = {name: statistics.median(values) * 1000 for name, values in times.items()}
    p90 = {name: statistics.quantiles(values, n=10)[-1] * 1000 for name, values in times.items()}
    net = {name: statistics.median(values) * 1000 for name, values in http.items()}
    ratio = med["ours"] / med["instructor"]
    print(f"same summaries from both sides: {'no: ' + ', '.join(differ) if differ else 'yes'}")
    print(f"\n{'side':12} {'median ms outside model':>24} {'p90 ms':>8} {'median ms HTTP':>15}")
    for name in ("ours", "instructor"):
        print(f"{name:12} {med[name]:24.2f} {p90[name]:8.2f} {net[name]:15.2f}")
    verdict = "meets" if ratio <= TARGET else "misses"
    print(f"ours / instructor: {ratio:.2f} (target <= {TARGET}; {verdict} it)")


if __name__ == "__main__":
    main()
