"""The record format readers share: batch outputs and `summarizer summarize` JSON, read alike."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from summarizer import InputError
from summarizer.cli import main
from summarizer.records import read_records
from tests.analyst_data import SUMMARIES, write_results
from tests.conftest import EXAMPLE, as_json
from tests.fakeserver import FakeOpenAIServer, Step


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_results(tmp_path_factory.mktemp("results"))


def test_a_batch_output_is_read_with_its_sources(results: Path) -> None:
    read = read_records(results)
    assert read.failed == 1
    records = {r.id: r for r in read}
    assert set(records) == set(SUMMARIES)
    for record in records.values():
        assert record.source is not None and record.source_sha256 is not None
        assert hashlib.sha256(record.source.encode()).hexdigest() == record.source_sha256
        for action in record.summary.actions:
            assert [s.quote for s in action.evidence_spans] == action.evidence
            for span in action.evidence_spans:
                assert record.source[span.start : span.end] == span.quote


def test_summarize_output_is_read_with_and_without_meta(
    server: FakeOpenAIServer, good_summary: dict[str, Any], tmp_path: Path, capsys: Any
) -> None:
    for flags, name in (([], "bare"), (["--meta"], "meta")):
        server.push(Step(as_json(good_summary)))
        argv = ["summarize", str(EXAMPLE), "--model", "m", "--base-url", server.base_url, *flags]
        assert main(argv) == 0
        (tmp_path / f"{name}.json").write_text(capsys.readouterr().out, encoding="utf-8")
    bare = read_records(tmp_path / "bare.json").records
    meta = read_records(tmp_path / "meta.json").records
    assert [r.id for r in bare] == ["bare"] and [r.id for r in meta] == ["meta"]
    assert bare[0].summary.actions == [] or not bare[0].summary.actions[0].evidence_spans
    assert meta[0].summary.actions[0].evidence_spans[0].raw_start is not None
    assert meta[0].meta["model"] == "m" and len(meta[0].source_sha256 or "") == 64
    assert bare[0].summary.headline == meta[0].summary.headline


def test_quotes_are_placed_again_when_a_record_has_a_source_but_no_spans(tmp_path: Path) -> None:
    source = EXAMPLE.read_text(encoding="utf-8").strip()
    summary = SUMMARIES["kirby"]
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"id": "k", "summary": summary, "source": source}), encoding="utf-8")
    record = read_records(path).records[0]
    span = record.summary.actions[0].evidence_spans[0]
    assert source[span.start : span.end] == span.quote


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": 1, "ok": true, "summary": {"headline": "x"}}\n', "not a valid summary"),
        ('{"id": 1, "ok": true}\n{"id": 2}\n', "no 'summary' field"),
        ('{"id": 1, "ok": true, "summary": {}}\nnot json\n', "line 2 is not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
    ],
)
def test_bad_results_files_are_input_errors_naming_the_problem(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_records(path)


def test_an_edited_source_no_longer_matches_its_hash(results: Path, tmp_path: Path) -> None:
    lines = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()]
    record = next(r for r in lines if r["ok"])
    record["source"] += " edited"
    path = tmp_path / "edited.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="does not match its 'source_sha256'"):
        read_records(path)
    with pytest.raises(InputError, match="not found"):
        read_records(tmp_path / "missing.jsonl")
