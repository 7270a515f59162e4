from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import EXAMPLE, as_json
from tests.fakeserver import FakeOpenAIServer, Step


def run(
    *args: str, server: FakeOpenAIServer | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    if server is not None:
        env.update(OPENAI_BASE_URL=server.base_url, OPENAI_API_KEY="sk-test")
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=120,
        check=False,
    )


def test_summarize_json(server: FakeOpenAIServer, good_summary: dict[str, Any]) -> None:
    server.push(Step(as_json(good_summary)))
    done = run("summarize", str(EXAMPLE), "--model", "m", "--max-reasks", "0", server=server)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["actions"][2]["target_count"] == 500
    assert "evidence_spans" not in out["actions"][0]


def test_summarize_markdown_from_stdin(
    server: FakeOpenAIServer, good_summary: dict[str, Any]
) -> None:
    server.push(Step(as_json(good_summary)))
    done = run(
        "summarize",
        "-",
        "--model",
        "m",
        "--format",
        "markdown",
        server=server,
        stdin=EXAMPLE.read_text(),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# US to sanction Iran")
    assert "## Action 3: US — announced → RU" in done.stdout


def test_meta_flag(server: FakeOpenAIServer, good_summary: dict[str, Any]) -> None:
    server.push(Step(as_json(good_summary)))
    done = run("summarize", str(EXAMPLE), "--model", "m", "--meta", server=server)
    meta = json.loads(done.stdout)["meta"]
    assert meta["model"] == "m" and meta["attempts"] == 1 and meta["usage"]["calls"] == 1


def test_model_failure_exits_1_with_one_line(server: FakeOpenAIServer) -> None:
    server.push(*[Step("not json") for _ in range(3)])
    done = run("summarize", str(EXAMPLE), "--model", "m", "--max-reasks", "2", server=server)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "failed validation after 3 attempt(s)" in lines[0]


def test_input_errors_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    for args in (
        ["summarize", str(tmp_path / "missing.txt")],
        ["summarize", str(empty)],
        ["summarize", str(EXAMPLE), "--strategy", "magic"],
        ["frobnicate"],
        ["summarize", str(EXAMPLE), "--model", "remote-model"],
    ):
        done = run(*args)
        assert done.returncode == 2, (args, done.stderr)
        assert done.stderr.startswith("summarizer: error:")
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_schema_command() -> None:
    done = run("schema")
    assert done.returncode == 0
    schema = json.loads(done.stdout)
    assert schema["title"] == "SanctionsSummary"
    assert "actions" in schema["properties"]
