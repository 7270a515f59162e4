"""A lean keep-alive HTTP/1.1 transport under the SDK's HTTP client, for plain-HTTP endpoints.

Local OpenAI-compatible servers (vLLM, Ollama, llama.cpp server) answer fast, so the client's own
work per request decides how many requests a machine keeps in flight. This transport moves the bytes
with the standard library's ``http.client`` over kept-alive connections, with fewer interpreter-lock
hand-offs and less CPU a request than the SDK's default one. The SDK still builds every request and
reads every reply; only the bytes on the wire go through here. Anything but ``http://``
(an ``https://`` redirect, say) goes to the HTTP library's own transport.
"""

from __future__ import annotations

import collections
import http.client
import select
import socket
import sys
import threading
from types import ModuleType
from typing import Any

import openai


def http_library() -> ModuleType:
    """The HTTP library the SDK is built on: ``httpx``, or ``httpx2`` in newer releases."""
    for cls in openai.DefaultHttpxClient.__mro__:  # the SDK's subclass of httpx(2).Client
        module = sys.modules.get(cls.__module__.partition(".")[0])
        if module is not None and hasattr(module, "create_ssl_context"):
            return module
    raise ImportError("cannot find the HTTP library of the openai SDK")  # pragma: no cover


HTTP = http_library()
_Connections = collections.deque[http.client.HTTPConnection]


class KeepAliveTransport(HTTP.BaseTransport):  # type: ignore[misc, name-defined]
    """Plain-HTTP requests over reused connections; ``fallback`` makes the transport for others."""

    def __init__(self, fallback: Any) -> None:
        self._idle: dict[tuple[str, int], _Connections] = {}
        self._make_fallback = fallback
        self._fallback: Any = None
        self._lock = threading.Lock()

    def handle_request(self, request: Any) -> Any:
        url = request.url
        if url.scheme != "http":
            return self._other().handle_request(request)
        key = (url.host, url.port or 80)
        timeouts = request.extensions.get("timeout") or {}
        body = request.read()
        connection = self._checkout(key, timeouts.get("connect"), request)
        try:
            connection.sock.settimeout(timeouts.get("read"))
            connection.putrequest(
                request.method,
                url.raw_path.decode("ascii"),
                skip_host=True,
                skip_accept_encoding=True,
            )
            for name, value in request.headers.raw:
                connection.putheader(name, value)
            connection.endheaders(body)
            reply = connection.getresponse()
            content = reply.read()
        except BaseException as exc:
            connection.close()
            mapped = _mapped(exc, request)
            if mapped is exc:
                raise
            raise mapped from None
        if reply.will_close:
            connection.close()
        else:
            self._idle.setdefault(key, collections.deque()).append(connection)
        return HTTP.Response(
            status_code=reply.status,
            headers=[(k.encode("latin-1"), v.encode("latin-1")) for k, v in reply.getheaders()],
            stream=HTTP.ByteStream(content),
            extensions={
                "http_version": b"HTTP/1.1",
                "reason_phrase": reply.reason.encode("latin-1"),
            },
        )

    def _checkout(
        self, key: tuple[str, int], timeout: float | None, request: Any
    ) -> http.client.HTTPConnection:
        """An idle connection the server has not closed, or a new one."""
        idle = self._idle.get(key)
        while idle:
            try:
                connection = idle.pop()  # deque.pop is atomic: threads may share a transport
            except IndexError:
                break
            if connection.sock is not None and not _readable(connection.sock):
                return connection  # nothing to read on an idle connection: still open
            connection.close()  # closed by the server, or a stray byte: not reusable
        connection = http.client.HTTPConnection(key[0], key[1], timeout=timeout)
        try:
            connection.connect()
        except BaseException as exc:
            connection.close()
            if isinstance(exc, TimeoutError):
                raise HTTP.ConnectTimeout(f"connect timed out: {exc}", request=request) from None
            if isinstance(exc, OSError):
                raise HTTP.ConnectError(f"could not connect: {exc}", request=request) from None
            raise
        return connection

    def _other(self) -> Any:
        with self._lock:
            if self._fallback is None:
                self._fallback = self._make_fallback()
            return self._fallback

    def close(self) -> None:
        for idle in self._idle.values():
            while idle:
                idle.pop().close()
        if self._fallback is not None:
            self._fallback.close()


def _readable(sock: socket.socket) -> bool:
    """True if an idle connection has something to read: the server closed it, or sent junk."""
    if hasattr(select, "poll"):  # no limit on descriptor numbers, unlike select()
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        return bool(poller.poll(0))
    return bool(select.select([sock], [], [], 0)[0])


def _mapped(exc: BaseException, request: Any) -> BaseException:
    """The HTTP library's exception for a failure on an open connection (the SDK maps those)."""
    if isinstance(exc, TimeoutError):
        return HTTP.ReadTimeout(f"timed out: {exc}", request=request)  # type: ignore[no-any-return]
    if isinstance(exc, http.client.HTTPException | OSError):
        message = f"the connection failed: {type(exc).__name__}: {exc}"
        return HTTP.RemoteProtocolError(message, request=request)  # type: ignore[no-any-return]
    return exc
