"""Shared helpers of the fake-server benchmarks: dev articles, grounded replies, a loopback server.

The server is ``tests/fakeserver.py``'s :class:`FakeOpenAIServer`. Its responder finds which dev
article a request carries and answers with that article's gold summary (plus a headline and summary
written from the gold summary facts), so every reply is a realistic, grounded, valid summary.

Run as a script, it serves on 127.0.0.1 in a process of its own and prints its base URL::

    .venv/bin/python bench/_fake.py --latency 0.1
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # for `tests.fakeserver` and `summarizer` from a checkout
    sys.path.insert(0, str(ROOT))

from summarizer.eval.dataset import Case, load_dataset  # noqa: E402
from summarizer.grounding import normalize_space  # noqa: E402
from summarizer.ingest import prepare  # noqa: E402
from tests.fakeserver import FakeOpenAIServer, Step  # noqa: E402

DEV = ROOT / "evals" / "datasets" / "dev.jsonl"
_FINGERPRINT_CHARS = 300


def dev_cases(path: Path = DEV) -> list[Case]:
    """The labelled dev articles."""
    return load_dataset(path)


def _clip(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters."""
    text = normalize_space(text)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:")


def reply_for(case: Case) -> dict[str, Any]:
    """A grounded reply for ``case``: the gold labels, with a headline and summary from its facts."""
    data = case.gold.model_dump(
        mode="json",
        exclude={
            "summary_facts": True,
            "schema_version": True,
            "actions": {"__all__": {"evidence_spans"}},
        },
    )
    facts = case.gold.summary_facts
    first_line = case.text.strip().splitlines()[0]
    data["headline"] = _clip(facts[0] if facts else first_line, 160)
    data["summary"] = _clip(" ".join(facts) if facts else first_line, 700)
    return data


def _fingerprint(text: str) -> str:
    return normalize_space(prepare(text))[:_FINGERPRINT_CHARS]


def responder(cases: Sequence[Case]) -> Callable[[dict[str, Any]], Step]:
    """A responder answering each request with the reply of the dev article found in its messages."""
    replies = {_fingerprint(c.text): json.dumps(reply_for(c), ensure_ascii=False) for c in cases}
    if len(replies) != len(cases):
        raise ValueError("two dev articles share their first characters; cannot tell them apart")

    def answer(body: dict[str, Any]) -> Step:
        contents = [str(m.get("content") or "") for m in body.get("messages", [])]
        for content in contents:  # fast path: the text right after the fence's opening tag
            start = content.find("<article>")
            if start >= 0:
                head = normalize_space(content[start + 9 : start + 9 + 3 * _FINGERPRINT_CHARS])
                reply = replies.get(head[:_FINGERPRINT_CHARS])
                if reply is not None:
                    return Step(content=reply, usage=(len(content) // 4, len(reply) // 4))
        text = normalize_space("\n".join(contents))
        for fingerprint, reply in replies.items():
            if fingerprint in text:
                return Step(content=reply, usage=(len(text) // 4, len(reply) // 4))
        return Step(status=400, content="no dev article found in the request")

    return answer


def start_server(
    latency: float = 0.0, cases: Sequence[Case] | None = None, *, record: bool = True
) -> FakeOpenAIServer:
    """An in-process fake server answering with grounded dev replies (use it as a context manager)."""
    return FakeOpenAIServer(default=responder(cases or dev_cases()), latency=latency, record=record)


@contextmanager
def server_process(latency: float = 0.0, *, synthetic: bool = False) -> Iterator[str]:
    """Serve from a child process (no GIL shared with the client); yields the base URL.
    ``synthetic`` answers the numbered articles of ``tests/synthetic.py`` instead of dev ones."""
    command = [sys.executable, str(Path(__file__).resolve()), "--latency", str(latency)]
    child = subprocess.Popen(
        [*command, *(["--synthetic"] if synthetic else [])],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        if not line.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"the fake server did not start (said {line!r})")
        yield line
    finally:
        if child.stdin is not None:
            child.stdin.close()  # the child exits when its stdin closes
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the fake chat-completions API on loopback.")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to each reply")
    parser.add_argument(
        "--synthetic", action="store_true", help="answer tests/synthetic.py articles"
    )
    args = parser.parse_args()
    if args.synthetic:
        from tests import synthetic

        server = FakeOpenAIServer(default=synthetic.respond, latency=args.latency, record=False)
    else:
        server = start_server(args.latency, record=False)
    with server:
        gc.freeze()  # the loaded dev set is never garbage: keep collections from walking it
        print(server.base_url, flush=True)
        sys.stdin.read()  # serve until the parent closes our stdin


if __name__ == "__main__":
    main()
