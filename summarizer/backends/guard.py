"""Guards on the HTTP clients the OpenAI backend makes: a size cap on every reply body, and a total
deadline per attempt (``timeout`` bounds each socket read; a server that trickles a byte at a time
would otherwise hold a request for ever).

Both hang on the HTTP library's public hooks (event hooks, the ``trace`` request extension) under
the SDK's own client; nothing here speaks HTTP. A client a user hands over keeps its own settings.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time
import zlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx2  # the HTTP library of the openai SDK (``openai.DefaultHttpxClient`` is its Client)

from summarizer.backends.errors import UnsafeReply

#: The largest reply body read, after decompression (a chat completion is some kilobytes).
MAX_REPLY_BYTES = 8 * 2**20
#: Accepted content encodings; the body is inflated here, within the cap, never by the library.
ACCEPT_ENCODING = "gzip, deflate"
_INFLATE = {"gzip": 47, "x-gzip": 47, "deflate": 47}  # zlib wbits: a gzip or zlib header


class _Budget:
    """Counts a body's bytes as they arrive, inflating compressed ones, and stops at the cap."""

    def __init__(self, cap: int, encoding: str) -> None:
        self.left = cap
        self.cap = cap
        self._inflate = zlib.decompressobj(_INFLATE[encoding]) if encoding in _INFLATE else None

    def take(self, chunk: bytes) -> bytes:
        if self._inflate is not None:
            try:  # at most one byte past what is left: enough to know the cap is passed
                chunk = self._inflate.decompress(chunk, self.left + 1)
            except zlib.error as exc:
                raise UnsafeReply(f"its compressed body is corrupt ({exc})") from None
        self.left -= len(chunk)
        if self.left < 0:
            raise UnsafeReply(f"its body is over {self.cap:,} bytes")
        return chunk


class _Capped(httpx2.SyncByteStream):
    def __init__(self, inner: httpx2.SyncByteStream, budget: _Budget) -> None:
        self._inner, self._budget = inner, budget

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            yield self._budget.take(chunk)

    def close(self) -> None:
        self._inner.close()


class _AsyncCapped(httpx2.AsyncByteStream):
    def __init__(self, inner: httpx2.AsyncByteStream, budget: _Budget) -> None:
        self._inner, self._budget = inner, budget

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            yield self._budget.take(chunk)

    async def aclose(self) -> None:
        await self._inner.aclose()


def _budget(response: httpx2.Response, cap: int) -> _Budget:
    """The budget for ``response``'s body; refuses a declared length over the cap, and encodings
    other than gzip and deflate (which it inflates itself, so the header goes)."""
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > cap:
        raise UnsafeReply(f"it announces {int(length):,} bytes, over {cap:,}")
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in {"identity", *_INFLATE}:
        raise UnsafeReply(f"it is encoded as {encoding!r}; only {ACCEPT_ENCODING} are accepted")
    if encoding != "identity":
        del response.headers["content-encoding"]
    return _Budget(cap, encoding)


def cap_reply(response: httpx2.Response, cap: int = MAX_REPLY_BYTES) -> None:
    """Response hook: the body is read through the cap."""
    response.stream = _Capped(response.stream, _budget(response, cap))  # type: ignore[arg-type]


async def acap_reply(response: httpx2.Response, cap: int = MAX_REPLY_BYTES) -> None:
    """Async twin of :func:`cap_reply`."""
    response.stream = _AsyncCapped(response.stream, _budget(response, cap))  # type: ignore[arg-type]


class Line:
    """One client's connection, as seen through the ``trace`` extension: its socket, so that the
    watchdog can shut down a request past its deadline (the blocked read then returns at once)."""

    def __init__(self) -> None:
        self.sock: socket.socket | None = None
        self.attempt: Attempt | None = None

    def on_request(self, request: httpx2.Request) -> None:
        """Request hook: trace this request's connection."""
        request.extensions["trace"] = self._trace

    def _trace(self, event: str, info: dict[str, Any]) -> None:
        if event.endswith("connect_tcp.complete"):
            stream = info.get("return_value")
            self.sock = stream.get_extra_info("socket") if stream is not None else None
            attempt = self.attempt
            if attempt is not None and attempt.expired:
                attempt.cut()  # the deadline passed while connecting


class Attempt:
    """One request on a :class:`Line`, with a deadline; ``expired`` once the watchdog ended it."""

    def __init__(self, line: Line, deadline: float) -> None:
        self.line = line
        self.deadline = deadline
        self.expired = False
        self._done = False
        self._lock = threading.Lock()

    @property
    def done(self) -> bool:
        return self._done

    def finish(self) -> None:
        with self._lock:
            self._done = True
        self.line.attempt = None

    def expire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
        self.cut()

    def cut(self) -> None:
        sock = self.line.sock
        if sock is not None:
            with contextlib.suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)


class Watchdog:
    """One thread that expires attempts at their deadlines (started on first use)."""

    def __init__(self) -> None:
        self._wake = threading.Condition()
        self._heap: list[tuple[float, int, Attempt]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def start(self, line: Line, timeout: float) -> Attempt:
        """Watch a new attempt on ``line`` that must end within ``timeout`` seconds."""
        attempt = Attempt(line, time.monotonic() + timeout)
        line.attempt = attempt
        with self._wake:
            heapq.heappush(self._heap, (attempt.deadline, next(self._order), attempt))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="deadlines", daemon=True)
                self._thread.start()
            elif self._heap[0][2] is attempt:
                self._wake.notify()
        return attempt

    def _run(self) -> None:
        with self._wake:
            while True:
                while self._heap and self._heap[0][2].done:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._wake.wait()
                    continue
                wait = self._heap[0][0] - time.monotonic()
                if wait > 0:
                    self._wake.wait(wait)
                    continue
                heapq.heappop(self._heap)[2].expire()


WATCHDOG = Watchdog()
