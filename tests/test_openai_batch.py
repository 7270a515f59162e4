"""``--via openai-batch``: the OpenAI Batch API path, against a loopback imitation of ``/v1/files``
and ``/v1/batches`` driven by the real ``openai`` client. The records are those of the live path;
what the batch did not answer (an error file, an expired batch) or answered with a reply that does
not validate is asked live; a rerun picks up the batch in flight."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from summarizer import Summarizer, load_batch, run_batch
from summarizer.errors import ConfigError
from summarizer.openai_batch import Polling, run_openai_batch, state_path
from summarizer.retry import transient_policy
from tests import synthetic
from tests.fakeserver import FakeBatchServer, FakeOpenAIServer, Step

FAST = Polling(initial=0.01, maximum=0.05)


def write_inputs(path: Path, count: int) -> list[str]:
    lines = [json.dumps({"id": f"a{i}", "text": synthetic.article(i)}) for i in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [f"a{i}" for i in range(count)]


def summarizer_for(server: FakeOpenAIServer) -> Summarizer:
    policy = transient_policy(initial=0.01, maximum=0.05)
    return Summarizer(
        model="fake-model", base_url=server.base_url, api_key="sk-test", retrying=policy
    )


def comparable(record: dict[str, Any]) -> dict[str, Any]:
    """A record without what differs between two runs of the same reply (time, path taken)."""
    meta = {k: v for k, v in record.get("meta", {}).items() if k not in ("latency_s", "details")}
    return {**record, "meta": meta}


def by_id(output: Path) -> dict[str, dict[str, Any]]:
    records = load_batch(output)
    assert Counter(str(r["id"]) for r in records).most_common(1)[0][1] == 1  # each id once
    return {str(r["id"]): comparable(r) for r in records}


def live_records(tmp_path: Path, inputs: Path) -> tuple[dict[str, dict[str, Any]], list[Any]]:
    """The live path's records for ``inputs`` and the request bodies it sent."""
    output = tmp_path / "live.jsonl"
    with FakeOpenAIServer(default=synthetic.respond) as server:
        run_batch(summarizer_for(server), inputs, output, concurrency=1)
        return by_id(output), server.requests


def test_a_batch_gives_the_live_records_without_a_live_request(tmp_path: Path) -> None:
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = write_inputs(inputs, 6)
    live, live_bodies = live_records(tmp_path, inputs)
    progress: list[str] = []
    with FakeBatchServer(default=synthetic.respond) as server:
        report = run_openai_batch(
            summarizer_for(server), inputs, output, polling=FAST, on_progress=progress.append
        )
        assert (report.ok, report.failed) == (6, 0)
        assert not server.requests  # every article answered by the batch
        assert (server.uploads, server.created) == (1, 1)
        sent = server.batch_requests()
    # each request is the live path's, line for line
    assert sorted(json.dumps(r["body"], sort_keys=True) for r in sent) == sorted(
        json.dumps(b, sort_keys=True) for b in live_bodies
    )
    assert all(r["method"] == "POST" and r["url"] == "/v1/chat/completions" for r in sent)
    assert by_id(output) == live and sorted(live) == sorted(ids)
    assert all(r["meta"]["details"]["via"] == "openai-batch" for r in load_batch(output))
    assert any("in_progress" in line for line in progress)
    assert any("completed" in line for line in progress)
    assert not state_path(output).exists()  # used up: a rerun creates no batch
    with FakeBatchServer(default=synthetic.respond) as server:
        again = run_openai_batch(summarizer_for(server), inputs, output, polling=FAST)
        assert again.skipped == 6 and server.created == 0


def test_an_expired_batch_runs_the_rest_live(tmp_path: Path) -> None:
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_inputs(inputs, 6)
    live, _ = live_records(tmp_path, inputs)
    statuses = ("validating", "in_progress", "expired")
    with FakeBatchServer(default=synthetic.respond, statuses=statuses, answered=2) as server:
        report = run_openai_batch(summarizer_for(server), inputs, output, polling=FAST)
        assert (report.ok, report.failed) == (6, 0)
        assert len(server.requests) == 4  # the four the batch never answered
    assert by_id(output) == live


