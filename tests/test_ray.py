"""The Ray engine on a local Ray instance against the loopback fake server: the local engine's
records, bad lines, resume, --retry-failed, an actor killed mid-run, and the dataset function."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer import Summarizer, load_batch, run_batch
from summarizer.cli import main
from tests import synthetic
from tests.conftest import ROOT
from tests.fakeserver import FakeOpenAIServer, Step

ray = pytest.importorskip("ray", reason="the ray extra is not installed (make setup installs it)")

from summarizer.scale.ray import (  # noqa: E402  (only with ray installed)
    Pool,
    RayOptions,
    dataset_records,
    run_batch_ray,
    summarize_dataset,
)

BAD_LINES = [
    '{"id": "broken", "text": ',
    '{"id": "a1", "text": "a duplicate of line 2"}',
    '{"id": "nosource"}',
    '["not", "an", "object"]',
]


@pytest.fixture(scope="module", autouse=True)
def local_ray() -> Iterator[None]:
    """One local Ray instance of two CPUs for the module (starting one takes seconds)."""
    ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING")
    yield
    ray.shutdown()


def write_inputs(path: Path, numbers: range, extra: list[str] | None = None) -> list[str]:
    lines = [json.dumps({"id": f"a{i}", "text": synthetic.article(i)}) for i in numbers]
    path.write_text("\n".join([*lines, *(extra or [])]) + "\n", encoding="utf-8")
    return [f"a{i}" for i in numbers]


def options(server: FakeOpenAIServer) -> dict[str, Any]:
    return {"model": "fake-model", "base_url": server.base_url, "api_key": "sk-test-ray-engine"}


def comparable(record: dict[str, Any]) -> dict[str, Any]:
    """A record without its timing (the only field two runs may differ in)."""
    record = json.loads(json.dumps(record))
    record.get("meta", {}).pop("latency_s", None)
    return record


def by_key(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    keyed = {}
    for record in records:
        bad = not record["ok"] and record["error"]["type"] == "BadInputLine"
        keyed[f"line:{record['line']}" if bad else f"id:{record['id']}"] = comparable(record)
    return keyed


def ids_of(records: list[dict[str, Any]]) -> Counter[str]:
    return Counter(str(r["id"]) for r in records if r["ok"] or r["error"]["type"] != "BadInputLine")


def failing(numbers: set[int]) -> Any:
    def respond(body: dict[str, Any]) -> Step:
        if synthetic.article_number(body) in numbers:
            return Step("bad request", status=400)
        return synthetic.respond(body)

    return respond


def test_records_are_the_local_engines_bad_lines_and_errors_included(tmp_path: Path) -> None:
    inputs = tmp_path / "in.jsonl"
    (tmp_path / "page.html").write_text(
        f"<html><body><article><p>{synthetic.article(7)}</p></article></body></html>"
    )
    extra = [*BAD_LINES, json.dumps({"id": 7, "path": "page.html"})]
    write_inputs(inputs, range(6), extra)
    with FakeOpenAIServer(default=failing({3})) as server:
        local = run_batch(Summarizer(**options(server)), inputs, tmp_path / "local.jsonl")
        report = run_batch_ray(
            options(server),
            inputs,
            tmp_path / "ray.jsonl",
            ray_options=RayOptions(pool=Pool(workers=2, concurrency=4)),
        )
    ours, theirs = load_batch(tmp_path / "ray.jsonl"), load_batch(tmp_path / "local.jsonl")
    assert by_key(ours) == by_key(theirs)
    assert len(ours) == len(theirs) == 11
    assert (report.total, report.ok, report.failed) == (local.total, local.ok, local.failed)
    assert report.errors == local.errors == Counter({"BadInputLine": 4, "BackendError": 1})
    assert report.setup_seconds < 1  # Ray was already running: joined, not started
    assert next(r for r in ours if r["id"] == "7")["summary"]["actions"]


def test_resume_skips_finished_ids_and_a_torn_line_runs_again(tmp_path: Path) -> None:
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = write_inputs(inputs, range(8), BAD_LINES[:1])
    with FakeOpenAIServer(default=synthetic.respond) as server:
        run_batch(Summarizer(**options(server)), inputs, output, concurrency=1)
        lines = output.read_bytes().splitlines(keepends=True)
        output.write_bytes(b"".join(lines[:3]) + lines[3][:30])  # killed while writing line 4
        first = len(server.requests)
        report = run_batch_ray(options(server), inputs, output)
        assert len(server.requests) - first == 5  # a3 (torn) to a7 run again, a0-a2 do not
    # the bad last line was cut off with the torn one: it is written again, by this process
    assert (report.total, report.skipped, report.ok, report.failed) == (9, 3, 5, 1)
    assert ids_of(load_batch(output)) == Counter(ids)


def test_retry_failed_runs_only_the_failures_again(tmp_path: Path) -> None:
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = write_inputs(inputs, range(5), BAD_LINES[:1])
    with FakeOpenAIServer(default=failing({1, 4})) as server:
        first = run_batch_ray(options(server), inputs, output)
    assert (first.ok, first.failed) == (3, 3)
    with FakeOpenAIServer(default=synthetic.respond) as server:
        plain = run_batch_ray(options(server), inputs, output)
        assert plain.skipped == 6 and not server.requests
        again = run_batch_ray(options(server), inputs, output, retry_failed=True)
        assert sorted(synthetic.article_number(b) for b in server.requests) == [1, 4]
    assert (again.skipped, again.ok, again.failed) == (4, 2, 0)
    records = load_batch(output)
    assert ids_of(records) == Counter(ids)
    assert [r["ok"] for r in records].count(False) == 1  # the bad line stays


class _DiesOnce(Summarizer):
    """Kills its own process the first time it meets article 5 (the marker file says it did)."""

    marker: Path

    def summarize(self, source: Any) -> Any:
        if "Ocean Star 5 Shipping" in str(source) and not self.marker.exists():
            self.marker.write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)
        return super().summarize(source)


def dying_summarizer(marker: str, **config: Any) -> Summarizer:
    summarizer = _DiesOnce(**config)
    summarizer.marker = Path(marker)
    return summarizer


def test_an_actor_killed_mid_run_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    import functools

    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the actors need not import tests
    inputs, output, marker = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "killed"
    ids = write_inputs(inputs, range(24))
    with FakeOpenAIServer(default=synthetic.respond, latency=0.05) as server:
        factory = functools.partial(dying_summarizer, str(marker), **options(server))
        report = run_batch_ray(
            {},
            inputs,
            output,
            ray_options=RayOptions(pool=Pool(workers=2, concurrency=4), factory=factory),
        )
    assert marker.exists() and int(marker.read_text()) != os.getpid()  # an actor died
    records = load_batch(output)
    assert ids_of(records) == Counter(ids)  # each id exactly once
    assert all(r["ok"] for r in records) and (report.ok, report.failed) == (24, 0)


def test_summarize_dataset_maps_rows_to_records() -> None:
    rows = [{"id": f"d{i}", "text": synthetic.article(i), "html": None} for i in range(4)]
    rows.append({"id": "empty", "text": None, "html": None})
    with FakeOpenAIServer(default=synthetic.respond) as server:
        dataset = ray.data.from_items(rows, override_num_blocks=2)
        result = summarize_dataset(dataset, pool=Pool(workers=1, concurrency=2), **options(server))
        records = {r["id"]: r for r in dataset_records(result)}
    assert sorted(records) == ["d0", "d1", "d2", "d3", "empty"]
    assert records["d2"]["summary"]["actions"][0]["targets"][0]["name"] == "Ocean Star 2 Shipping"
    assert records["empty"]["error"]["type"] == "BadInputLine"
    assert "exactly one of text, html, path" in records["empty"]["error"]["message"]
    assert "sk-test-ray-engine" not in json.dumps(records)


def test_the_command_runs_on_ray(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = write_inputs(inputs, range(5), BAD_LINES[:1])
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-from-the-environment")
    with FakeOpenAIServer(default=synthetic.respond) as server:
        argv = ["batch", str(inputs), str(output), "--engine", "ray", "--workers", "1"]
        code = main([*argv, "--model", "m", "--base-url", server.base_url, "--no-progress"])
    assert code == 1  # the bad line is a failure
    records = load_batch(output)
    assert ids_of(records) == Counter(ids) and len(records) == 6


def test_without_ray_the_engine_is_a_config_error_with_the_pip_hint(tmp_path: Path) -> None:
    inputs = tmp_path / "in.jsonl"
    write_inputs(inputs, range(1))
    probe = (
        "import sys; sys.modules['ray'] = None\n"  # as if ray were not installed
        "from summarizer.cli import main\n"
        f"sys.exit(main(['batch', {str(inputs)!r}, {str(tmp_path / 'out.jsonl')!r}, "
        "'--engine', 'ray', '--model', 'local:smollm2-135m']))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2
    assert "sanctions-summarizer[ray]" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out.jsonl").exists()
