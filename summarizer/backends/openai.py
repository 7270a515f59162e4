"""OpenAI-compatible backend (OpenAI, Azure, vLLM, Ollama, llama.cpp server) through the openai SDK.

Imported only when a remote model is used: ``import summarizer`` does not load the SDK.
"""

from __future__ import annotations

import asyncio
import collections
import copy
import json
import logging
import os
import re
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal, TypeVar

import httpx2
import openai

from summarizer import masking
from summarizer.backends import guard
from summarizer.backends.base import ChatRequest, Completion, schema_digest
from summarizer.backends.errors import UnsafeReply, provider_errors
from summarizer.errors import BackendError, ConfigError
from summarizer.ingest import estimate_tokens
from summarizer.options import OutputMode, base_url_problem
from summarizer.parse import TooDeep, loads
from summarizer.usage import Usage

log = logging.getLogger(__name__)
_Client = TypeVar("_Client", openai.OpenAI, openai.AsyncOpenAI)
# Requests go through the client's documented generic ``post`` with a body we build ourselves: the
# typed ``chat.completions.create`` re-walks every message and schema against its TypedDicts.
_PATH = "/chat/completions"
# Keywords strict structured outputs reject; the validator still enforces them afterwards.
_STRICT_UNSUPPORTED = ("maxLength", "minLength", "format", "default", "title")
Form = Literal["json_schema", "json_object_schema", "json_object", "text"]
#: The response formats each output mode tries, best first; ``auto`` moves on when one is refused.
FORMS: dict[OutputMode, tuple[Form, ...]] = {
    "auto": ("json_schema", "json_object_schema", "json_object", "text"),
    "json_schema": ("json_schema",),
    "json_object": ("json_object",),
    "text": ("text",),
}
#: A refusal that concerns the response format (not the prompt, the model or the key).
_FORMAT_REFUSED = re.compile(r"response_format|json_schema|json_object|schema|structured", re.I)
#: Where ``auto`` lands on a form that carries no schema, the schema travels in the system message.
SCHEMA_NOTE = "\n\nReply with one JSON object that follows this JSON Schema:\n"


