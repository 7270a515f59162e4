"""Batch runs: one record per input line, flushed as it completes; resume after a kill; faults."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from summarizer import InputError, Summarizer, load_batch, run_batch
from summarizer.cli import main
from summarizer.retry import transient_policy
from tests import synthetic
from tests.fakeserver import FAULTS, FakeOpenAIServer, FaultSchedule, Step


def write_inputs(path: Path, numbers: range, extra: Sequence[str] = ()) -> list[str]:
    lines = [json.dumps({"id": f"a{i}", "text": synthetic.article(i)}) for i in numbers]
    path.write_text("\n".join([*lines, *extra]) + "\n", encoding="utf-8")
    return [f"a{i}" for i in numbers]


def summarizer_for(server: FakeOpenAIServer, **options: Any) -> Summarizer:
    options.setdefault("retrying", transient_policy(initial=0.01, maximum=0.05))
    return Summarizer(model="fake-model", base_url=server.base_url, api_key="sk-test", **options)


def ids_of(records: list[dict[str, Any]]) -> Counter[str]:
    return Counter(str(r["id"]) for r in records if r.get("id") is not None)


def test_batch_writes_a_record_per_line_and_a_rerun_skips_them(tmp_path: Path) -> None:
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = write_inputs(inputs, range(6), extra=['{"id": "broken", "text": '])
    with FakeOpenAIServer(default=synthetic.respond) as server:
        summarizer = summarizer_for(server)
        report = run_batch(summarizer, inputs, output, concurrency=3)
        records = load_batch(output)
        assert (report.total, report.ok, report.failed) == (7, 6, 1)
        assert report.errors == Counter({"BadInputLine": 1})
        # the summarizer was prepared once, before the first article, and the time shown
        assert 0 < report.setup_seconds < report.seconds
        assert "s of it setting up" in report.summary_line()
        assert ids_of(records) == Counter(ids)
        good = [r for r in records if r["ok"]]
        for record in good:
            number = int(record["id"][1:])
            action = record["summary"]["actions"][0]
            assert action["targets"][0]["name"] == f"Ocean Star {number} Shipping"
            assert record["line"] == number + 1
            assert record["meta"]["attempts"] == 1
        bad = next(r for r in records if not r["ok"])
        assert bad["line"] == 7 and "not valid JSON" in bad["error"]["message"]

        calls = len(server.requests)
        before = output.read_bytes()
        again = run_batch(summarizer, inputs, output)
        assert (again.skipped, again.ok, again.failed) == (7, 0, 0)
        assert again.setup_seconds == 0  # nothing to do, nothing prepared
        assert output.read_bytes() == before
        assert len(server.requests) == calls

        # the same summarizer serves a later batch just as well
        more = tmp_path / "more.jsonl"
        write_inputs(more, range(6, 8))
        later = run_batch(summarizer, more, tmp_path / "more-out.jsonl")
        assert (later.ok, later.failed) == (2, 0)


def test_a_torn_last_line_is_cut_and_its_article_runs_again(tmp_path: Path) -> None:
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = write_inputs(inputs, range(4))
    with FakeOpenAIServer(default=synthetic.respond) as server:
        run_batch(summarizer_for(server), inputs, output, concurrency=1)
        lines = output.read_bytes().splitlines(keepends=True)
        # as if the process died while writing the third record
        output.write_bytes(b"".join(lines[:2]) + lines[2][:40])
        report = run_batch(summarizer_for(server), inputs, output)
    assert (report.skipped, report.ok) == (2, 2)
    assert ids_of(load_batch(output)) == Counter(ids)


def test_retry_failed_runs_only_the_failures_again(tmp_path: Path) -> None:
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = write_inputs(inputs, range(5))
    broken = {2, 4}

    def first_pass(body: dict[str, Any]) -> Step:
        if synthetic.article_number(body) in broken:
            return Step("bad request", status=400)
        return synthetic.respond(body)

    with FakeOpenAIServer(default=first_pass) as server:
        first = run_batch(summarizer_for(server), inputs, output)
    assert (first.ok, first.failed) == (3, 2)
    assert first.errors == Counter({"BackendError": 2})
    with FakeOpenAIServer(default=synthetic.respond) as server:
        plain = run_batch(summarizer_for(server), inputs, output)
        assert plain.skipped == 5 and not server.requests
        second = run_batch(summarizer_for(server), inputs, output, retry_failed=True)
        assert len(server.requests) == 2
    assert (second.skipped, second.ok, second.failed) == (3, 2, 0)
    records = load_batch(output)
    assert ids_of(records) == Counter(ids)
    assert all(r["ok"] for r in records)


def test_sigkill_mid_run_then_resume_yields_every_id_exactly_once(tmp_path: Path) -> None:
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = write_inputs(inputs, range(300))
    with FakeOpenAIServer(default=synthetic.respond, latency=0.03) as server:
        env = {**os.environ, "OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": server.base_url}
        command = [sys.executable, "-m", "summarizer", "batch", str(inputs), str(output)]
        command += ["--model", "fake-model", "--concurrency", "4", "--no-progress"]
        process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            if output.exists() and output.read_bytes().count(b"\n") >= 40:
                break
            time.sleep(0.01)
        assert process.poll() is None, "the batch finished before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert process.stderr is not None
        process.stderr.close()
        written = len(load_lines_leniently(output))
        assert 40 <= written < 300

        resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert "summarized" in resumed.stderr and "already done" in resumed.stderr
    records = load_batch(output)
    assert ids_of(records) == Counter(ids)  # every id, exactly once
    assert all(r["ok"] for r in records)


def load_lines_leniently(path: Path) -> list[bytes]:
    return [line for line in path.read_bytes().split(b"\n") if line.strip()]


def test_fault_injection_over_a_thousand_articles_loses_nothing(tmp_path: Path) -> None:
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = write_inputs(inputs, range(1000))
    schedule = FaultSchedule(synthetic.respond, rate=0.4, seed=7, timeout_delay=1.0)
    with FakeOpenAIServer(default=schedule) as server:
        summarizer = summarizer_for(server, timeout=0.5)
        report = run_batch(summarizer, inputs, output, concurrency=32)
        requests = len(server.requests)
    records = load_batch(output)
    assert ids_of(records) == Counter(ids)  # no article lost, none twice
    assert report.ok + report.failed == 1000 == len(records)
    assert sum(report.errors.values()) == report.failed
    assert set(report.errors) <= {"BackendError", "ValidationFailed", "OutputTruncated"}
    faulted = sum(n for fault, n in schedule.injected.items() if fault is not None)
    assert sum(schedule.injected.values()) == requests
    assert 0.35 < faulted / requests < 0.45
    assert all(schedule.injected[fault] >= 20 for fault in FAULTS)
    for record in records:
        if record["ok"]:  # every summary that got through is the right one, grounded
            number = int(record["id"][1:])
            action = record["summary"]["actions"][0]
            assert action["evidence"] == [f"imposed sanctions on Ocean Star {number} Shipping"]
    assert report.ok >= 970  # retries and re-asks recover nearly all of the 40% faulted
    print(f"\nrequests {requests}, injected {dict(schedule.injected)}, {report.summary_line()}")


def test_cli_batch_exit_code_and_tally(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_inputs(inputs, range(3), extra=['{"text": "no id"}'])
    with FakeOpenAIServer(default=synthetic.respond) as server:
        args = ["batch", str(inputs), str(output), "--model", "fake-model"]
        args += ["--base-url", server.base_url, "--no-progress"]
        code = main(args)
    err = capsys.readouterr().err
    assert code == 1  # one line failed
    assert "4 input lines" in err and "3 summarized" in err and "BadInputLine 1" in err
    missing = main(["batch", str(tmp_path / "nope.jsonl"), str(output), "--no-progress"])
    assert missing == 2
    assert "input file not found" in capsys.readouterr().err


def test_an_output_file_that_is_not_a_batch_output_is_refused(tmp_path: Path) -> None:
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_inputs(inputs, range(2))
    output.write_text("some notes, not JSON\n", encoding="utf-8")
    with FakeOpenAIServer(default=synthetic.respond) as server:
        with pytest.raises(InputError, match="not an output of this command"):
            run_batch(summarizer_for(server), inputs, output)
        with pytest.raises(InputError, match="the output file is the input file"):
            run_batch(summarizer_for(server), inputs, inputs)
        assert not server.requests
    assert output.read_text(encoding="utf-8") == "some notes, not JSON\n"  # left as it was


def test_an_interrupt_keeps_finished_articles_and_a_rerun_completes(tmp_path: Path) -> None:
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = write_inputs(inputs, range(40))
    seen: list[str] = []

    def interrupt_after_five(record: dict[str, Any]) -> None:
        seen.append(record["id"])
        if len(seen) == 5:
            raise KeyboardInterrupt

    with FakeOpenAIServer(default=synthetic.respond, latency=0.02) as server:
        with pytest.raises(KeyboardInterrupt):
            run_batch(
                summarizer_for(server),
                inputs,
                output,
                concurrency=4,
                on_record=interrupt_after_five,
            )
        kept = load_batch(output)
        assert 5 <= len(kept) < 40  # what finished before the interrupt is written
        report = run_batch(summarizer_for(server), inputs, output, concurrency=4)
    assert report.skipped == len(kept) and report.ok == 40 - len(kept)
    assert ids_of(load_batch(output)) == Counter(ids)
