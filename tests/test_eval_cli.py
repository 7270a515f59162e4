"""`summarizer eval` / `summarizer score` end to end: fake server, reports, cache, gates, exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from summarizer.cli import main
from tests.conftest import ROOT
from tests.fakeserver import FakeOpenAIServer, Step

DEV = ROOT / "evals" / "datasets" / "dev.jsonl"


def small_dataset(tmp_path: Path, n: int = 6) -> Path:
    lines = DEV.read_text(encoding="utf-8").splitlines()[:n]
    path = tmp_path / "small.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def gold_responder(dataset: Path, fail_ids: tuple[str, ...] = (), fail_delay: float = 0.0) -> Any:
    records = [json.loads(line) for line in dataset.read_text(encoding="utf-8").splitlines()]

    def respond(body: dict[str, Any]) -> Step:
        user = body["messages"][1]["content"]
        for record in records:
            if record["text"][:200] in user:
                if record["id"] in fail_ids:
                    return Step("bad request", status=400, delay=fail_delay)
                gold = dict(record["gold"])
                facts = gold.pop("summary_facts", [])
                gold["headline"], gold["summary"] = "", "; ".join(facts)[:700]
                return Step(json.dumps(gold))
        return Step("unknown article", status=400)

    return respond


def run_cli(*args: str | Path) -> int:
    return main([str(a) for a in args])


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")


def test_eval_end_to_end_with_cache(
    tmp_path: Path, env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = small_dataset(tmp_path)
    with FakeOpenAIServer(default=gold_responder(dataset)) as server:
        common = [
            "eval",
            dataset,
            "--model",
            "m",
            "--base-url",
            server.base_url,
            "--cache-dir",
            tmp_path / "cache",
            "--no-progress",
            "--bootstrap",
            "50",
        ]
        assert run_cli(*common, "--out", tmp_path / "r1", "--min", "overall=0.99") == 0
        requests_after_first = len(server.requests)
        assert run_cli(*common, "--out", tmp_path / "r2") == 0
        assert len(server.requests) == requests_after_first == 6  # warm cache: no model calls
    first = json.loads((tmp_path / "r1" / "report.json").read_text())
    second = json.loads((tmp_path / "r2" / "report.json").read_text())
    assert first["metrics"] == second["metrics"]
    # the rerun says where its answers came from, and spent no tokens
    assert first["timing"]["cache_hits"] == 0 and first["timing"]["total_tokens"] == 6 * 150
    assert second["timing"]["cache_hits"] == 6 and second["timing"]["model"]["runs"] == 0
    assert second["timing"]["total_tokens"] == 0 and second["timing"]["mean_latency_s"] is None
    assert second["timing"]["cached"]["tokens"] == 6 * 150
    assert all(run["cache_hit"] for a in second["per_article"] for run in a["cost"])
    assert "6 answered from the cache" in (tmp_path / "r2" / "report.md").read_text()
    assert first["metrics"]["overall"] == 1.0 and first["n"] == 6
    assert {"n", "model", "metrics", "per_article"} <= set(first)
    lines = (tmp_path / "r1" / "predictions.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["id"] for line in lines) == sorted(
        a["id"] for a in first["per_article"]
    )
    html = (tmp_path / "r1" / "report.html").read_text()
    assert "<mark class=" in html and not re.search(r"(src|href)=['\"]?https?:", html)
    assert (tmp_path / "r1" / "report.md").read_text().startswith("# Eval report")
    assert "overall" in capsys.readouterr().out


def test_a_cached_rerun_counts_every_answer_from_the_cache(tmp_path: Path, env: None) -> None:
    """Also when the strategy itself reports no cache hit (assisted, extractive fallback)."""
    dataset = small_dataset(tmp_path, 2)
    with FakeOpenAIServer(default=lambda body: Step("Nothing to report.")) as server:
        common = ["eval", dataset, "--model", "m", "--base-url", server.base_url, "--strategy",
                  "assisted", "--cache-dir", tmp_path / "cache", "--no-progress", "--bootstrap", "20"]  # fmt: skip
        assert run_cli(*common, "--out", tmp_path / "r1") == 0
        calls = len(server.requests)
        assert run_cli(*common, "--out", tmp_path / "r2") == 0
        assert len(server.requests) == calls > 0
    first = json.loads((tmp_path / "r1" / "report.json").read_text())
    second = json.loads((tmp_path / "r2" / "report.json").read_text())
    assert first["timing"]["cache_hits"] == 0 and second["timing"]["cache_hits"] == 2
    assert second["timing"]["cached"]["tokens"] == first["timing"]["total_tokens"] > 0


def test_repeats_report_their_spread_and_agreement(tmp_path: Path, env: None) -> None:
    dataset = small_dataset(tmp_path, 3)
    with FakeOpenAIServer(default=gold_responder(dataset)) as server:
        code = run_cli("eval", dataset, "--model", "m", "--base-url", server.base_url, "--no-cache",
                       "--no-progress", "--repeat", "2", "--out", tmp_path / "r", "--bootstrap", "20")  # fmt: skip
        assert code == 0 and len(server.requests) == 6
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    assert report["repeat"] == 2 and report["repeats"]["n"] == 2
    assert report["repeats"]["spread"]["overall"] == {"min": 1.0, "max": 1.0, "std": 0.0}
    assert report["repeats"]["agreement"] == {
        "articles": 3,
        "identical": 1.0,
        "is_sanctions_news": 1.0,
        "actions": 1.0,
    }
    assert all(a["runs"] == 2 for a in report["per_article"])


def test_eval_records_errors_and_continues(tmp_path: Path, env: None) -> None:
    dataset = small_dataset(tmp_path, 3)
    first_id = json.loads(dataset.read_text().splitlines()[0])["id"]
    responder = gold_responder(dataset, fail_ids=(first_id,), fail_delay=0.3)
    with FakeOpenAIServer(default=responder) as server:
        code = run_cli(
            "eval",
            dataset,
            "--model",
            "m",
            "--base-url",
            server.base_url,
            "--no-cache",
            "--no-progress",
            "--out",
            tmp_path / "r",
            "--min",
            "schema_valid_rate=1",
        )
    assert code == 1  # the gate fails, the run completes
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    assert report["metrics"]["schema_valid_rate"] == pytest.approx(2 / 3)
    errors = {a["id"]: a["errors"] for a in report["per_article"]}
    assert errors[first_id][0]["type"] == "BackendError"
    # the failure's time counts in the mean latency (0.3 s of 3 articles), as it does for the user
    assert report["timing"]["mean_latency_s"] >= 0.1
    failed = next(
        json.loads(line)
        for line in (tmp_path / "r" / "predictions.jsonl").read_text().splitlines()
        if json.loads(line)["id"] == first_id
    )
    assert failed["meta"]["latency_s"] >= 0.3 and failed["prediction"] is None


def _predictions(dataset: Path, path: Path, drop_actions: bool) -> Path:
    with path.open("w") as out:
        for line in dataset.read_text().splitlines():
            record = json.loads(line)
            gold = dict(record["gold"])
            facts = gold.pop("summary_facts", [])
            gold["headline"], gold["summary"] = "", "; ".join(facts)[:700]
            if drop_actions:
                gold["actions"] = gold["actions"][:1] and [
                    dict(gold["actions"][0], status="lifted")
                ]
            out.write(json.dumps({"id": record["id"], "prediction": gold}) + "\n")
    return path


def test_score_baseline_regression_and_gates(tmp_path: Path) -> None:
    dataset = small_dataset(tmp_path)
    perfect = _predictions(dataset, tmp_path / "perfect.jsonl", drop_actions=False)
    worse = _predictions(dataset, tmp_path / "worse.jsonl", drop_actions=True)
    assert run_cli("score", dataset, perfect, "--out", tmp_path / "base", "--bootstrap", "100") == 0
    baseline = tmp_path / "base" / "report.json"
    assert (
        run_cli(
            "score",
            dataset,
            worse,
            "--out",
            tmp_path / "new",
            "--baseline",
            baseline,
            "--bootstrap",
            "100",
        )
        == 0
    )
    report = json.loads((tmp_path / "new" / "report.json").read_text())
    comparison = report["comparison"]
    assert comparison["metrics"]["status_f1"]["regression"] is True
    assert comparison["metrics"]["status_f1"]["delta"] < 0
    assert comparison["compared"] == comparison["run_articles"] == 6
    assert (
        run_cli(
            "score",
            dataset,
            worse,
            "--out",
            tmp_path / "new",
            "--baseline",
            baseline,
            "--fail-on-regression",
            "--bootstrap",
            "100",
        )
        == 1
    )
    assert (
        run_cli("score", dataset, worse, "--out", tmp_path / "new", "--min", "status_f1=0.9") == 1
    )
    assert (
        run_cli("score", dataset, perfect, "--out", tmp_path / "new", "--min", "status_f1=0.9") == 0
    )


def test_score_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = small_dataset(tmp_path)
    perfect = _predictions(dataset, tmp_path / "p.jsonl", drop_actions=False)
    assert run_cli("score", dataset, perfect, "--min", "bogus=1") == 2
    assert run_cli("score", tmp_path / "missing.jsonl", perfect) == 2
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "x", "text": "t"}\n')
    assert run_cli("score", broken, perfect) == 2
    err = capsys.readouterr().err
    assert "broken.jsonl:1 (id 'x')" in err and "gold" in err


def test_score_counts_invalid_and_missing_predictions(tmp_path: Path) -> None:
    dataset = small_dataset(tmp_path, 3)
    ids = [json.loads(line)["id"] for line in dataset.read_text().splitlines()]
    path = tmp_path / "p.jsonl"
    path.write_text(
        json.dumps({"id": ids[0], "prediction": {"is_sanctions_news": "perhaps"}})
        + "\n"
        + json.dumps({"id": ids[1], "prediction": None})
        + "\n"
    )
    assert run_cli("score", dataset, path, "--out", tmp_path / "r", "--bootstrap", "20") == 0
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    assert report["metrics"]["schema_valid_rate"] == 0.0
    assert any("no prediction" in w for w in report["warnings"])
    errors = {a["id"]: a["errors"] for a in report["per_article"]}
    assert errors[ids[0]][0]["type"] == "InvalidPrediction"
