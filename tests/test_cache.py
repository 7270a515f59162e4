from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from summarizer import BackendError, Summarizer
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
