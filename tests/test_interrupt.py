"""Ctrl-C stops a batch at once (issue #18, class 4): a real ``summarizer batch`` process gets
SIGINT while its workers wait on a slow, failing or silent server; it prints one line, exits 130
within seconds, writes only complete records, and the rerun gives every id exactly once."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer import load_batch
from tests import synthetic
from tests.fakeserver import FakeOpenAIServer, Step

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sends SIGINT")
#: Seconds an interrupted batch may take to exit (the server would hold it for minutes).
PROMPT = 8.0
ROOT = Path(__file__).resolve().parents[1]


def write_inputs(path: Path, count: int) -> list[str]:
    lines = [json.dumps({"id": f"a{i}", "text": synthetic.article(i)}) for i in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [f"a{i}" for i in range(count)]


def spawn(*argv: str) -> subprocess.Popen[str]:
    """A Python process with ``argv``, no OpenAI settings of this machine, stderr captured."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env["OPENAI_API_KEY"] = "sk-test"
    return subprocess.Popen(
        [sys.executable, *argv],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def start(inputs: Path, output: Path, base_url: str, *extra: str) -> subprocess.Popen[str]:
    args = ["batch", str(inputs), str(output), "--model", "fake-model", "--base-url", base_url,
            "--no-progress", "--timeout", "30", *extra]  # fmt: skip
    return spawn("-m", "summarizer", *args)


def interrupt(process: subprocess.Popen[str]) -> tuple[float, str]:
    """Send SIGINT; the seconds until the process ended, and its stderr."""
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    try:
        _, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError("the interrupted batch did not exit within 60 s") from None
    return time.monotonic() - sent, err


def assert_interrupted(process: subprocess.Popen[str], elapsed: float, err: str) -> None:
    assert process.returncode == 130, err
    assert err.splitlines() == ["summarizer: interrupted"], err
    assert elapsed < PROMPT, f"took {elapsed:.1f} s to stop"


def complete_records(output: Path) -> list[dict[str, Any]]:
    """Every line of ``output`` is a whole record with a newline (nothing half-written)."""
    raw = output.read_bytes() if output.exists() else b""
    assert not raw or raw.endswith(b"\n")
    return load_batch(output) if raw else []


def flaky(good: int) -> Any:
    """Answers the first ``good`` articles; then fails every request with 503 (retried) or
    holds it for 30 s without answering, in turns."""
    served = Counter[str]()

    def respond(body: dict[str, Any]) -> Step:
        number = synthetic.article_number(body)
        if number is not None and number < good:
            return synthetic.respond(body)
        served["bad"] += 1
        if served["bad"] % 2:
            return Step("overloaded", status=503)
        return Step(delay=30)

    return respond


def test_ctrl_c_on_a_failing_slow_server_stops_at_once_and_the_rerun_resumes(
    tmp_path: Path,
) -> None:
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = write_inputs(inputs, 20)
    with FakeOpenAIServer(default=flaky(good=2)) as server:
        process = start(inputs, output, server.base_url, "--concurrency", "4")
        deadline = time.monotonic() + 60
        while not (output.exists() and output.read_bytes().count(b"\n") >= 1):
            assert process.poll() is None and time.monotonic() < deadline, "no first record"
            time.sleep(0.05)
        time.sleep(1.0)  # the other workers are now retrying 503s or waiting on a silent reply
        elapsed, err = interrupt(process)
        assert_interrupted(process, elapsed, err)
        kept = complete_records(output)
        assert kept and all(r["ok"] for r in kept)  # nothing half-done, no error recorded for it
        asked = len(server.requests)
        time.sleep(1.5)  # and no worker goes on trying after the process is gone
        assert len(server.requests) == asked
    with FakeOpenAIServer(default=synthetic.respond) as server:
        rerun = start(inputs, output, server.base_url)
        _, err = rerun.communicate(timeout=120)
        assert rerun.returncode == 0, err
        assert f"{len(kept)} already done" in err
    assert Counter(str(r["id"]) for r in load_batch(output)) == Counter(ids)


@pytest.fixture
def silent() -> Iterator[tuple[str, socket.socket]]:
    """A server that accepts connections and never answers."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        yield f"http://127.0.0.1:{port}/v1", listener


def test_ctrl_c_on_a_silent_server_exits_130_within_seconds(
    tmp_path: Path, silent: tuple[str, socket.socket]
) -> None:
    base_url, listener = silent
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = write_inputs(inputs, 6)
    process = start(inputs, output, base_url, "--concurrency", "3")
    elapsed, err = interrupt_in_flight(process, listener)
    assert_interrupted(process, elapsed, err)
    assert complete_records(output) == []
    with FakeOpenAIServer(default=synthetic.respond) as server:
        rerun = start(inputs, output, server.base_url)
        _, err = rerun.communicate(timeout=120)
        assert rerun.returncode == 0, err
    assert Counter(str(r["id"]) for r in load_batch(output)) == Counter(ids)


def _run_eval(dataset: Path, out: Path, base_url: str) -> subprocess.Popen[str]:
    args = ["eval", str(dataset), "--model", "fake-model", "--base-url", base_url, "--out",
            str(out), "--no-progress", "--no-cache", "--timeout", "30", "--concurrency", "2"]  # fmt: skip
    return spawn("-m", "summarizer", *args)


def interrupt_in_flight(
    process: subprocess.Popen[str], listener: socket.socket
) -> tuple[float, str]:
    """Once ``process`` has a request in flight on the silent ``listener``, interrupt it."""
    listener.settimeout(60)
    connection, _ = listener.accept()
    with connection:
        time.sleep(0.3)
        return interrupt(process)


def test_ctrl_c_stops_an_eval_on_a_silent_server_within_seconds(
    tmp_path: Path, silent: tuple[str, socket.socket]
) -> None:
    base_url, listener = silent
    dataset = tmp_path / "cases.jsonl"
    lines = (ROOT / "evals" / "datasets" / "test.jsonl").read_text(encoding="utf-8").splitlines()
    dataset.write_text("\n".join(lines[:6]) + "\n", encoding="utf-8")
    process = _run_eval(dataset, tmp_path / "run", base_url)
    elapsed, err = interrupt_in_flight(process, listener)
    assert_interrupted(process, elapsed, err)
    assert complete_records(tmp_path / "run" / "predictions.jsonl") == []


MANY = """
import sys
from summarizer import Summarizer
summarizer = Summarizer(model="fake-model", base_url=sys.argv[1], api_key="sk-test", timeout=30)
summarizer.summarize_many([f"Article {i}: OFAC designated Ocean Star {i} Shipping." for i in range(6)], concurrency=3)
"""


def test_ctrl_c_stops_summarize_many_on_a_silent_server_within_seconds(
    silent: tuple[str, socket.socket],
) -> None:
    base_url, listener = silent
    process = spawn("-c", MANY, base_url)
    elapsed, err = interrupt_in_flight(process, listener)
    assert process.returncode in (-signal.SIGINT, 130, 1), err
    assert "KeyboardInterrupt" in err
    assert elapsed < PROMPT, f"took {elapsed:.1f} s to stop"
