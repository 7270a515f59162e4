"""The embedded models, for real: llama.cpp in-process, GGUF files shipped in PyPI packages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer import (
    ConfigError,
    OutputTruncated,
    SanctionsSummary,
    Status,
    Summarizer,
    ValidationFailed,
    load_batch,
    run_batch,
)
from summarizer.backends import LlamaCppBackend
from summarizer.backends.local_models import resolve

SHORT = (
    "LONDON, 9 May 2025 — The United Kingdom today sanctioned 100 oil tankers of Russia's shadow fleet, "
    "the Foreign Office said. The vessels are banned from UK ports."
)


def test_default_summarizer_runs_the_embedded_model(article: str) -> None:
    result = Summarizer().summarize(article)
    assert isinstance(result.summary, SanctionsSummary)
    assert result.meta.backend == "llamacpp" and result.meta.model == "local:gemma-3-270m"
    assert result.meta.strategy == "assisted"
    assert result.meta.usage.calls >= 1 and result.meta.usage.prompt_tokens > 100
    assert [a.status for a in result.summary.actions] == [
        Status.ANNOUNCED,
        Status.THREATENED,
        Status.ANNOUNCED,
    ]
    assert 0 < len(result.summary.headline) <= 160 and 20 <= len(result.summary.summary) <= 700


def test_model_is_loaded_once_and_shared_across_threads() -> None:
    first, second = Summarizer(model="local:smollm2-135m"), Summarizer(model="local:smollm2-135m")
    assert isinstance(first.backend, LlamaCppBackend) and isinstance(
        second.backend, LlamaCppBackend
    )
    assert first.backend.loaded is second.backend.loaded
    results = first.summarize_many([SHORT, SHORT.replace("100", "120")], concurrency=2)
    assert [r.summary.actions[0].target_count for r in results] == [100, 120]  # type: ignore[union-attr]


def test_single_pass_is_grammar_constrained_json() -> None:
    """Whatever this model writes on this CPU: the grammar keeps every reply parseable JSON of the
    schema's shape, failures are the documented errors, and the calls stay within the documented
    bound (one call, plus one retry with twice the budget when a reply is cut at the limit)."""
    summarizer = Summarizer(
        model="local:smollm2-135m", strategy="single", max_reasks=0, max_tokens=300
    )  # a short budget keeps the test quick; a cut reply is one of the outcomes it accepts
    fields = {"is_sanctions_news", "headline", "summary", "published_date", "actions", "officials"}
    try:
        result = summarizer.summarize(SHORT)
    except OutputTruncated as exc:
        assert exc.max_tokens in (300, 600) and exc.usage is not None
        assert 1 <= exc.usage.calls <= 2
    except ValidationFailed as exc:
        assert 1 <= exc.attempts <= 2
        data = json.loads(exc.last_raw)
        assert set(data) == fields
        assert len(data["actions"]) <= 3
    else:
        assert result.meta.strategy == "single" and 1 <= result.meta.attempts <= 2
        assert set(result.summary.model_dump()) >= fields


def test_model_strings() -> None:
    assert resolve("local")[0] == "local:gemma-3-270m"
    assert resolve("local:smollm2-135m")[1].suffix == ".gguf"
    with pytest.raises(ConfigError, match="GGUF file not found"):
        resolve("local:/nowhere/model.gguf")
    with pytest.raises(ConfigError, match="unknown embedded model"):
        resolve("local:gpt-5")


def test_users_own_gguf_path(tmp_path: Path) -> None:
    path = resolve("local:smollm2-135m")[1]
    link = tmp_path / "my-model.gguf"
    link.symlink_to(path)
    backend = LlamaCppBackend(f"local:{link}")
    assert backend.model == "local:my-model.gguf"
    assert backend.count_tokens("sanctions on Iran") > 0


def test_eval_smoke_with_the_embedded_model(tmp_path: Path) -> None:
    """The harness end to end on two dev articles with the default embedded model."""
    from summarizer.cli import main

    rows = (
        (Path(__file__).resolve().parents[1] / "evals" / "datasets" / "dev.jsonl")
        .read_text()
        .splitlines()
    )
    dataset = tmp_path / "smoke.jsonl"
    dataset.write_text("\n".join(rows[:2]) + "\n")
    code = main(["eval", str(dataset), "--out", str(tmp_path / "r"), "--no-cache", "--no-progress",
                 "--bootstrap", "50", "--min", "schema_valid_rate=1", "--min", "grounding_rate=1"])  # fmt: skip
    assert code == 0
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    assert report["model"] == "local" and report["strategy"] == "assisted" and report["n"] == 2
    assert report["metrics"]["actions_f1"] > 0


def test_batch_with_the_embedded_model(tmp_path: Path) -> None:
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    rows = [{"id": "uk", "text": SHORT}, {"id": "bad", "text": " "}, {"id": "uk2", "text": SHORT}]
    inputs.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = run_batch(Summarizer(model="local:smollm2-135m"), inputs, output, concurrency=2)
    records = {r["id"]: r for r in load_batch(output)}
    assert (report.ok, report.failed) == (2, 1)
    assert records["bad"]["error"]["type"] == "InputError"
    for ident in ("uk", "uk2"):
        action = records[ident]["summary"]["actions"][0]
        assert action["imposer"] == "GB" and action["target_count"] == 100
