"""The embedded backend against plain llama-cpp-python: decode speed, and prompt-prefix reuse.

    .venv/bin/python bench/bench_embedded.py [--model local] [--threads N] [--max-tokens 128] [--runs 3]
    .venv/bin/python bench/bench_embedded.py --max-tokens 16 --runs 1      # a quick look

1. Decode speed. The same prompt (article A rendered through our templates), the same GGUF, the same
   n_ctx and threads, the same ``max_tokens``, greedy, no grammar: our ``LlamaCppBackend.complete``
   against a ``llama_cpp.Llama`` built with llama-cpp-python's defaults, both in this process and in
   alternating order after one warm-up call each. Tokens per second are completion tokens over wall
   time (target: ours / plain >= 0.95); llama.cpp's own decode counters are printed next to them.
2. Prompt-prefix reuse. Articles A and B rendered through the strategy's real templates (the request
   is captured from ``Summarizer.summarize`` itself), so they share the templates' static prefix.
   Prompt evaluation of B right after A (KV cache kept) against B after a reset of the model state,
   each with a few generated tokens; prints the prompt tokens llama.cpp evaluated, the prompt-eval
   milliseconds, the speed-up (goal >= 2x), and whether B's reply is the same either way. The same
   sequence runs on the plain ``Llama``, to tell our backend's doing from llama.cpp's.

Run it on an otherwise idle machine: llama.cpp uses every core.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from summarizer import Summarizer
from summarizer.backends.base import ChatRequest, Completion
from summarizer.backends.llamacpp import LlamaCppBackend, LlamaOptions, plain_prompt
from summarizer.eval.dataset import load_dataset

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "evals" / "datasets" / "dev.jsonl"
DECODE_TARGET, REUSE_GOAL = 0.95, 2.0


class _Captured(Exception):
    """Raised by :class:`Recorder` to stop a strategy once its first request is known."""

    def __init__(self, request: ChatRequest) -> None:
        super().__init__("captured")
        self.request = request


class Recorder:
    """The real backend for everything but ``complete``, which captures the request and stops."""

    def __init__(self, inner: LlamaCppBackend) -> None:
        self.inner = inner
        self.kind = inner.kind

    model = property(lambda self: self.inner.model)
    context_window = property(lambda self: self.inner.context_window)
    enforces_schema = property(lambda self: self.inner.enforces_schema)

    def identity(self) -> dict[str, Any]:
        return self.inner.identity()

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def complete(self, request: ChatRequest) -> Completion:
        raise _Captured(request)

    async def acomplete(self, request: ChatRequest) -> Completion:
        raise _Captured(request)


def first_request(backend: LlamaCppBackend, strategy: str, text: str) -> ChatRequest:
    """The first request ``strategy`` sends the embedded model for ``text``."""
    summarizer = Summarizer(model=backend.model, backend=Recorder(backend), strategy=strategy)
    try:
        summarizer.summarize(text)
    except _Captured as captured:
        return captured.request
    raise RuntimeError(f"the {strategy} strategy finished without calling the model")


@dataclass
class Perf:
    """llama.cpp's counters for one call: prompt tokens evaluated and decode tokens, with times."""

    prompt_ms: float
    prompt_tokens: int
    decode_ms: float
    decode_tokens: int


class Counters:
    """Reads and resets a ``Llama``'s perf counters (``llama_perf_context``)."""

    def __init__(self, llama: Any) -> None:
        import llama_cpp

        self._lib = llama_cpp
        self._ctx = llama._ctx.ctx

    def reset(self) -> None:
        self._lib.llama_perf_context_reset(self._ctx)

    def read(self) -> Perf:
        data = self._lib.llama_perf_context(self._ctx)
        return Perf(data.t_p_eval_ms, data.n_p_eval, data.t_eval_ms, data.n_eval)


@dataclass
class Call:
    seconds: float
    completion_tokens: int
    text: str
    perf: Perf


class Side:
    """One way of running a request: ``run(request) -> (completion tokens, text)`` on ``llama``."""

    def __init__(
        self, name: str, llama: Any, run: Callable[[ChatRequest], tuple[int, str]]
    ) -> None:
        self.name = name
        self.llama = llama
        self.counters = Counters(llama)
        self._run = run

    def call(self, request: ChatRequest) -> Call:
        self.counters.reset()
        started = time.perf_counter()
        tokens, text = self._run(request)
        seconds = time.perf_counter() - started
        return Call(seconds, tokens, text, self.counters.read())


