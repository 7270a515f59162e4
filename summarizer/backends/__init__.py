"""Model backends: the OpenAI-compatible client and the embedded llama.cpp model.

``OpenAIBackend`` is imported on first use, so that embedded users and ``summarizer --help`` do not
load the openai SDK.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from summarizer.backends.base import Backend, ChatRequest, Completion, Message
from summarizer.backends.llamacpp import LlamaCppBackend, LlamaOptions
from summarizer.options import OUTPUT_MODES, OutputMode

if TYPE_CHECKING:
    from summarizer.backends.openai import OpenAIBackend

__all__ = [
    "OUTPUT_MODES",
    "Backend",
    "ChatRequest",
    "Completion",
    "LlamaCppBackend",
    "LlamaOptions",
    "Message",
    "OpenAIBackend",
    "OutputMode",
    "is_local",
]


def __getattr__(name: str) -> Any:
    if name == "OpenAIBackend":
        from summarizer.backends.openai import OpenAIBackend

        return OpenAIBackend
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def is_local(model: str) -> bool:
    """True for model strings that name the embedded model (``local``, ``local:…``)."""
    return model == "local" or model.startswith("local:")
