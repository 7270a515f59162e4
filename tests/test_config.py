"""The configuration is checked once, when it is made: wrong types and values are a ConfigError
(exit 2 on the command line) that names the option, and never reach a backend."""

from __future__ import annotations

import math
import typing
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest

from summarizer import ConfigError, Summarizer, SummarizerConfig
from summarizer.cli import build_parser, main
from summarizer.config import SummarizerOptions
from tests.fakeserver import FakeOpenAIServer

BAD = [
    ("timeout", math.nan),
    ("timeout", math.inf),
    ("timeout", -1.0),
    ("timeout", 0),
    ("timeout", "3"),
    ("seed", "7"),
    ("seed", 1.5),
    ("seed", True),
    ("n_ctx", "8192"),
    ("n_ctx", 100),
    ("max_tokens", 8.0),
    ("max_reasks", -1),
    ("temperature", math.nan),
    ("temperature", 3.0),
    ("model", None),
    ("model", "   "),
    ("model", 42),
    ("strategy", "best"),
    ("output_mode", "yaml"),
    ("chunking", "yes"),
    ("n_threads", 0),
    ("base_url", "localhost:8000/v1"),
    ("base_url", "ftp://example.com/v1"),
    ("base_url", "http://"),
    ("base_url", "http://127.0.0.1:99999/v1"),
    ("base_url", "http://exa mple.com/v1"),
    ("base_url", 8000),
    ("api_key", 1234),
]


@pytest.mark.parametrize(("name", "value"), BAD, ids=[f"{n}={v!r}" for n, v in BAD])
def test_a_wrong_option_is_refused_at_construction(name: str, value: Any) -> None:
    with pytest.raises(ConfigError, match=f"{name}=") as info:
        SummarizerConfig(**{name: value})
    assert "Traceback" not in str(info.value)
    options = {"model": "m", "base_url": "http://127.0.0.1:9/v1", name: value}
    with pytest.raises(ConfigError, match=f"{name}="):
        Summarizer(**options)


def test_every_problem_is_named_at_once() -> None:
    with pytest.raises(ConfigError) as info:
        SummarizerConfig(timeout=math.nan, seed="1", model=None)  # type: ignore[arg-type]
    message = str(info.value)
    assert "timeout=nan" in message and "seed='1'" in message and "model=None" in message


def test_good_values_pass_and_paths_become_paths(tmp_path: Path) -> None:
    config = SummarizerConfig(
        model="gpt-x", timeout=3, seed=None, cache_dir=str(tmp_path), base_url="https://h/v1"
    )  # type: ignore[arg-type]
    assert config.cache_dir == tmp_path and config.timeout == 3.0
    assert replace(config, seed=5).seed == 5
    with pytest.raises(ConfigError):
        replace(config, seed="5")


def test_a_malformed_base_url_from_the_environment_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http//nowhere")
    with pytest.raises(ConfigError, match="base URL"):
        Summarizer(model="m", api_key="k")


@pytest.mark.parametrize(
    "argv",
    [
        ["--timeout", "nan"],
        ["--timeout", "inf"],
        ["--timeout", "0"],
        ["--base-url", "localhost:8000"],
        ["--n-ctx", "10"],
        ["--max-tokens", "0"],
    ],
)
def test_the_command_line_exits_2_with_one_line(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "a.txt"
    article.write_text("The EU imposed sanctions on Russia today.", encoding="utf-8")
    with FakeOpenAIServer() as server:
        code = main(
            ["summarize", str(article), "--model", "m", "--base-url", server.base_url, *argv]
        )
        assert server.requests == []  # nothing reached the server
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("summarizer: error: invalid option")


def test_cli_defaults_are_the_configs() -> None:
    args = build_parser().parse_args(["summarize", "x.txt"])
    defaults = SummarizerConfig.defaults()
    for option in ("model", "strategy", "output_mode", "max_reasks", "max_tokens", "timeout"):
        assert getattr(args, option) == defaults[option], option
    assert args.n_ctx == defaults["n_ctx"]


def _base(hint: Any) -> Any:
    """``hint`` without ``Annotated`` metadata, on every arm of a union."""
    if get_origin(hint) is typing.Annotated:
        return _base(get_args(hint)[0])
    if get_origin(hint) in (typing.Union, type(int | None)):
        return frozenset(_base(arm) for arm in get_args(hint))
    return hint


def test_the_options_typed_dict_matches_the_config() -> None:
    config = typing.get_type_hints(SummarizerConfig)
    options = typing.get_type_hints(SummarizerOptions, include_extras=True)
    assert set(options) == {f.name for f in fields(SummarizerConfig)}
    for name, hint in options.items():
        assert _base(hint) == _base(config[name]), name


def test_a_malformed_base_url_is_refused_without_showing_its_password() -> None:
    with pytest.raises(ConfigError) as info:
        SummarizerConfig(model="m", base_url="http://user:pw-9c2e7b1d4f@host:99999/v1")
    assert "base_url" in str(info.value) and "pw-9c2e7b1d4f" not in str(info.value)
