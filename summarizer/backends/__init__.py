"""Model backends: the OpenAI-compatible client and the embedded llama.cpp model."""

from __future__ import annotations

from summarizer.backends.base import Backend, ChatRequest, Completion, Message
from summarizer.backends.llamacpp import LlamaCppBackend, LlamaOptions
from summarizer.backends.openai import OUTPUT_MODES, OpenAIBackend, OutputMode

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


def is_local(model: str) -> bool:
    """True for model strings that name the embedded model (``local``, ``local:…``)."""
    return model == "local" or model.startswith("local:")