def ours(backend: LlamaCppBackend) -> Side:
    def run(request: ChatRequest) -> tuple[int, str]:
        completion = backend.complete(request)
        return completion.usage.completion_tokens, completion.text

    return Side("ours", backend.loaded.llama, run)


def plain(path: Path, n_ctx: int, threads: int, chat: bool) -> Side:
    """A ``Llama`` with llama-cpp-python's defaults, but our context size and threads."""
    from llama_cpp import Llama
    from llama_cpp._utils import suppress_stdout_stderr

    with suppress_stdout_stderr(disable=False):
        llama = Llama(
            model_path=str(path),
            n_ctx=n_ctx,
            n_threads=threads,
            n_threads_batch=threads,
            verbose=False,
        )

    def run(request: ChatRequest) -> tuple[int, str]:
        options: dict[str, Any] = {
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "seed": request.seed,
        }
        if chat:
            messages: Any = [m.as_dict() for m in request.messages]
            response: Any = llama.create_chat_completion(messages=messages, **options)
            text = response["choices"][0]["message"].get("content") or ""
        else:
            response = llama.create_completion(plain_prompt(request.messages), **options)
            text = response["choices"][0]["text"]
        return int(response["usage"]["completion_tokens"]), text

    return Side("plain", llama, run)


def decode(sides: list[Side], request: ChatRequest, runs: int) -> None:
    """Tokens per second of each side on the same request, alternating order."""
    calls: dict[str, list[Call]] = {side.name: [] for side in sides}
    for side in sides:
        side.call(request)  # warm-up: the prompt is in each side's KV cache from here on
    for run in range(runs):
        for side in sides if run % 2 == 0 else sides[::-1]:
            calls[side.name].append(side.call(request))
    print(f"\ndecode: {runs} run(s) per side, max_tokens {request.max_tokens}, greedy, no grammar")
    print(
        f"{'side':6} {'tokens':>7} {'wall s':>8} {'tok/s (wall)':>13} "
        f"{'prompt tok evaluated':>21} {'decode tok/s (llama.cpp)':>25}"
    )
    speed: dict[str, float] = {}
    for side in sides:
        done = calls[side.name]
        tokens = statistics.median(c.completion_tokens for c in done)
        wall = statistics.median(c.seconds for c in done)
        speed[side.name] = statistics.median(c.completion_tokens / c.seconds for c in done)
        inner = statistics.median(
            1000 * c.perf.decode_tokens / c.perf.decode_ms if c.perf.decode_ms else 0.0
            for c in done
        )
        evaluated = statistics.median(c.perf.prompt_tokens for c in done)
        print(
            f"{side.name:6} {tokens:7.0f} {wall:8.3f} {speed[side.name]:13.1f} "
            f"{evaluated:21.0f} {inner:25.1f}"
        )
    ratio = speed["ours"] / speed["plain"]
    verdict = "meets" if ratio >= DECODE_TARGET else "misses"
    print(f"ours / plain: {ratio:.3f} (target >= {DECODE_TARGET}; {verdict} it)")
    if any(c.completion_tokens < request.max_tokens for done in calls.values() for c in done):
        print("note: the model stopped before max_tokens; tokens/s counts the tokens it wrote")


def prompt_text(llama: Any, chat: bool, request: ChatRequest) -> str:
    """The text the model reads for ``request``: the plain prompt, or the chat template's output."""
    if not chat:
        return plain_prompt(request.messages)
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    model = llama._model
    formatter = Jinja2ChatFormatter(
        template=llama.metadata["tokenizer.chat_template"],
        eos_token=model.token_get_text(llama.token_eos()),
        bos_token=model.token_get_text(llama.token_bos()),
    )
    prompt: str = formatter(messages=[m.as_dict() for m in request.messages]).prompt
    return prompt


def shared_prefix(llama: Any, a: str, b: str) -> tuple[int, int, int]:
    """(common leading tokens, tokens of a, tokens of b) of two prompts."""
    ta = llama.tokenize(a.encode("utf-8"), add_bos=True, special=True)
    tb = llama.tokenize(b.encode("utf-8"), add_bos=True, special=True)
    common = 0
    for x, y in zip(ta, tb, strict=False):
        if x != y:
            break
        common += 1
    return common, len(ta), len(tb)


