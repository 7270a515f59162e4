"""Prompt templates: sandboxed Jinja environment, loading, and a version hash per template set."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.sandbox import SandboxedEnvironment

from summarizer.errors import ConfigError

_FENCE_TAG = re.compile(r"<\s*/?\s*article\b", re.IGNORECASE)


def fence(text: str) -> str:
    """The article as data inside ``<article>`` tags: a closing tag in the text cannot end the fence."""
    return _FENCE_TAG.sub(lambda m: "< " + m.group(0)[1:].lstrip(), text)


#: Where the templates shipped with the package live.
DEFAULT_DIR = Path(str(files("summarizer._prompts")))


@functools.lru_cache(maxsize=32)
def _environment(directory: Path | None) -> SandboxedEnvironment:
    """One environment per prompt directory, shared by every :class:`Prompts` of the process, so
    that a template is compiled once (about 5 ms each), not once per summarizer. A template edited
    on disk is reloaded: the environment checks the file's modification time on each use."""
    loaders = [FileSystemLoader(directory)] if directory is not None else []
    loaders.append(FileSystemLoader(DEFAULT_DIR))
    return SandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class Prompts:
    """Renders templates from ``prompt_dir`` (if given) falling back to the packaged ones."""

    def __init__(self, prompt_dir: str | Path | None = None) -> None:
        directory = None
        if prompt_dir is not None:
            directory = Path(prompt_dir).resolve()
            if not directory.is_dir():
                raise ConfigError(f"prompt directory not found: {prompt_dir}")
        self.prompt_dir = Path(prompt_dir) if prompt_dir is not None else None
        self._env = _environment(directory)

    def source(self, name: str) -> str:
        """The template's source text."""
        try:
            text, _, _ = self._env.loader.get_source(self._env, name)  # type: ignore[union-attr]
        except TemplateNotFound:
            raise ConfigError(f"prompt template not found: {name}") from None
        return text

    def load(self, names: Iterable[str]) -> None:
        """Compile the named templates now (they are otherwise compiled on first render)."""
        for name in names:
            self._template(name)

    def render(self, name: str, **context: Any) -> str:
        """Render one template; a missing variable is an error, never an empty string."""
        return self._template(name).render(**context).strip()

    def _template(self, name: str) -> Template:
        try:
            return self._env.get_template(name)
        except TemplateNotFound:
            raise ConfigError(f"prompt template not found: {name}") from None
        except TemplateSyntaxError as exc:
            raise ConfigError(
                f"prompt template {name} has a syntax error on line {exc.lineno}: {exc.message}"
            ) from None

    def version(self, names: Iterable[str]) -> str:
        """Short sha256 over the named templates' sources: the prompt version of a result."""
        digest = hashlib.sha256()
        for name in sorted(names):
            digest.update(name.encode())
            digest.update(b"\0")
            digest.update(self.source(name).encode())
            digest.update(b"\0")
        return digest.hexdigest()[:16]
