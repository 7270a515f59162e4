"""Baselines and gates: refusals (exit 2), which regressions fail (--gate), report folders, compare."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summarizer.cli import main
from tests.synthetic_predictions import write_predictions
from tests.test_eval_cli import DEV, small_dataset


def run(*args: str | Path) -> int:
    return main([str(a) for a in args])


def load(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "report.json").read_text(encoding="utf-8"))


@pytest.fixture
def scored(tmp_path: Path) -> dict[str, Path]:
    """A dataset of 6 dev articles, a perfect run's report and a worse run's predictions."""
    dataset = small_dataset(tmp_path)
    base = write_predictions(dataset, tmp_path / "base.jsonl", mistakes=False, fail_every=0)
    worse = write_predictions(dataset, tmp_path / "worse.jsonl", fail_every=0)
    assert run("score", dataset, base, "--out", tmp_path / "base", "--bootstrap", "100") == 0
    return {"dataset": dataset, "baseline": tmp_path / "base", "worse": worse, "base": base}


def test_a_baseline_on_another_dataset_is_refused(
    tmp_path: Path, scored: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "o").mkdir()
    other = small_dataset(tmp_path / "o", n=7)  # same articles and one more: another dataset
    code = run(
        "score", other, scored["base"], "--out", tmp_path / "x", "--baseline", scored["baseline"]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "another dataset" in err and "Traceback" not in err
    assert not (tmp_path / "x").exists()  # refused before anything was written


def test_a_baseline_sharing_too_few_articles_is_refused(
    tmp_path: Path, scored: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    report = load(scored["baseline"])
    report["per_article"] = report["per_article"][:2]  # 2 of the run's 6 articles
    thin = tmp_path / "thin.json"
    thin.write_text(json.dumps(report))
    code = run(
        "score", scored["dataset"], scored["worse"], "--out", tmp_path / "x", "--baseline", thin
    )
    assert code == 2
    assert "only 2 of this run's 6 articles are in the baseline" in capsys.readouterr().err
    report["per_article"] = load(scored["baseline"])["per_article"][:3]  # half is enough
    thin.write_text(json.dumps(report))
    assert (
        run(
            "score", scored["dataset"], scored["worse"], "--out", tmp_path / "y", "--baseline", thin
        )
        == 0
    )
    assert load(tmp_path / "y")["comparison"]["compared"] == 3


def test_an_old_or_foreign_baseline_file_is_one_clear_line(
    tmp_path: Path, scored: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old = load(scored["baseline"])
    for article in old["per_article"]:
        article["counts"] = {k: v[:3] for k, v in article["counts"].items()}
    cases = {"old.json": json.dumps(old), "foreign.json": '{"metrics": {}}', "broken.json": "{"}
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
        code = run("score", scored["dataset"], scored["worse"], "--out", tmp_path / "x",
                   "--baseline", tmp_path / name)  # fmt: skip
        assert code == 2, name
    err = capsys.readouterr().err
    assert "older format" in err and "not an eval report" in err and "is not JSON" in err
    assert "Traceback" not in err


def test_gate_chooses_which_regressions_fail(tmp_path: Path, scored: dict[str, Path]) -> None:
    common = ["score", scored["dataset"], scored["worse"], "--baseline", scored["baseline"],
              "--bootstrap", "200"]  # fmt: skip
    assert run(*common, "--out", tmp_path / "a") == 0  # reported, not gated
    comparison = load(tmp_path / "a")["comparison"]
    regressed = {n for n, m in comparison["metrics"].items() if m["regression"]}
    assert "status_f1" in regressed and comparison["gate"][0] == "overall"
    assert run(*common, "--out", tmp_path / "b", "--fail-on-regression") == 1
    assert (
        run(*common, "--out", tmp_path / "c", "--gate", "status_f1") == 1
    )  # --gate implies failing
    assert run(*common, "--out", tmp_path / "d", "--gate", "grounding_rate,officials_f1") == 0
    assert load(tmp_path / "d")["comparison"]["metrics"]["status_f1"]["gated"] is False


@pytest.mark.parametrize(
    "args",
    [["--gate", "bogus"], ["--gate", ","], ["--bootstrap", "0"], ["--min", "overall=high"]],
)
def test_gate_usage_errors_exit_2(scored: dict[str, Path], tmp_path: Path, args: list[str]) -> None:
    common = ["score", scored["dataset"], scored["worse"], "--out", tmp_path / "x"]
    assert run(*common, "--baseline", scored["baseline"], *args) == 2


def test_regression_gates_need_a_baseline(scored: dict[str, Path], tmp_path: Path) -> None:
    common = ["score", scored["dataset"], scored["worse"], "--out", tmp_path / "x"]
    assert run(*common, "--fail-on-regression") == 2
    assert run(*common, "--gate", "overall") == 2


def test_a_minimum_on_a_metric_with_nothing_to_measure_fails(
    tmp_path: Path, scored: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    negatives = tmp_path / "neg.jsonl"
    rows = [
        r
        for r in DEV.read_text().splitlines()
        if json.loads(r)["gold"]["is_sanctions_news"] is False
    ]
    negatives.write_text("\n".join(rows[:3]) + "\n")
    predictions = write_predictions(negatives, tmp_path / "p.jsonl", mistakes=False, fail_every=0)
    common = ["score", negatives, predictions, "--out", tmp_path / "r"]
    assert run(*common, "--min", "grounding_rate=1") == 1
    assert "grounding_rate is n/a (nothing to measure)" in capsys.readouterr().err
    report = load(tmp_path / "r")
    assert (
        report["metrics"]["grounding_rate"] is None
        and report["intervals"]["grounding_rate"] is None
    )
    assert report["metrics"]["actions_f1"] == 1.0  # both sides empty: agreement (and overall too)
    assert (
        "| grounding_rate | n/a | n/a | 0/0 quotes |" in (tmp_path / "r" / "report.md").read_text()
    )
    assert run(*common, "--min", "overall=1") == 0


def test_score_writes_beside_the_predictions_and_never_over_another_report(
    tmp_path: Path, scored: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    predictions = run_dir / "predictions.jsonl"
    predictions.write_text(scored["worse"].read_text())
    eval_report = {"command": "eval", "per_article": []}
    (run_dir / "report.json").write_text(json.dumps(eval_report))
    assert run("score", scored["dataset"], predictions, "--bootstrap", "20") == 0
    assert load(run_dir / "predictions-score")["command"] == "score"
    assert json.loads((run_dir / "report.json").read_text()) == eval_report  # untouched
    assert run("score", scored["dataset"], predictions, "--out", run_dir) == 2
    assert "holds the report of `summarizer eval`" in capsys.readouterr().err
    assert json.loads((run_dir / "report.json").read_text()) == eval_report
    assert run("score", scored["dataset"], predictions, "--bootstrap", "20") == 0  # its own: fine


def test_compare_runs_side_by_side(
    tmp_path: Path, scored: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("score", scored["dataset"], scored["worse"], "--out", tmp_path / "worse-run") == 0
    capsys.readouterr()
    out = tmp_path / "cmp"
    code = run("compare", scored["baseline"], tmp_path / "worse-run" / "report.json", "--out", out,
               "--bootstrap", "200")  # fmt: skip
    assert code == 0
    printed = capsys.readouterr().out
    assert printed.startswith("# Comparison of 2 runs") and "**regression**" in printed
    result = json.loads((out / "comparison.json").read_text())
    assert [r["n"] for r in result["runs"]] == [6, 6] and result["deltas"][0] is None
    assert result["deltas"][1]["compared"] == 6
    assert result["deltas"][1]["metrics"]["status_f1"]["regression"] is True
    html = (out / "comparison.html").read_text()
    assert html.count("<svg") == 2 and "runs side by side" in html
    assert (out / "comparison.md").read_text() == printed.split("\nreports:")[0]


def test_compare_refuses_other_datasets_and_single_runs(
    tmp_path: Path, scored: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "o").mkdir()
    other = small_dataset(tmp_path / "o", n=4)
    predictions = write_predictions(other, tmp_path / "o.jsonl")
    assert run("score", other, predictions, "--out", tmp_path / "other") == 0
    assert run("compare", scored["baseline"], tmp_path / "other", "--out", tmp_path / "c") == 2
    assert run("compare", scored["baseline"], "--out", tmp_path / "c") == 2
    assert run("compare", scored["baseline"], tmp_path / "missing", "--out", tmp_path / "c") == 2
    err = capsys.readouterr().err
    assert "another dataset" in err and "at least two" in err and "cannot read report" in err
