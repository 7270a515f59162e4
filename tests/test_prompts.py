from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jinja2.exceptions import SecurityError, UndefinedError

from summarizer import Summarizer
from summarizer.errors import ConfigError
from summarizer.prompts import DEFAULT_DIR, Prompts
from tests.conftest import as_json
from tests.fakeserver import FakeOpenAIServer, Step


def test_packaged_templates_render() -> None:
    prompts = Prompts()
    text = prompts.render("single_user.j2", article="Body text.")
    assert "<article>\nBody text.\n</article>" in text


def test_missing_variable_is_an_error() -> None:
    with pytest.raises(UndefinedError):
        Prompts().render("single_user.j2")


def test_sandbox_blocks_attribute_tricks(tmp_path: Path) -> None:
    (tmp_path / "evil.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(SecurityError):
        Prompts(tmp_path).render("evil.j2")


def test_version_changes_with_template_source(tmp_path: Path) -> None:
    names = ["single_system.j2", "single_user.j2"]
    default = Prompts().version(names)
    (tmp_path / "single_user.j2").write_text("Article:\n{{ article }}")
    assert Prompts(tmp_path).version(names) != default
    assert Prompts().version(names) == default


def test_missing_prompt_dir_is_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="prompt directory not found"):
        Prompts(tmp_path / "nope")


def test_summarizer_uses_override_dir(
    tmp_path: Path, server: FakeOpenAIServer, article: str, good_summary: dict[str, Any]
) -> None:
    (tmp_path / "single_user.j2").write_text("CUSTOM PROMPT\n<article>\n{{ article }}\n</article>")
    server.push(Step(as_json(good_summary)), Step(as_json(good_summary)))
    custom = Summarizer(model="m", base_url=server.base_url, api_key="k", prompt_dir=tmp_path)
    default = Summarizer(model="m", base_url=server.base_url, api_key="k")
    first = custom.summarize(article)
    second = default.summarize(article)
    assert server.requests[0]["messages"][1]["content"].startswith("CUSTOM PROMPT")
    assert (
        server.requests[0]["messages"][0] == server.requests[1]["messages"][0]
    )  # system falls back
    assert first.meta.template_hash != second.meta.template_hash


def test_templates_live_in_the_package_dir() -> None:
    assert (DEFAULT_DIR / "single_system.j2").is_file()
