"""What every backend does: move chat messages (and an optional JSON Schema) to a model and back."""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

from summarizer.usage import Usage

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class Message:
    """One chat message."""

    role: Role
    content: str

    def as_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True)
class ChatRequest:
    """A chat completion request. ``json_schema`` constrains the reply where the backend can;
    ``grammar`` (GBNF text) constrains it on the embedded model and is ignored by remote ones."""

    messages: tuple[Message, ...]
    json_schema: dict[str, Any] | None = None
    grammar: str | None = None
    schema_name: str = "output"
    max_tokens: int = 2048
    temperature: float = 0.0
    seed: int | None = 0
    stop: tuple[str, ...] = ()


_DIGESTS: dict[int, tuple[dict[str, Any], str]] = {}
_DIGESTS_LOCK = threading.Lock()


def schema_digest(schema: dict[str, Any]) -> str:
    """sha256 of a schema's canonical JSON, computed once per schema object (strategies build
    their schemas once and share them read-only, so the same object comes back every request)."""
    entry = _DIGESTS.get(id(schema))
    if entry is not None and entry[0] is schema:
        return entry[1]
    digest = hashlib.sha256(
        json.dumps(schema, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    with _DIGESTS_LOCK:
        if len(_DIGESTS) > 64:
            _DIGESTS.clear()
        _DIGESTS[id(schema)] = (schema, digest)  # the reference keeps the id from being reused
    return digest


@dataclass
class Completion:
    """The model's reply. ``redacted``: it held an API key, masked in ``text`` (never cached)."""

    text: str
    finish_reason: str | None
    usage: Usage = field(default_factory=Usage)
    model: str = ""
    cache_hit: bool = False
    redacted: bool = False


@runtime_checkable
class Backend(Protocol):
    """A chat-completion backend: the OpenAI-compatible client or the embedded llama.cpp model."""

    @property
    def model(self) -> str:
        """The model identifier, as recorded in results."""
        ...

    @property
    def kind(self) -> str:
        """``openai`` or ``llamacpp`` (or a user's own kind)."""
        ...

    @property
    def context_window(self) -> int | None:
        """Tokens the model can attend to, prompt and reply together; None when unknown."""
        ...

    @property
    def enforces_schema(self) -> bool:
        """True when the backend delivers ``json_schema`` to the model itself (a grammar, strict
        mode, or the system message where the server takes no schema); otherwise the prompt
        must carry it."""
        ...

    def identity(self) -> dict[str, Any]:
        """What distinguishes this backend's replies, for cache keys (never secrets)."""
        ...

    def count_tokens(self, text: str) -> int:
        """Tokens ``text`` takes (exact where the tokenizer is local, else an estimate)."""
        ...

    def complete(self, request: ChatRequest) -> Completion:
        """Run one request; transport failures raise :class:`~summarizer.errors.BackendError`."""
        ...

    async def acomplete(self, request: ChatRequest) -> Completion:
        """Async twin of :meth:`complete`."""
        ...
