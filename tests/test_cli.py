from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from summarizer.cli import build_parser
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


def test_version() -> None:
    from importlib.metadata import version

    import summarizer

    done = run("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"summarizer {summarizer.__version__}"
    assert summarizer.__version__ == version("sanctions-summarizer")


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert len(groups) == 1
    return dict(groups[0].choices)


def _actions() -> list[tuple[str, argparse.Action]]:
    found = [("summarizer", action) for action in build_parser()._actions]
    for name, sub in _commands().items():
        found += [(name, action) for action in sub._actions]
    return [
        (name, action)
        for name, action in found
        if not isinstance(action, argparse._HelpAction | argparse._VersionAction)
        and action.dest != "command"
    ]


def test_bare_command_prints_help_and_exits_0() -> None:
    done = run()
    assert done.returncode == 0 and not done.stderr
    assert done.stdout.startswith("usage: summarizer")
    commands = _commands()
    assert {"summarize", "schema", "batch", "eval", "score"} <= set(commands)
    description = done.stdout.split("options:")[0]
    for name in ("summarize", "schema", "batch", "eval", "score"):
        assert f"({name})" in description, name
    listed = done.stdout.split("commands:")[1].split("examples:")[0]
    for name in commands:  # each with its one-line help
        assert f"    {name}  " in listed, name
    examples = done.stdout.split("examples:")[1].strip().splitlines()
    assert [line.split()[0] for line in examples[:2]] == ["summarizer", "summarizer"]


def test_every_option_and_positional_has_help_with_its_default() -> None:
    actions = _actions()
    assert len(actions) > 60
    for command, action in actions:
        where = f"{command} {'/'.join(action.option_strings) or action.dest}"
        assert action.help and action.help != argparse.SUPPRESS, where
        if not action.option_strings:
            continue  # positionals are required: no default to show
        assert "default" in action.help, where
        shown = action.default not in (None, False, [], "", argparse.SUPPRESS)
        if shown and action.nargs != 0:  # a value option's real default, not a retyped one
            assert "%(default)s" in action.help, where


def test_verbose_before_or_after_the_command() -> None:
    parser = build_parser()
    assert parser.parse_args(["summarize", "a.txt", "-v"]).verbose is True
    assert parser.parse_args(["-v", "summarize", "a.txt"]).verbose is True
    assert parser.parse_args(["summarize", "a.txt"]).verbose is False
    assert parser.parse_args(["score", "d.jsonl", "p.jsonl", "--verbose"]).verbose is True


def test_verbose_after_the_command_logs_reasks(
    server: FakeOpenAIServer, good_summary: dict[str, Any]
) -> None:
    server.push(Step("not json"), Step(as_json(good_summary)))
    done = run("summarize", str(EXAMPLE), "--model", "m", "-v", server=server)
    assert done.returncode == 0, done.stderr
    assert "re-asking after validation errors" in done.stderr


def test_markdown_report_keeps_a_reply_on_its_lines(
    server: FakeOpenAIServer, good_summary: dict[str, Any]
) -> None:
    good_summary["headline"] = "US sanctions Iran\x1b[2J\n# Injected heading"
    good_summary["summary"] += "\n\n## Action 99: fake\x07"
    server.push(Step(as_json(good_summary)))
    done = run("summarize", str(EXAMPLE), "--model", "m", "--format", "markdown", server=server)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert done.stdout.splitlines()[0] == "# US sanctions Iran [2J # Injected heading"
    headings = [line for line in done.stdout.splitlines() if line.startswith("#")]
    assert (
        headings[0].startswith("# US") and len(headings) == 1 + 3 + 1
    )  # title, 3 actions, officials
