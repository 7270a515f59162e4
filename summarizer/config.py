"""The summarizer's configuration: one small, immutable object, checked once when it is made."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, Field, Strict, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from summarizer import masking
from summarizer.errors import ConfigError
from summarizer.options import (
    STRATEGIES,
    WRITERS,
    OutputMode,
    StrategyName,
    WriterName,
    base_url_problem,
)

__all__ = ["STRATEGIES", "WRITERS", "SummarizerConfig", "SummarizerOptions"]


def _url(value: str) -> str:
    problem = base_url_problem(value)
    if problem:
        raise ValueError(f"not a usable URL: {problem}")
    return value


_Int = Annotated[int, Strict()]
_Finite = Annotated[float, Strict(), Field(allow_inf_nan=False)]


class SummarizerOptions(TypedDict, total=False):
    """The fields of :class:`SummarizerConfig` as keyword options, with what each accepts."""

    model: Annotated[str, Strict(), Field(min_length=1, pattern=r"\S")]
    strategy: StrategyName
    output_mode: OutputMode
    max_reasks: Annotated[_Int, Field(ge=0)]
    max_tokens: Annotated[_Int, Field(ge=16)]
    temperature: Annotated[_Finite, Field(ge=0.0, le=2.0)]
    seed: _Int | None
    timeout: Annotated[_Finite, Field(gt=0.0)]
    base_url: Annotated[str, Strict(), AfterValidator(_url)] | None
    api_key: Annotated[str, Strict()] | None
    prompt_dir: Path | None
    n_ctx: Annotated[_Int, Field(ge=512)]
    n_threads: Annotated[_Int, Field(ge=1)] | None
    cache_dir: Path | None
    chunking: Annotated[bool, Strict()]
    ask_status: Annotated[bool, Strict()]
    writer: WriterName


@functools.cache
def _adapter() -> TypeAdapter[SummarizerOptions]:
    return TypeAdapter(SummarizerOptions)


@dataclass(frozen=True)
class SummarizerConfig:
    """How to summarize. Every field is checked when the config is made (a :class:`ConfigError`
    names each wrong one); paths given as strings become :class:`~pathlib.Path`.

    Attributes:
        model: ``local`` (the default embedded model), ``local:gemma-3-270m``,
            ``local:smollm2-135m``, ``local:/path/model.gguf``, or a model name on the
            OpenAI-compatible endpoint (``base_url``/``OPENAI_BASE_URL``).
        strategy: ``auto`` (``assisted`` for embedded models, ``single`` for remote ones),
            ``single`` or ``assisted``.
        output_mode: how JSON is asked of a remote model: ``auto`` (the server's best supported
            form, found once per endpoint), ``json_schema``, ``json_object`` or ``text``.
        max_reasks: re-asks after a reply that fails validation (at least 0).
        max_tokens: reply budget per call (at least 16); a cut reply is retried once with twice it.
        temperature: sampling temperature, within [0, 2].
        seed: sampling seed, or None.
        timeout: seconds each attempt may take in all, a finite number above 0.
        base_url: the OpenAI-compatible endpoint (default: ``OPENAI_BASE_URL``).
        api_key: the key for it (default: ``OPENAI_API_KEY``); never shown in reprs or output.
        prompt_dir: a directory of templates overriding the packaged ones, by file name.
        n_ctx: context window of the embedded model (at least 512).
        n_threads: CPU threads of the embedded model (default: every core).
        cache_dir: a response cache directory (default: no cache).
        chunking: split articles too long for the context window instead of refusing them.
        ask_status: assisted strategy: ask the model each action's status instead of keeping the
            rules' answer (off: on dev it scored below the rules; see the README).
    """

    model: str = "local"
    strategy: StrategyName = "auto"
    output_mode: OutputMode = "auto"
    max_reasks: int = 2
    max_tokens: int = 2048
    temperature: float = 0.0
    seed: int | None = 0
    timeout: float = 120.0
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    prompt_dir: Path | None = None
    n_ctx: int = 8192
    n_threads: int | None = None
    cache_dir: Path | None = None
    chunking: bool = True
    ask_status: bool = False
    #: assisted strategy: who writes the summary — the model, one sentence per action (falling
    #: back to the facts when its text fails the checks), or the facts alone, without any model
    writer: WriterName = "model"

    def __post_init__(self) -> None:
        masking.register(self.api_key)  # first: an error below must not show them
        masking.register_url(self.base_url)
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        try:
            checked = _adapter().validate_python(values)
        except ValidationError as exc:
            raise ConfigError(_describe(exc), hint="see SummarizerConfig for each option") from None
        for name, value in checked.items():  # normalized: str paths become Path
            object.__setattr__(self, name, value)
        if self.writer == "facts" and self.strategy == "single":
            raise ConfigError(
                "writer='facts' composes the summary from the assisted strategy's facts",
                hint="use strategy 'auto' or 'assisted' with writer='facts'",
            )

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
        return masking.mask(f"SummarizerConfig({shown})")

    @classmethod
    def field_names(cls) -> set[str]:
        """The option names (the fields)."""
        return {f.name for f in fields(cls)}

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        """Each option's default value."""
        return {f.name: f.default for f in fields(cls)}


def _describe(error: ValidationError) -> str:
    """One line naming every wrong option and what it should be."""
    problems = []
    for item in error.errors(include_url=False):
        name = ".".join(str(part) for part in item["loc"]) or "config"
        problems.append(f"{name}={item['input']!r}: {item['msg']}")
    return "invalid option(s): " + masking.mask("; ".join(problems))
