"""The batch output is owned (issue #18, class 5), through real ``summarizer batch`` processes: a
second writer is refused while a batch runs, the input is recognised as the output under any
path, and a file whose lines are not batch records is refused, never taken as done."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer import load_batch
from tests import synthetic
from tests.fakeserver import FakeOpenAIServer, Step

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="flock, links")


@pytest.fixture
def slow() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(default=synthetic.respond, latency=0.25) as server:
        yield server


def command(*args: str | Path, server: FakeOpenAIServer) -> list[str]:
    return [sys.executable, "-m", "summarizer", "batch", *map(str, args), "--no-progress",
            "--model", "fake-model", "--base-url", server.base_url]  # fmt: skip


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env["OPENAI_API_KEY"] = "sk-test"
    return env


def batch(*args: str | Path, server: FakeOpenAIServer) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(*args, server=server),
        env=environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def refused(done: subprocess.CompletedProcess[str], *phrases: str) -> str:
    """Assert exit 2 and one stderr line, without a traceback, holding every phrase."""
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    for phrase in phrases:
        assert phrase in lines[0], lines[0]
    return lines[0]


def write_inputs(path: Path, count: int) -> list[str]:
    lines = [json.dumps({"id": f"a{i}", "text": synthetic.article(i)}) for i in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [f"a{i}" for i in range(count)]


def wait_for_records(path: Path, process: subprocess.Popen[str], deadline: float = 60) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end and process.poll() is None:
        if path.exists() and path.read_bytes().count(b"\n") >= 1:
            return
        time.sleep(0.05)
    raise AssertionError("the first batch wrote no record")


def test_a_second_writer_is_refused_while_a_batch_runs(tmp_path: Path) -> None:
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = write_inputs(inputs, 6)
    (tmp_path / "link.jsonl").symlink_to(output)
    release = threading.Event()

    def held(body: dict[str, Any]) -> Step:
        """Article 0 at once; the others once the test has tried its second writers."""
        if synthetic.article_number(body) != 0:
            release.wait(120)
        return synthetic.respond(body)

    with FakeOpenAIServer(default=held) as server:
        first = subprocess.Popen(
            [*command(inputs, output, server=server), "--concurrency", "1"],
            env=environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_for_records(output, first)
            line = refused(batch(inputs, output, server=server), str(output), "another batch")
            assert "locked" in line
            refused(batch(inputs, output, "--retry-failed", server=server), "another batch")
            refused(batch(inputs, tmp_path / "link.jsonl", server=server), "another batch")
            sub = tmp_path / "sub"
            sub.mkdir()
            refused(batch(inputs, sub / ".." / "out.jsonl", server=server), "another batch")
            assert first.poll() is None  # the refusals happened while the first batch ran
        finally:
            release.set()
            _, err = first.communicate(timeout=120)
        assert first.returncode == 0, err
        assert Counter(str(r["id"]) for r in load_batch(output)) == Counter(ids)  # each once
        again = batch(inputs, output, server=server)  # the lock went with the first run
    assert again.returncode == 0 and "6 already done" in again.stderr


def test_the_input_is_recognised_as_the_output_under_any_path(
    tmp_path: Path, slow: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = tmp_path / "in.jsonl"
    write_inputs(inputs, 2)
    before = inputs.read_bytes()
    (tmp_path / "sym.jsonl").symlink_to(inputs)
    os.link(inputs, tmp_path / "hard.jsonl")
    monkeypatch.chdir(tmp_path)
    for output in ("sym.jsonl", "hard.jsonl", "./in.jsonl", str(inputs)):
        refused(batch("in.jsonl", output, server=slow), "is the input file")
    assert inputs.read_bytes() == before
    assert not slow.requests


@pytest.mark.parametrize(
    "content",
    [
        pytest.param('{"id": "a1", "text": "An input file, not an output."}\n', id="an input file"),
        pytest.param(
            '{"id": "a1", "text": "An input line without its newline."}', id="one input line"
        ),
        pytest.param(
            '{"id": "a1", "repeat": 0, "prediction": {"is_sanctions_news": false}, '
            '"error": null, "meta": {}}\n',
            id="eval predictions",
        ),
        pytest.param("notes\n", id="text"),
        pytest.param(
            '{"id": "a0", "line": 1, "ok": true, "summary": {}, "meta": {}}\n'
            '{"id": "a1", "line": 2, "ok": false}\n',
            id="a record without its error",
        ),
    ],
)
def test_a_file_that_is_not_a_batch_output_is_refused(
    tmp_path: Path, slow: FakeOpenAIServer, content: str
) -> None:
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_inputs(inputs, 2)
    output.write_text(content, encoding="utf-8")
    bad = content.count("\n") if content.count("\n") > 1 else 1
    line = refused(batch(inputs, output, server=slow), f"line {bad} of {output}")
    assert "not a batch record" in line
    assert output.read_text(encoding="utf-8") == content  # untouched, nothing taken as done
    assert not slow.requests


def test_a_torn_last_record_is_cut_and_its_article_runs_again(
    tmp_path: Path, slow: FakeOpenAIServer
) -> None:
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = write_inputs(inputs, 3)
    first = batch(inputs, output, server=slow)
    assert first.returncode == 0, first.stderr
    records: list[dict[str, Any]] = load_batch(output)
    kept = json.dumps(records[0]) + "\n"
    output.write_text(kept + json.dumps(records[1])[:40], encoding="utf-8")
    again = batch(inputs, output, server=slow)
    assert again.returncode == 0, again.stderr
    assert "1 already done" in again.stderr
    assert Counter(str(r["id"]) for r in load_batch(output)) == Counter(ids)