class _Formats:
    """The response format each endpoint accepted, remembered for the process (``auto`` mode)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._first: dict[str, int] = {}

    def first(self, endpoint: str) -> int:
        return self._first.get(endpoint, 0)

    def refused(self, endpoint: str, index: int) -> None:
        with self._lock:
            self._first[endpoint] = max(self._first.get(endpoint, 0), index + 1)


FORMATS = _Formats()


class OpenAIBackend:
    """Chat completions through the ``openai`` SDK; the SDK's own retries are off (one policy).

    Each request in flight gets a client of its own (idle ones are kept): one client shared by
    many threads queues them on its connection pool. Pass ``client`` (an ``openai.OpenAI``) or
    ``http_client`` (an ``httpx2.Client``, e.g. ``openai.DefaultHttpxClient(...)``), and their
    async twins, to tune the HTTP layer yourself; the per-attempt deadline and the reply-size cap
    then guard only the clients made here, while ``timeout`` still bounds each read.
    """

    kind = "openai"

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        output_mode: OutputMode = "auto",
        timeout: float = 60.0,
        context_window: int | None = None,
        client: openai.OpenAI | None = None,
        async_client: openai.AsyncOpenAI | None = None,
        http_client: httpx2.Client | None = None,
        async_http_client: httpx2.AsyncClient | None = None,
    ) -> None:
        self._model = model
        self.output_mode: OutputMode = output_mode
        self.timeout = timeout
        self._context_window = context_window
        given = client or async_client
        if given is not None:
            base_url, api_key = str(given.base_url), given.api_key
        self.base_url, key = _endpoint(base_url, api_key)
        masking.register(key)
        masking.register_url(self.base_url)
        masking.install_log_filter()
        self._options: dict[str, Any] = {
            "api_key": key, "base_url": self.base_url, "max_retries": 0, "timeout": timeout,
        }  # fmt: skip
        self._user = (client, async_client, http_client, async_http_client)
        self._strict_schemas: dict[str, dict[str, Any]] = {}
        self._idle: collections.deque[tuple[openai.OpenAI, guard.Line | None]] = collections.deque()
        self._aidle: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, collections.deque[openai.AsyncOpenAI]
        ] = weakref.WeakKeyDictionary()
        self._tls: Any = None
        self._headers_ready = False
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return masking.mask(
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
        """True for ``json_schema``, and for ``auto``, which sends the schema in the system message
        when the server takes it in no response format."""
        return self.output_mode in ("auto", "json_schema")

    def identity(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "model": self._model,
            "base_url": self.base_url,
            "output_mode": self.output_mode,
        }

    def count_tokens(self, text: str) -> int:
        return estimate_tokens(text)

    def warm_up(self) -> None:
        """Make the first client now (with the SDK's platform headers and the TLS context), which
        the first request would otherwise wait for."""
        if not self._idle:
            self._idle.append(self._new_client())

    def close(self) -> None:
        """Close the idle clients made here (a later request opens new ones)."""
        while self._idle:
            client, line = self._idle.pop()
            if line is not None:
                client.close()

    def complete(self, request: ChatRequest) -> Completion:
        forms = self._forms(request)
        for index, form in forms:
            try:
                return self._send(request, form)
            except BackendError as exc:
                if not self._refused(form, index, exc, last=index == forms[-1][0]):
                    raise
        raise AssertionError("unreachable: the last form raises")  # pragma: no cover

    async def acomplete(self, request: ChatRequest) -> Completion:
        client, async_client, http_client, async_http = self._user
        if async_client is None and async_http is None and (client, http_client) != (None, None):
            return await asyncio.to_thread(self.complete, request)  # the user's sync client
        forms = self._forms(request)
        for index, form in forms:
            try:
                return await self._asend(request, form)
            except BackendError as exc:
                if not self._refused(form, index, exc, last=index == forms[-1][0]):
                    raise
        raise AssertionError("unreachable: the last form raises")  # pragma: no cover

    def _forms(self, request: ChatRequest) -> list[tuple[int, Form]]:
        """The response formats to try for ``request``, from the one this endpoint last took."""
        if request.json_schema is None:
            return [(0, "text")]
        chain = FORMS[self.output_mode]
        start = FORMATS.first(self.base_url) if self.output_mode == "auto" else 0
        return list(enumerate(chain))[min(start, len(chain) - 1) :]

    def _refused(self, form: Form, index: int, exc: BackendError, *, last: bool) -> bool:
        """True when ``auto`` should try the next format after the server refused ``form``."""
        if last or self.output_mode != "auto" or exc.retryable or exc.status_code is None:
            return False
        if exc.status_code in (401, 403, 404, 413) or not _FORMAT_REFUSED.search(exc.message):
            return False  # the key, the model or the size: no response format would help
        FORMATS.refused(self.base_url, index)
        log.info("%s refuses response format %s (%s); trying the next", self.base_url, form, exc)
        return True

    def _send(self, request: ChatRequest, form: Form) -> Completion:
        with self._lend() as (client, line):
            attempt = guard.WATCHDOG.start(line, self.timeout) if line is not None else None
            expired = (lambda: attempt.expired) if attempt is not None else bool
            try:
                with provider_errors(timeout=self.timeout, expired=expired):
                    response = client.post(
                        _PATH, body=self._params(request, form), cast_to=httpx2.Response
                    )
                    body = response.content
            finally:
                if attempt is not None:
                    attempt.finish()
        return _completion(body, self._model)

    async def _asend(self, request: ChatRequest, form: Form) -> Completion:
        loop = asyncio.get_running_loop()
        idle = self._aidle.get(loop)
        if idle is None:
            idle = self._aidle[loop] = collections.deque()
        client = idle.pop() if idle else self._new_async_client()
        try:
            with provider_errors(timeout=self.timeout):
                async with asyncio.timeout(self.timeout):
                    response = await client.post(
                        _PATH, body=self._params(request, form), cast_to=httpx2.Response
                    )
                    body = response.content
        finally:
            idle.append(client)
        return _completion(body, self._model)

    @contextmanager
    def _lend(self) -> Iterator[tuple[openai.OpenAI, guard.Line | None]]:
        """An idle client for one request (a new one if none is idle), returned afterwards."""
        try:
            lent = self._idle.pop()  # deque.pop and append are atomic: no lock needed
        except IndexError:
            lent = self._new_client()
        try:
            yield lent
        finally:
            self._idle.append(lent)

    def _new_client(self) -> tuple[openai.OpenAI, guard.Line | None]:
        client, _, http_client, _ = self._user
        if client is not None:
            return client.with_options(max_retries=0, timeout=self.timeout), None
        if http_client is not None:
            return openai.OpenAI(**self._options, http_client=http_client), None
        line = guard.Line()
        http = openai.DefaultHttpxClient(
            verify=self._tls_context(),
            headers={"accept-encoding": guard.ACCEPT_ENCODING},
            event_hooks={"request": [line.on_request], "response": [guard.cap_reply]},
        )
        made = openai.OpenAI(**self._options, http_client=http)
        weakref.finalize(made, http.close)  # its connections close when it is dropped
        return self._first_use(made), line

    def _new_async_client(self) -> openai.AsyncOpenAI:
        _, async_client, _, async_http = self._user
        if async_client is not None:
            return async_client.with_options(max_retries=0, timeout=self.timeout)
        if async_http is None:
            async_http = openai.DefaultAsyncHttpxClient(
                verify=self._tls_context(),
                headers={"accept-encoding": guard.ACCEPT_ENCODING},
                event_hooks={"response": [guard.acap_reply]},
            )
        return self._first_use(openai.AsyncOpenAI(**self._options, http_client=async_http))

    def _first_use(self, client: _Client) -> _Client:
        """``client``, after the SDK's platform headers are worked out if this is the first one.
        The SDK does so on a first request, running ``uname -p`` in a subprocess, and caches the
        result once done: threads starting together would each run it."""
        with self._lock:
            if not self._headers_ready:
                headers = getattr(client, "platform_headers", None)
                if callable(headers):
                    headers()
                self._headers_ready = True
        return client

    def _tls_context(self) -> Any:
        """One TLS context for every client made here (each would otherwise load the CA store)."""
        with self._lock:
            if self._tls is None:
                self._tls = httpx2.create_ssl_context()
            return self._tls

    def _params(self, request: ChatRequest, form: Form) -> dict[str, Any]:
        params: dict[str, Any] = {
            "model": self._model,
            "messages": self._messages(request, form),
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
        }
        if request.seed is not None:
            params["seed"] = request.seed
        if request.stop:
            params["stop"] = list(request.stop)
        schema = request.json_schema
        if schema is not None and form == "json_schema":
            strict = self._strict(schema)
            params["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": request.schema_name, "schema": strict, "strict": True},
            }
        elif schema is not None and form == "json_object_schema":
            params["response_format"] = {"type": "json_object", "schema": schema}
        elif schema is not None and form == "json_object":
            params["response_format"] = {"type": "json_object"}
        return params

    def _messages(self, request: ChatRequest, form: Form) -> list[dict[str, str]]:
        messages = [m.as_dict() for m in request.messages]
        schema = request.json_schema
        if self.output_mode == "auto" and schema is not None and form in ("json_object", "text"):
            note = SCHEMA_NOTE + json.dumps(schema, separators=(",", ":"))
            if messages and messages[0]["role"] == "system":
                messages[0] = {"role": "system", "content": messages[0]["content"] + note}
            else:
                messages.insert(0, {"role": "system", "content": note.lstrip()})
        return messages

    def _strict(self, schema: dict[str, Any]) -> dict[str, Any]:
        """:func:`strict_schema` of ``schema``, converted once per schema."""
        key = schema_digest(schema)
        strict = self._strict_schemas.get(key)
        if strict is None:
            strict = self._strict_schemas[key] = strict_schema(schema)
        return strict


def _endpoint(base_url: str | None, api_key: str | None) -> tuple[str, str]:
    """The base URL (checked) and the key to use, from the arguments or the environment."""
    url = base_url or os.environ.get("OPENAI_BASE_URL") or None
    key = api_key or os.environ.get("OPENAI_API_KEY")
    if url is not None and (problem := base_url_problem(url)):
        masking.register_url(url)
        raise ConfigError(
            f"the base URL {url!r} is not usable: {problem}",
            hint="pass base_url (or set OPENAI_BASE_URL) as http://host:port/v1",
        )
    if not key and url is None:
        raise ConfigError(
            "a remote model was asked for, but no API key is set",
            hint="set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server), "
            "or use the embedded model with model='local'",
        )
    return url or "https://api.openai.com/v1", key or "not-needed"  # local servers take any key


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
    """The :class:`Completion` in a chat-completions reply body, read as plain JSON (the SDK's
    typed objects cost more than the rest of the reply's handling). A reply holding an API key
    comes back masked, marked ``redacted`` (never cached)."""
    try:
        data = loads(body)
    except TooDeep as exc:  # not a glitch on the way: asking again would get the same
        raise BackendError(f"the server's reply has {exc}", retryable=False) from None
    except ValueError as exc:
        raise BackendError(f"the server's reply is not JSON: {exc}", retryable=True) from None
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
    finish, served = choice.get("finish_reason"), data.get("model")
    text, served = content or "", served if isinstance(served, str) and served else model
    redacted = masking.contains_secret(text + served)
    return Completion(
        text=masking.mask(text),
        finish_reason=finish if isinstance(finish, str) else None,
        usage=usage,
        model=masking.mask(served),
        redacted=redacted,
    )


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


__all__ = ["FORMS", "OpenAIBackend", "UnsafeReply", "strict_schema"]