def prefix_reuse(side: Side, a: ChatRequest, b: ChatRequest, runs: int) -> float:
    """Prompt evaluation of B after A (KV kept) against B after a reset; returns the speed-up."""
    reused: list[Call] = []
    fresh: list[Call] = []
    for _ in range(runs):
        side.llama.reset()
        side.call(a)
        reused.append(side.call(b))
        side.llama.reset()
        fresh.append(side.call(b))

    def row(label: str, done: list[Call]) -> float:
        prompt_ms = statistics.median(c.perf.prompt_ms for c in done)
        print(
            f"  {label:22} {statistics.median(c.perf.prompt_tokens for c in done):10.0f} "
            f"{prompt_ms:15.1f} {statistics.median(c.perf.decode_ms for c in done):10.1f} "
            f"{1000 * statistics.median(c.seconds for c in done):10.1f}"
        )
        return prompt_ms

    print(
        f"{side.name}: {'B evaluated':22} {'prompt tok':>10} {'prompt eval ms':>15} "
        f"{'decode ms':>10} {'wall ms':>10}"
    )
    with_reuse = row("after A (KV kept)", reused)
    without = row("after a reset", fresh)
    speedup = without / with_reuse if with_reuse else float("inf")
    wall = statistics.median(c.seconds for c in fresh) / statistics.median(
        c.seconds for c in reused
    )
    same = all(r.text == f.text for r, f in zip(reused, fresh, strict=True))
    verdict = "meets" if speedup >= REUSE_GOAL else "misses"
    print(
        f"  speed-up of B's prompt evaluation with reuse: {speedup:.2f}x "
        f"(goal >= {REUSE_GOAL:g}x; {verdict} it; {wall:.2f}x in wall time); "
        f"same reply either way: {'yes' if same else 'NO'}"
    )
    return speedup


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="local", help="local, local:NAME or local:/path.gguf")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--n-ctx", type=int, default=8192)
    parser.add_argument("--max-tokens", type=int, default=128, help="decode length")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per side and part")
    parser.add_argument("--strategy", choices=("single", "assisted"), default="single",
                        help="whose templates render the prompts")  # fmt: skip
    parser.add_argument("--article-a", default="dev-a06", help="dev id of the first article")
    parser.add_argument("--article-b", default="dev-b07", help="dev id of the second article")
    parser.add_argument("--reply-tokens", type=int, default=4,
                        help="tokens generated in the prefix-reuse calls")  # fmt: skip
    parser.add_argument("--skip-decode", action="store_true")
    parser.add_argument("--skip-prefix", action="store_true")
    parser.add_argument("--skip-plain-prefix", action="store_true",
                        help="run the prefix-reuse part on our backend only")  # fmt: skip
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    import llama_cpp

    by_id = {c.id: c for c in load_dataset(DEV)}
    text_a, text_b = by_id[args.article_a].text, by_id[args.article_b].text
    backend = LlamaCppBackend(args.model, LlamaOptions(n_ctx=args.n_ctx, n_threads=args.threads))
    loaded = backend.loaded
    request_a = first_request(backend, args.strategy, text_a)
    request_b = first_request(backend, args.strategy, text_b)
    chat = not loaded.plain
    prompt_a, prompt_b = (prompt_text(loaded.llama, chat, r) for r in (request_a, request_b))
    common, len_a, len_b = shared_prefix(loaded.llama, prompt_a, prompt_b)
    print(
        f"model {backend.model} ({backend.path.name}), llama-cpp-python {llama_cpp.__version__}, "
        f"{args.threads} threads, n_ctx {args.n_ctx}, "
        f"{'chat template' if chat else 'no chat template: plain prompt'}; "
        f"{args.strategy} templates, A = {args.article_a} ({len_a} tokens), "
        f"B = {args.article_b} ({len_b} tokens), shared leading tokens {common}"
    )
    other = plain(backend.path, args.n_ctx, args.threads, chat)
    sides = [ours(backend), other]
    if not args.skip_decode:
        greedy = replace(
            request_a, json_schema=None, max_tokens=args.max_tokens, temperature=0.0, seed=0
        )
        decode(sides, greedy, args.runs)
    if not args.skip_prefix:
        print(f"\nprefix reuse: {args.runs} run(s), {args.reply_tokens} reply tokens, no grammar")
        a, b = (
            replace(r, json_schema=None, max_tokens=args.reply_tokens, temperature=0.0, seed=0)
            for r in (request_a, request_b)
        )
        for side in sides if not args.skip_plain_prefix else sides[:1]:
            prefix_reuse(side, a, b, args.runs)
    other.llama.close()


if __name__ == "__main__":
    main()
