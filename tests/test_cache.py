from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from summarizer import BackendError, Summarizer, SummarizerConfig
from summarizer.cache import CacheMiss, CachingBackend
from summarizer.eval.dataset import Case
from summarizer.eval.runner import run_dataset
from tests.conftest import as_json
from tests.fakeserver import FakeOpenAIServer, Step


def test_second_run_is_served_from_cache(
    tmp_path: Path,
    server: FakeOpenAIServer,
    make_summarizer: Callable[..., Summarizer],
    article: str,
    good_summary: dict[str, Any],
) -> None:
    server.push(Step(as_json(good_summary)))
    first = make_summarizer(cache_dir=tmp_path).summarize(article)
    second = make_summarizer(cache_dir=tmp_path).summarize(article)
    assert len(server.requests) == 1
    assert not first.meta.cache_hit and second.meta.cache_hit
    assert first.summary == second.summary
    assert second.meta.usage.prompt_tokens == first.meta.usage.prompt_tokens


def test_errors_are_never_cached(
    tmp_path: Path,
    server: FakeOpenAIServer,
    make_summarizer: Callable[..., Summarizer],
    article: str,
    good_summary: dict[str, Any],
) -> None:
    server.push(Step("bad", status=400), Step(as_json(good_summary)))
    with pytest.raises(BackendError):
        make_summarizer(cache_dir=tmp_path).summarize(article)
    assert not list(tmp_path.rglob("*.json"))
    assert not make_summarizer(cache_dir=tmp_path).summarize(article).meta.cache_hit


def test_key_changes_with_template_model_and_seed(
    tmp_path: Path,
    server: FakeOpenAIServer,
    make_summarizer: Callable[..., Summarizer],
    article: str,
    good_summary: dict[str, Any],
) -> None:
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    (prompts / "single_repair.j2").write_text("Fix: {{ errors | join('; ') }}")
    server.default = lambda body: Step(as_json(good_summary))
    make_summarizer(cache_dir=tmp_path / "c").summarize(article)
    make_summarizer(cache_dir=tmp_path / "c", prompt_dir=prompts).summarize(article)
    make_summarizer(cache_dir=tmp_path / "c", seed=7).summarize(article)
    make_summarizer(cache_dir=tmp_path / "c", seed=7).summarize(article)
    assert len(server.requests) == 3
    assert "sk-test-key" not in "".join(p.read_text() for p in (tmp_path / "c").rglob("*.json"))


def test_cached_only_raises_on_a_miss_and_never_reaches_the_model(
    tmp_path: Path,
    server: FakeOpenAIServer,
    make_summarizer: Callable[..., Summarizer],
    article: str,
    good_summary: dict[str, Any],
) -> None:
    server.default = lambda body: Step(as_json(good_summary))
    summarizer = make_summarizer(cache_dir=tmp_path)
    backend = summarizer.backend
    assert isinstance(backend, CachingBackend)
    with backend.cached_only(), pytest.raises(CacheMiss):
        summarizer.summarize(article)
    assert summarizer.from_cache(article) is None
    assert server.requests == []
    summarizer.summarize(article)  # outside the block: the model answers, the reply is stored
    with backend.cached_only():
        assert summarizer.summarize(article).meta.cache_hit
    cached = summarizer.from_cache(article)
    assert cached is not None and cached.meta.cache_hit
    assert len(server.requests) == 1
    assert make_summarizer().from_cache(article) is None  # no cache, no result


def test_a_partly_cached_eval_rerun_predicts_every_article_once(
    tmp_path: Path, server: FakeOpenAIServer, article: str, good_summary: dict[str, Any]
) -> None:
    server.default = lambda body: Step(as_json(good_summary))
    # the runner never reads the gold labels
    cases = [Case(f"c{i}", article + f"\n\nReported on day {i}.", None) for i in range(6)]  # type: ignore[arg-type]
    config = SummarizerConfig(
        model="m", base_url=server.base_url, api_key="k", strategy="single", cache_dir=tmp_path
    )
    first, _, _ = run_dataset(cases[:4], config, tmp_path / "one", progress=False)
    assert len(server.requests) == 4
    second, _, _ = run_dataset(cases, config, tmp_path / "two", progress=False)
    assert len(server.requests) == 6  # only the two new articles reached the model
    hits = {p.id: p.meta["cache_hit"] for p in second if p.meta is not None}
    assert hits == {"c0": True, "c1": True, "c2": True, "c3": True, "c4": False, "c5": False}
    lines = (tmp_path / "two" / "predictions.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["id"] for line in lines) == [c.id for c in cases]
    by_id = {p.id: p.summary for p in second}
    assert all(by_id[p.id] == p.summary for p in first)