def test_a_partly_failed_batch_re_asks_its_failures_live(tmp_path: Path) -> None:
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_inputs(inputs, 6)
    live, _ = live_records(tmp_path, inputs)

    def ungrounded_for_article_3(body: dict[str, Any]) -> Step:
        step = synthetic.respond(body)
        if synthetic.article_number(body) == 3 and len(body["messages"]) == 2:
            data = json.loads(step.content)
            data["actions"][0]["evidence"] = ["The moon imposed sanctions on the sun"]
            return Step(json.dumps(data))
        return step

    failing = frozenset({"line-2", "line-5"})
    with FakeBatchServer(default=ungrounded_for_article_3, fail=failing) as server:
        report = run_openai_batch(summarizer_for(server), inputs, output, polling=FAST)
        assert (report.ok, report.failed) == (6, 0)
        asked = Counter(synthetic.article_number(body) for body in server.requests)
        # lines 2 and 5 (articles 1 and 4) from the start; article 3 re-asked with its errors
        assert asked == Counter({1: 1, 4: 1, 3: 1})
        reask = next(b for b in server.requests if synthetic.article_number(b) == 3)
        assert [m["role"] for m in reask["messages"]] == ["system", "user", "assistant", "user"]
    records = by_id(output)
    assert records["a3"]["meta"]["attempts"] == 2
    assert {k: v for k, v in records.items() if k != "a3"} == {
        k: v for k, v in live.items() if k != "a3"
    }
    assert records["a3"]["summary"] == live["a3"]["summary"]


def test_a_rerun_picks_up_the_batch_in_flight(tmp_path: Path) -> None:
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = write_inputs(inputs, 4)
    statuses = ("validating", *["in_progress"] * 6, "completed")
    with FakeBatchServer(default=synthetic.respond, statuses=statuses) as server:
        seen: list[str] = []

        def interrupt_mid_poll(line: str) -> None:
            seen.append(line)
            if "in_progress" in line:
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            run_openai_batch(
                summarizer_for(server), inputs, output, polling=FAST, on_progress=interrupt_mid_poll
            )
        state = json.loads(state_path(output).read_text(encoding="utf-8"))
        assert state["batch_id"] == "batch_1" and load_batch(output) == []
        report = run_openai_batch(summarizer_for(server), inputs, output, polling=FAST)
        assert report.ok == 4
        assert (server.uploads, server.created) == (1, 1)  # no second batch was paid for
        assert not server.requests
    assert Counter(str(r["id"]) for r in load_batch(output)) == Counter(ids)
    assert not state_path(output).exists()


def test_the_command_reports_progress_and_refuses_the_embedded_model(tmp_path: Path) -> None:
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_inputs(inputs, 3)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env["OPENAI_API_KEY"] = "sk-test"
    base = [sys.executable, "-m", "summarizer", "batch", str(inputs), str(output), "--no-progress",
            "--via", "openai-batch", "--poll-interval", "0.01"]  # fmt: skip
    local = subprocess.run(base, env=env, capture_output=True, text=True, timeout=60)
    assert local.returncode == 2 and "Traceback" not in local.stderr
    assert local.stderr.strip().splitlines() == [
        "summarizer: error: --via openai-batch needs a remote model; 'local' is embedded and "
        "has no batch API (name a model on an OpenAI-compatible server, or leave out --via)"
    ]
    assert not output.exists()
    with FakeBatchServer(default=synthetic.respond) as server:
        remote = [*base, "--model", "fake-model", "--base-url", server.base_url]
        done = subprocess.run(remote, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[0] == (
        "summarizer batch: batch batch_1 created with 3 requests (kept in "
        f"{output.name}.openai-batch.json)"
    )
    assert any(line.endswith("in_progress, 0/3 done") for line in lines)
    assert lines[-1].startswith("summarizer batch: 3 input lines; 0 already done; 3 summarized")
    assert len(load_batch(output)) == 3


def test_the_api_refuses_the_assisted_strategy(tmp_path: Path) -> None:
    inputs = tmp_path / "in.jsonl"
    write_inputs(inputs, 1)
    with FakeBatchServer(default=synthetic.respond) as server:
        assisted = Summarizer(
            model="fake-model", base_url=server.base_url, api_key="sk-test", strategy="assisted"
        )
        with pytest.raises(ConfigError, match="single strategy"):
            run_openai_batch(assisted, inputs, tmp_path / "out.jsonl", polling=FAST)
        assert server.uploads == 0
