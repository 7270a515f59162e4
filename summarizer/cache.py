"""On-disk response cache, keyed by model + messages + parameters + template hash.

Only completed replies are stored; errors never are, nor a reply that held an API key. One JSON
file per key, written atomically, so concurrent runs can share a directory. The cache is
best-effort: a reply that cannot be stored (a full disk, a read-only folder) is still returned, with
one warning per cache.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict
from pathlib import Path
from typing import Any

from summarizer.backends.base import Backend, ChatRequest, Completion, schema_digest
from summarizer.errors import ConfigError
from summarizer.masking import mask
from summarizer.usage import Usage

log = logging.getLogger(__name__)


class CacheMiss(Exception):
    """A request not in the cache, inside :meth:`CachingBackend.cached_only` (not an error)."""


_CACHED_ONLY = threading.local()


class CachingBackend:
    """Wraps a backend; replies are looked up in ``directory`` before the model is called."""

    @contextmanager
    def cached_only(self) -> Iterator[None]:
        """Within the block, in this thread, a request not in the cache raises
        :class:`CacheMiss` instead of reaching the model."""
        previous = getattr(_CACHED_ONLY, "on", False)
        _CACHED_ONLY.on = True
        try:
            yield
        finally:
            _CACHED_ONLY.on = previous

    def _lookup(self, request: ChatRequest) -> tuple[str, Completion | None]:
        key = self.key(request)
        cached = self._load(key)
        if cached is None and getattr(_CACHED_ONLY, "on", False):
            raise CacheMiss(key)
        return key, cached

    def __init__(self, backend: Backend, directory: str | Path, *, namespace: str = "") -> None:
        self.inner = backend
        self.directory = Path(directory)
        if self.directory.exists() and not self.directory.is_dir():
            raise ConfigError(
                f"the cache directory {self.directory} is not a directory",
                hint="pass a directory (it is created if missing), or no cache",
            )
        self.namespace = namespace
        self._warned = (
            threading.Lock()
        )  # taken by the first failed write: one warning, not one an article
        self.hits = 0
        self.misses = 0

    def __repr__(self) -> str:
        return f"CachingBackend({self.inner!r}, directory={str(self.directory)!r})"

    @property
    def model(self) -> str:
        return self.inner.model

    @property
    def kind(self) -> str:
        return self.inner.kind

    @property
    def context_window(self) -> int | None:
        return self.inner.context_window

    @property
    def enforces_schema(self) -> bool:
        return self.inner.enforces_schema

    def warm_up(self) -> None:
        """Nothing: a run answered from the cache never needs the model, so it is not prepared."""

    def identity(self) -> dict[str, Any]:
        return self.inner.identity()

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def key(self, request: ChatRequest) -> str:
        """The cache key of a request."""
        material = {
            "backend": self.inner.identity(),
            "namespace": self.namespace,
            "messages": [m.as_dict() for m in request.messages],
            "schema": None if request.json_schema is None else schema_digest(request.json_schema),
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "seed": request.seed,
            "stop": list(request.stop),
            **({"grammar": request.grammar} if request.grammar is not None else {}),
        }
        blob = json.dumps(material, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def _load(self, key: str) -> Completion | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            usage = Usage(**data["usage"])
            completion = Completion(
                data["text"], data["finish_reason"], usage, data["model"], cache_hit=True
            )
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return None
        return completion

    def _store(self, key: str, completion: Completion) -> None:
        """Write a reply to the cache; a failure is logged once and never fails the request."""
        try:
            self._write(key, completion)
        except OSError as exc:
            if self._warned.acquire(blocking=False):
                log.warning(
                    "cannot write to the response cache %s (%s); going on without storing replies",
                    self.directory,
                    exc.strerror or exc,
                )

    def _write(self, key: str, completion: Completion) -> None:
        if completion.redacted:
            return  # it held an API key: asking again is better than keeping a masked reply
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "text": completion.text,
            "finish_reason": completion.finish_reason,
            "usage": asdict(completion.usage),
            "model": completion.model,
        }
        handle, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(mask(json.dumps(data, ensure_ascii=False)))
            os.replace(tmp, path)
        except BaseException:
            with suppress(OSError):
                os.unlink(tmp)
            raise

    def complete(self, request: ChatRequest) -> Completion:
        key, cached = self._lookup(request)
        if cached is not None:
            return cached
        completion = self.inner.complete(request)
        self._store(key, completion)
        return completion

    async def acomplete(self, request: ChatRequest) -> Completion:
        key, cached = self._lookup(request)
        if cached is not None:
            return cached
        completion = await self.inner.acomplete(request)
        self._store(key, completion)
        return completion
