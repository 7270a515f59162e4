"""OpenAI-compatible backend (OpenAI, Azure, vLLM, Ollama, llama.cpp server) through the openai SDK."""

from __future__ import annotations

import asyncio
import copy
import email.utils
import json
import os
import threading
import time
import weakref
from typing import Any, Literal

import openai
from openai.types.chat import ChatCompletion

from summarizer.backends.base import ChatRequest, Completion, schema_digest
from summarizer.errors import BackendError, ConfigError
from summarizer.ingest import estimate_tokens
from summarizer.usage import Usage

OutputMode = Literal["json_schema", "json_object", "text"]
OUTPUT_MODES: tuple[OutputMode, ...] = ("json_schema", "json_object", "text")
# Requests go through the client's documented generic ``post`` with a body we build ourselves: the
# typed ``chat.completions.create`` re-walks every message and schema against its TypedDicts, about
# 0.4 ms a request that buys nothing here.
_PATH = "/chat/completions"
_RETRYABLE_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}
# Keywords strict structured outputs reject; the validator still enforces them afterwards.
_STRICT_UNSUPPORTED = ("maxLength", "minLength", "format", "default", "title")


class OpenAIBackend:
    """Chat completions through the ``openai`` SDK. The SDK's own retries are off: one policy."""

    kind = "openai"

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        output_mode: OutputMode = "json_schema",
        timeout: float = 60.0,
        context_window: int | None = None,
    ) -> None:
        if output_mode not in OUTPUT_MODES:
            raise ConfigError(
                f"unknown output mode {output_mode!r}", hint=f"use one of {', '.join(OUTPUT_MODES)}"
            )
        base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
        key = api_key or os.environ.get("OPENAI_API_KEY")
        if not key:
            if base_url is None:
                raise ConfigError(
                    f"model {model!r} is a remote model but no API key is set",
                    hint="set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server), "
                    "or use the embedded model with model='local'",
                )
            key = "not-needed"  # local servers (vLLM, Ollama, llama.cpp) accept any key
        self._model = model
        self.base_url = base_url
        self.output_mode: OutputMode = output_mode
        self.timeout = timeout
        self._context_window = context_window
        options: dict[str, Any] = {
            "api_key": key,
            "base_url": base_url,
            "max_retries": 0,
            "timeout": timeout,
        }
        self._secret = key
        self._strict_schemas: dict[str, dict[str, Any]] = {}
        self._options = options
        # clients are made on first use: building one loads the CA store (~20 ms), which a run
        # answered entirely from the cache never needs
        self._client: openai.OpenAI | None = None
        self._lock = threading.Lock()
        # an async client's connections belong to one event loop: one client per running loop
        self._aclients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, openai.AsyncOpenAI]
        self._aclients = weakref.WeakKeyDictionary()

    def __repr__(self) -> str:
        return (
            f"OpenAIBackend(model={self._model!r}, base_url={self.base_url!r}, "
            f"output_mode={self.output_mode!r})"
        )

    @property
    def model(self) -> str:
        return self._model

    @property
    def context_window(self) -> int | None:
        return self._context_window

    @property
    def enforces_schema(self) -> bool:
        return self.output_mode == "json_schema"

    def identity(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "model": self._model,
            "base_url": self.base_url,
            "output_mode": self.output_mode,
        }

    def count_tokens(self, text: str) -> int:
        return estimate_tokens(text)

    def _params(self, request: ChatRequest) -> dict[str, Any]:
        params: dict[str, Any] = {
            "model": self._model,
            "messages": [m.as_dict() for m in request.messages],
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
        }
        if request.seed is not None:
            params["seed"] = request.seed
        if request.stop:
            params["stop"] = list(request.stop)
        if request.json_schema is not None and self.output_mode == "json_schema":
            params["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": request.schema_name,
                    "schema": self._strict(request.json_schema),
                    "strict": True,
                },
            }
        elif request.json_schema is not None and self.output_mode == "json_object":
            params["response_format"] = {"type": "json_object"}
        return params

    def _sync_client(self) -> openai.OpenAI:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = openai.OpenAI(**self._options)
        return self._client

    def _async_client(self) -> openai.AsyncOpenAI:
        loop = asyncio.get_running_loop()
        client = self._aclients.get(loop)
        if client is None:
            client = self._aclients[loop] = openai.AsyncOpenAI(**self._options)
        return client

    def _strict(self, schema: dict[str, Any]) -> dict[str, Any]:
        """:func:`strict_schema` of ``schema``, converted once per schema."""
        key = schema_digest(schema)
        strict = self._strict_schemas.get(key)
        if strict is None:
            strict = self._strict_schemas[key] = strict_schema(schema)
        return strict

    def complete(self, request: ChatRequest) -> Completion:
        start = time.perf_counter()
        try:
            response = self._sync_client().post(
                _PATH, body=self._params(request), cast_to=ChatCompletion
            )
        except (openai.APIError, ValueError) as exc:
            raise self._error(exc, time.perf_counter() - start) from None
        return _completion(response, self._model)

    async def acomplete(self, request: ChatRequest) -> Completion:
        start = time.perf_counter()
        try:
            response = await self._async_client().post(
                _PATH, body=self._params(request), cast_to=ChatCompletion
            )
        except (openai.APIError, ValueError) as exc:
            raise self._error(exc, time.perf_counter() - start) from None
        return _completion(response, self._model)

    def _error(self, exc: Exception, elapsed: float) -> BackendError:
        """The SDK error as a :class:`BackendError`, with the API key masked wherever it appears
        (servers echo keys in 401 messages). The SDK exception is not chained: it holds the key."""
        if isinstance(exc, openai.APIError):
            error = _translate(exc, self.timeout, elapsed)
        else:  # the SDK raises json.JSONDecodeError for a body that is not JSON
            error = BackendError(f"the server's reply was not valid JSON: {exc}", retryable=True)
        error.message = redact(error.message, self._secret)
        error.args = (error.message,)
        return error


