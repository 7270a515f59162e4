"""OpenAI-compatible backend (OpenAI, Azure, vLLM, Ollama, llama.cpp server) through the openai SDK."""

from __future__ import annotations

import asyncio
import collections
import copy
import email.utils
import json
import os
import threading
import time
import urllib.request
import weakref
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit
from urllib.request import getproxies_environment

import openai

from summarizer.backends.base import ChatRequest, Completion, schema_digest
from summarizer.backends.transport import HTTP, KeepAliveTransport
from summarizer.errors import BackendError, ConfigError
from summarizer.ingest import estimate_tokens
from summarizer.usage import Usage

_Client = TypeVar("_Client", openai.OpenAI, openai.AsyncOpenAI)
OutputMode = Literal["json_schema", "json_object", "text"]
OUTPUT_MODES: tuple[OutputMode, ...] = ("json_schema", "json_object", "text")
# Requests go through the client's documented generic ``post`` with a body we build ourselves: the
# typed ``chat.completions.create`` re-walks every message and schema against its TypedDicts, about
# 0.4 ms a request that buys nothing here.
_PATH = "/chat/completions"
_RAW: Any = HTTP.Response  # as ``cast_to``: the raw reply, read as plain JSON below
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
        lean_transport: bool = True,
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
        # Idle clients, each serving one request at a time over its own connection. One client
        # shared by 32 requests in flight queues them on its connection pool's lock and scans every
        # connection per request (measured: ~6 ms a request). Clients are made on first use; those
        # that speak TLS share one context, made when first needed (it loads the CA store, ~20 ms).
        # An async client's connections belong to the event loop that opened them, hence one pool
        # per loop.
        self._idle: collections.deque[openai.OpenAI] = collections.deque()
        self._aidle: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, collections.deque[openai.AsyncOpenAI]
        ] = weakref.WeakKeyDictionary()
        self._tls: Any = None
        self._headers_ready = False
        self._lock = threading.RLock()
        # plain-HTTP endpoints without a proxy (local servers) get the lean transport
        self._lean = lean_transport and _plain_http(base_url)

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

    def warm_up(self) -> None:
        """Make the first client now, with the SDK's platform headers, and the TLS context and the
        HTTP library's transport unless the lean transport serves: the first request would
        otherwise wait for them (measured: 50 ms with the library's transport, 2 ms without)."""
        if not self._idle:
            self._idle.append(self._new_client())

    def close(self) -> None:
        """Close the idle clients' connections (a later request opens new ones)."""
        while self._idle:
            self._idle.pop().close()

    def _new_client(self) -> openai.OpenAI:
        if self._lean:
            http = openai.DefaultHttpxClient(transport=KeepAliveTransport(self._https_transport))
        else:
            http = openai.DefaultHttpxClient(verify=self._tls_context())
        client = openai.OpenAI(**self._options, http_client=http)
        weakref.finalize(client, http.close)  # its connections close when it is dropped
        return self._first_use(client)

    def _new_async_client(self) -> openai.AsyncOpenAI:
        http = openai.DefaultAsyncHttpxClient(verify=self._tls_context())
        return self._first_use(openai.AsyncOpenAI(**self._options, http_client=http))

    def _first_use(self, client: _Client) -> _Client:
        """``client``, after the SDK's platform headers are worked out if this is the first one.
        The SDK does so on a first request, running ``uname -p`` in a subprocess, and caches the
        result once done: 32 threads starting together each ran it, about 30 ms late."""
        with self._lock:
            if not self._headers_ready:
                headers = getattr(client, "platform_headers", None)
                if callable(headers):
                    headers()
                self._headers_ready = True
        return client

    def _tls_context(self) -> Any:
        """One TLS context for every client, made as the SDK's own client would make it."""
        with self._lock:
            if self._tls is None:
                self._tls = HTTP.create_ssl_context()
            return self._tls

    def _https_transport(self) -> Any:
        """The HTTP library's transport, for what the lean one does not serve (redirects to
        ``https://``)."""
        return HTTP.HTTPTransport(verify=self._tls_context())

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
            client = self._idle.pop()  # deque.pop and append are atomic: no lock needed
        except IndexError:
            client = self._new_client()
        try:
            response = client.post(_PATH, body=self._params(request), cast_to=_RAW)
        except openai.APIError as exc:
            raise self._error(exc, time.perf_counter() - start) from None
        finally:
            self._idle.append(client)
        return _completion(response.content, self._model)

    async def acomplete(self, request: ChatRequest) -> Completion:
        start = time.perf_counter()
        idle = self._aidle.get(loop := asyncio.get_running_loop())
        if idle is None:
            idle = self._aidle[loop] = collections.deque()
        client = idle.pop() if idle else self._new_async_client()
        try:
            response = await client.post(_PATH, body=self._params(request), cast_to=_RAW)
        except openai.APIError as exc:
            raise self._error(exc, time.perf_counter() - start) from None
        finally:
            idle.append(client)
        return _completion(response.content, self._model)

    def _error(self, exc: openai.APIError, elapsed: float) -> BackendError:
        """The SDK error as a :class:`BackendError`, with the API key masked wherever it appears
        (servers echo keys in 401 messages). The SDK exception is not chained: it holds the key."""
        error = _translate(exc, self.timeout, elapsed)
        error.message = redact(error.message, self._secret)
        error.args = (error.message,)
        return error


def _plain_http(base_url: str | None) -> bool:
    """True for an ``http://`` base URL that no proxy in the environment applies to (the lean
    transport does not speak to proxies; the SDK's own transport then serves)."""
    if not base_url or not str(base_url).startswith("http://"):
        return False
    proxies = getproxies_environment()  # ``no_proxy`` comes back as the key "no"
    if not any(scheme != "no" for scheme in proxies):
        return True
    host = urlsplit(str(base_url)).hostname
    bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]  # not in typeshed
    return bool(host) and bool(bypass(host, proxies))


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


def _completion(body: bytes, model: str) -> Completion:
    """The :class:`Completion` in a chat-completions reply body (read as plain JSON: building the
    SDK's typed objects costs more than the rest of the reply's handling)."""
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise BackendError(
            f"the server's reply was not valid JSON: {exc}", retryable=True
        ) from None
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise BackendError("the server's reply has no choices", retryable=True)
    choice = choices[0]
    message = choice.get("message")
    content = message.get("content") if isinstance(message, dict) else None
    if content is not None and not isinstance(content, str):
        raise BackendError("the server's reply has a message that is not text", retryable=True)
    usage = Usage(calls=1)
    counts = data.get("usage")
    if isinstance(counts, dict):
        usage.prompt_tokens = _count(counts.get("prompt_tokens"))
        usage.completion_tokens = _count(counts.get("completion_tokens"))
    finish = choice.get("finish_reason")
    served = data.get("model")
    return Completion(
        text=content or "",
        finish_reason=finish if isinstance(finish, str) else None,
        usage=usage,
        model=served if isinstance(served, str) and served else model,
    )


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


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
