"""Bad predictions files, datasets and output folders: one clear line and exit 2, never a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from summarizer.cli import main
from tests.synthetic_predictions import gold_prediction
from tests.test_eval_cli import small_dataset


def run(*args: str | Path) -> int:
    return main([str(a) for a in args])


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    return small_dataset(tmp_path, 3)


def records(dataset: Path) -> list[dict[str, object]]:
    rows = [json.loads(line) for line in dataset.read_text().splitlines()]
    return [{"id": r["id"], "prediction": gold_prediction(r)} for r in rows]


def write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"error": "boom"}, "line 2" and "field 'error' must be null or an object"),
        ({"error": {"message": "no type"}}, "field 'error' must be null or an object"),
        ({"meta": ["latency"]}, "field 'meta' must be null or an object"),
        ({"repeat": "0"}, "field 'repeat' must be a non-negative integer"),
    ],
)
def test_a_field_of_the_wrong_type_is_refused_naming_it(
    tmp_path: Path,
    dataset: Path,
    capsys: pytest.CaptureFixture[str],
    change: dict[str, object],
    message: str,
) -> None:
    rows = records(dataset)
    rows[1].update(change)
    path = write(tmp_path / "p.jsonl", rows)
    assert run("score", dataset, path, "--out", tmp_path / "r") == 2
    err = capsys.readouterr().err
    assert f"p.jsonl:2 (id {rows[1]['id']!r}): {message}" in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_line_without_prediction_says_so(
    tmp_path: Path, dataset: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = records(dataset)
    batch_like = {"id": rows[0]["id"], "ok": True, "summary": rows[0]["prediction"]}
    path = write(tmp_path / "p.jsonl", [batch_like, *rows[1:]])
    assert run("score", dataset, path, "--out", tmp_path / "r") == 2
    err = capsys.readouterr().err
    assert "p.jsonl:1" in err and "no 'prediction' field" in err and "summarizer batch" in err


def test_duplicate_ids_warn_and_the_first_is_kept(
    tmp_path: Path, dataset: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = records(dataset)
    wrong = {"id": rows[0]["id"], "prediction": None}
    path = write(tmp_path / "p.jsonl", [*rows, wrong])
    assert run("score", dataset, path, "--out", tmp_path / "r", "--bootstrap", "20") == 0
    assert "duplicate prediction for id" in capsys.readouterr().err
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    assert report["metrics"]["schema_valid_rate"] == 1.0  # the later null line was not used
    assert any("line 4" in w and "line 1 is kept" in w for w in report["warnings"])


@pytest.mark.parametrize("which", ["dataset", "predictions"])
def test_a_non_utf8_line_is_one_clear_line(
    tmp_path: Path, dataset: Path, capsys: pytest.CaptureFixture[str], which: str
) -> None:
    predictions = write(tmp_path / "p.jsonl", records(dataset))
    target = dataset if which == "dataset" else predictions
    lines = target.read_bytes().splitlines(keepends=True)
    target.write_bytes(lines[0] + lines[1].replace(b'"id"', b'"\xe9id"', 1) + b"".join(lines[2:]))
    assert run("score", dataset, predictions, "--out", tmp_path / "r") == 2
    err = capsys.readouterr().err
    assert f"{target.name}:2: not valid UTF-8 (byte 0xe9" in err and "Traceback" not in err


def test_filesystem_errors_are_one_clear_line(
    tmp_path: Path, dataset: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    predictions = write(tmp_path / "p.jsonl", records(dataset))
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    assert run("score", dataset, predictions, "--out", a_file) == 2
    assert run("score", dataset, predictions, "--out", a_file / "sub") == 2
    assert run("score", dataset, tmp_path) == 2  # a folder where a file is expected
    os.mkfifo(tmp_path / "fifo")
    assert run("score", dataset, tmp_path / "fifo") == 2  # would block a reader
    assert run("score", tmp_path / "missing.jsonl", predictions) == 2
    assert run("compare", tmp_path / "p.jsonl", tmp_path / "p.jsonl", "--out", a_file) == 2
    err = capsys.readouterr().err
    assert "is a file; give a folder" in err and "it is a folder, not a file" in err
    assert "fifo: not a regular file" in err
    assert "cannot create the report folder" in err
    assert "Traceback" not in err and all(
        line.startswith("summarizer: error:") for line in err.splitlines()
    )


def test_an_unwritable_predictions_file_is_one_clear_line(
    tmp_path: Path,
    dataset: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    out = tmp_path / "run"
    (out / "predictions.jsonl").mkdir(parents=True)  # in the way of the file the eval writes
    code = run("eval", dataset, "--model", "m", "--base-url", "http://127.0.0.1:9/v1", "--no-cache",
               "--no-progress", "--out", out)  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert "cannot write" in err and "predictions.jsonl" in err and "Traceback" not in err