def redact(text: str, secret: str | None) -> str:
    """``text`` with ``secret`` masked, and its first 8 characters too (servers echo keys partly
    masked, keeping the start)."""
    if not secret or len(secret) < 8:
        return text
    masked = text.replace(secret, "***")
    return masked.replace(secret[:8], "***") if secret[:8] in masked else masked


def strict_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``schema`` without keywords that strict structured outputs reject."""

    def strip(node: Any) -> Any:
        if isinstance(node, list):
            return [strip(item) for item in node]
        if not isinstance(node, dict):
            return node
        cleaned: dict[str, Any] = {}
        for key, value in node.items():
            if key in _STRICT_UNSUPPORTED:
                continue
            if key in {"properties", "$defs"} and isinstance(value, dict):
                cleaned[key] = {name: strip(sub) for name, sub in value.items()}
            else:
                cleaned[key] = strip(value)
        return cleaned

    result: dict[str, Any] = strip(copy.deepcopy(schema))
    return result


def _completion(response: Any, model: str) -> Completion:
    if not getattr(response, "choices", None):
        raise BackendError("the server's reply has no choices", retryable=True)
    choice = response.choices[0]
    usage = Usage(calls=1)
    if response.usage is not None:
        usage.prompt_tokens = response.usage.prompt_tokens or 0
        usage.completion_tokens = response.usage.completion_tokens or 0
    content = choice.message.content if choice.message is not None else None
    return Completion(
        text=content or "",
        finish_reason=choice.finish_reason,
        usage=usage,
        model=getattr(response, "model", None) or model,
    )


def _translate(exc: openai.APIError, timeout: float, elapsed: float) -> BackendError:
    """Map an SDK exception to a :class:`BackendError` with ``retryable`` and ``retry_after``."""
    if isinstance(exc, openai.APITimeoutError):
        return BackendError(
            f"the model server did not answer within {timeout:g} s",
            retryable=True,
            hint="raise timeout, or check the server's load",
        )
    if isinstance(exc, openai.APIConnectionError):
        return BackendError(
            f"could not connect to the model server: {exc.message}",
            retryable=True,
            hint="check OPENAI_BASE_URL and that the server is running",
        )
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        detail = _error_detail(exc)
        hint = ""
        if status == 401:
            hint = "check OPENAI_API_KEY"
        elif status == 404:
            hint = "check the model name and OPENAI_BASE_URL"
        elif status == 400:
            hint = "if the server does not support json_schema, try output_mode='json_object'"
        return BackendError(
            f"the model server answered HTTP {status}: {detail}",
            retryable=status in _RETRYABLE_STATUS,
            status_code=status,
            retry_after=_retry_after(exc.response.headers),
            hint=hint,
        )
    if isinstance(exc, openai.APIResponseValidationError):
        return BackendError(f"the server's reply was malformed: {exc.message}", retryable=True)
    return BackendError(f"model request failed: {exc.message}", retryable=False)


def _error_detail(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        message = body.get("message") or body.get("error")
        if isinstance(message, dict):
            message = message.get("message")
        if message:
            return str(message)[:300]
    return json.dumps(body)[:300] if body is not None else exc.message[:300]


def _retry_after(headers: Any) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``retry-after`` (seconds or an HTTP date)."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        if parsed is None:
            return None
        return max(0.0, parsed.timestamp() - time.time())
