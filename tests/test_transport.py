"""The HTTP side of the OpenAI backend on real sockets: the client pool, clients a user hands over,
the per-attempt deadline, the reply-size cap, warm-up, and many articles at once."""

from __future__ import annotations

import asyncio
import gzip
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest
import tenacity

from summarizer import BackendError, Summarizer
from summarizer.backends.guard import MAX_REPLY_BYTES
from summarizer.backends.openai import OpenAIBackend
from summarizer.errors import ConfigError
from tests.conftest import as_json
from tests.fakeserver import FakeOpenAIServer, Step, _payload

ONCE = tenacity.Retrying(stop=tenacity.stop_after_attempt(1), reraise=True)


def _completion(content: str) -> bytes:
    return _payload(Step(content), {"model": "m"})


@contextmanager
def raw_server(reply: Callable[[socket.socket, bytes], None]) -> Iterator[tuple[str, list[int]]]:
    """A bare socket server on loopback: ``reply`` answers each request read from a connection.
    Yields the base URL and the list of connections accepted so far (their count)."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[int] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            accepted.append(1)
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    def handle(conn: socket.socket) -> None:
        with conn:
            data = b""
            while True:
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    return
                if not chunk:
                    return
                data += chunk
                head, sep, rest = data.partition(b"\r\n\r\n")
                if not sep:
                    continue
                length = next(
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                )
                if len(rest) < length:
                    continue
                data = rest[length:]
                try:
                    reply(conn, rest[:length])
                except OSError:
                    return  # the client hung up

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/v1", accepted
    finally:
        listener.close()


def _head(status: str = "200 OK", **headers: str | int) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{k.replace('_', '-')}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_a_connection_the_server_closed_while_idle_is_replaced(
    article: str, good_summary: dict[str, Any]
) -> None:
    body = _completion(as_json(good_summary))

    def answer_then_hang_up(conn: socket.socket, request: bytes) -> None:
        conn.sendall(_head(content_length=len(body)) + body)  # keep-alive by the headers…
        conn.shutdown(socket.SHUT_RDWR)  # …but closed right after

    with raw_server(answer_then_hang_up) as (url, accepted):
        summarizer = Summarizer(model="m", base_url=url, api_key="k", retrying=ONCE)
        for _ in range(3):
            time.sleep(0.05)  # the close reaches the client before its next request
            assert summarizer.summarize(article).summary.actions[2].target_count == 500
    assert len(accepted) == 3


def test_chunked_and_gzipped_replies_are_decoded(
    article: str, good_summary: dict[str, Any]
) -> None:
    body = gzip.compress(_completion(as_json(good_summary)))
    chunks = b"".join(
        b"%x\r\n%s\r\n" % (len(body[i : i + 100]), body[i : i + 100])
        for i in range(0, len(body), 100)
    )

    def chunked(conn: socket.socket, request: bytes) -> None:
        head = _head(transfer_encoding="chunked", content_encoding="gzip")
        conn.sendall(head + chunks + b"0\r\n\r\n")

    with raw_server(chunked) as (url, accepted):
        summarizer = Summarizer(model="m", base_url=url, api_key="k", max_reasks=0)
        first = summarizer.summarize(article)
        second = summarizer.summarize(article)
    assert first.summary == second.summary
    assert first.summary.actions[2].target_count == 500
    assert len(accepted) == 1  # the chunked reply ended cleanly: the connection was reused


def test_a_refused_connection_is_a_retryable_backend_error(article: str) -> None:
    with socket.create_server(("127.0.0.1", 0)) as placeholder:
        port = placeholder.getsockname()[1]
    summarizer = Summarizer(
        model="m", base_url=f"http://127.0.0.1:{port}/v1", api_key="k", retrying=ONCE
    )
    with pytest.raises(BackendError, match="could not connect") as info:
        summarizer.summarize(article)
    assert info.value.retryable


@pytest.mark.parametrize("where", ["headers", "body"])
def test_a_trickling_server_is_cut_at_the_deadline(where: str, article: str) -> None:
    """A byte every 0.2 s keeps every socket read within the timeout; the attempt still ends."""
    stop = threading.Event()

    def trickle(conn: socket.socket, request: bytes) -> None:
        head = _head(content_length=10_000)
        if where == "body":
            conn.sendall(head)
        for byte in head if where == "headers" else b"{" * 10_000:
            if stop.wait(0.2):
                return
            conn.sendall(bytes([byte]))

    with raw_server(trickle) as (url, _):
        summarizer = Summarizer(model="m", base_url=url, api_key="k", timeout=1.0, retrying=ONCE)
        started = time.perf_counter()
        with pytest.raises(BackendError, match=r"did not answer within 1 s") as info:
            summarizer.summarize(article)
        elapsed = time.perf_counter() - started
        stop.set()
    assert info.value.retryable
    assert elapsed < 2.5, elapsed


async def test_the_async_path_keeps_the_deadline_too(article: str) -> None:
    stop = threading.Event()

    def trickle(conn: socket.socket, request: bytes) -> None:
        conn.sendall(_head(content_length=10_000))
        while not stop.wait(0.2):
            conn.sendall(b" ")

    with raw_server(trickle) as (url, _):
        summarizer = Summarizer(model="m", base_url=url, api_key="k", timeout=1.0, retrying=ONCE)
        started = time.perf_counter()
        with pytest.raises(BackendError, match=r"did not answer within 1 s"):
            await summarizer.asummarize(article)
        elapsed = time.perf_counter() - started
        stop.set()
    assert elapsed < 2.5, elapsed


def _big_body(kind: str) -> Callable[[socket.socket, bytes], None]:
    """Replies over the cap: announced, chunked without a length, or a small gzip that inflates."""
    filler = b"x" * 65536

    def reply(conn: socket.socket, request: bytes) -> None:
        if kind == "announced":
            conn.sendall(_head(content_length=300 * 2**20) + filler)
        elif kind == "chunked":
            conn.sendall(_head(transfer_encoding="chunked"))
            for _ in range(MAX_REPLY_BYTES // len(filler) + 8):
                conn.sendall(b"%x\r\n%s\r\n" % (len(filler), filler))
            conn.sendall(b"0\r\n\r\n")
        else:
            squeezed = zlib.compress(b" " * (MAX_REPLY_BYTES + 2**20), 9)
            conn.sendall(_head(content_length=len(squeezed), content_encoding="deflate"))
            conn.sendall(squeezed)

    return reply


@pytest.mark.parametrize("kind", ["announced", "chunked", "deflate bomb"])
@pytest.mark.parametrize("status", ["200 OK", "500 Internal Server Error"])
def test_a_reply_over_the_cap_is_refused_once_and_never_read_whole(
    kind: str, status: str, article: str
) -> None:
    requests: list[bytes] = []

    def counted(conn: socket.socket, request: bytes) -> None:
        requests.append(request)
        reply = _big_body(kind)
        if status.startswith("500"):
            conn.sendall(_head(status, content_length=300 * 2**20) + b"x" * 1024)
        else:
            reply(conn, request)

    with raw_server(counted) as (url, _):
        summarizer = Summarizer(model="m", base_url=url, api_key="k")  # the default policy
        with pytest.raises(BackendError, match="reply was refused") as info:
            summarizer.summarize(article)
    assert not info.value.retryable
    assert len(requests) == 1


def test_a_reply_nested_too_deep_is_a_backend_error(article: str) -> None:
    body = b'{"choices": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"

    def deep(conn: socket.socket, request: bytes) -> None:
        conn.sendall(_head(content_length=len(body)) + body)

    with raw_server(deep) as (url, accepted):
        summarizer = Summarizer(model="m", base_url=url, api_key="k")  # the default policy
        with pytest.raises(BackendError, match="nested more than") as info:
            summarizer.summarize(article)
    assert not info.value.retryable and len(accepted) == 1


def test_requests_in_flight_each_use_their_own_client_and_connection(
    article: str, good_summary: dict[str, Any]
) -> None:
    with FakeOpenAIServer(default=lambda body: Step(as_json(good_summary)), latency=0.2) as fake:
        summarizer = Summarizer(model="m", base_url=fake.base_url, api_key="k")
        started = time.perf_counter()
        results = summarizer.summarize_many([article] * 16, concurrency=8)
        elapsed = time.perf_counter() - started
    assert all(not isinstance(r, Exception) for r in results)
    assert elapsed < 1.6  # 2 waves of 8 (0.4 s), far from 16 one after another (3.2 s)
    backend = summarizer.backend
    assert isinstance(backend, OpenAIBackend)
    assert len(backend._idle) == 8  # one client per request that was in flight, kept for reuse


def test_a_users_client_is_used_with_its_own_settings(
    article: str, good_summary: dict[str, Any]
) -> None:
    with FakeOpenAIServer(default=lambda body: Step(as_json(good_summary))) as fake:
        mine = openai.OpenAI(
            base_url=fake.base_url,
            api_key="sk-mine-0123456789",
            default_headers={"x-team": "sanctions"},
            max_retries=7,
        )
        summarizer = Summarizer(model="m", client=mine)
        assert summarizer.summarize(article).summary.actions[2].target_count == 500
        fake.push(Step("busy", status=503))
        with pytest.raises(BackendError):  # our policy retries; the SDK's 7 retries are off
            Summarizer(model="m", client=mine, retrying=ONCE).summarize(article)
    assert fake.headers[0]["x-team"] == "sanctions"
    assert fake.headers[0]["authorization"] == "Bearer sk-mine-0123456789"
    assert len(fake.requests) == 2
    assert "sk-mine" not in repr(summarizer)


async def test_a_users_http_client_carries_every_request(
    article: str, good_summary: dict[str, Any]
) -> None:
    sent: list[str] = []
    asent: list[str] = []

    async def arecord(request: httpx2.Request) -> None:
        asent.append(str(request.url))

    with FakeOpenAIServer(default=lambda body: Step(as_json(good_summary))) as fake:
        http = httpx2.Client(event_hooks={"request": [lambda r: sent.append(str(r.url))]})
        ahttp = httpx2.AsyncClient(event_hooks={"request": [arecord]})
        summarizer = Summarizer(
            model="m",
            base_url=fake.base_url,
            api_key="k",
            http_client=http,
            async_http_client=ahttp,
        )
        summarizer.summarize_many([article] * 4, concurrency=2)
        await summarizer.asummarize(article)
    assert sent == [f"{fake.base_url}/chat/completions"] * 4
    assert asent == [f"{fake.base_url}/chat/completions"]


def test_a_client_for_the_embedded_model_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="embedded model"):
        Summarizer(model="local", http_client=httpx2.Client())


def test_warm_up_prepares_the_client_and_leaves_a_cached_model_alone(
    tmp_path: Path, article: str, good_summary: dict[str, Any]
) -> None:
    with FakeOpenAIServer(default=lambda body: Step(as_json(good_summary))) as fake:
        plain = Summarizer(model="m", base_url=fake.base_url, api_key="k")
        plain.warm_up()
        assert isinstance(plain.backend, OpenAIBackend) and len(plain.backend._idle) == 1
        cached = Summarizer(model="m", base_url=fake.base_url, api_key="k", cache_dir=tmp_path)
        cached.warm_up()
        inner = cached.backend.inner  # type: ignore[attr-defined]
        assert len(inner._idle) == 0  # a run answered from the cache never needs a client
        assert fake.requests == []  # warming up sends nothing
        assert plain.summarize(article).summary.actions[2].target_count == 500


def test_warm_up_finds_a_broken_template_before_any_article(tmp_path: Path, article: str) -> None:
    (tmp_path / "single_user.j2").write_text("{{ article }\n", encoding="utf-8")
    summarizer = Summarizer(
        model="m", base_url="http://127.0.0.1:9/v1", api_key="k", prompt_dir=tmp_path
    )
    with pytest.raises(ConfigError, match=r"single_user\.j2 has a syntax error on line 1"):
        summarizer.warm_up()
    summarizer.warm_up(errors="ignore")  # batch runs: each article reports the error itself
    results = summarizer.summarize_many([article], concurrency=1)
    assert isinstance(results[0], ConfigError)


async def test_asummarize_many_keeps_order_and_returns_errors(
    article: str, good_summary: dict[str, Any]
) -> None:
    def respond(body: dict[str, Any]) -> Step:
        if "FAIL" in body["messages"][1]["content"]:
            return Step("bad request", status=400)
        return Step(as_json(good_summary))

    with FakeOpenAIServer(default=respond) as fake:
        summarizer = Summarizer(model="m", base_url=fake.base_url, api_key="k")
        texts = [article, article + "\nFAIL", "", article]
        results = await summarizer.asummarize_many(texts, concurrency=3)
    assert [type(r).__name__ for r in results] == ["Result", "BackendError", "InputError", "Result"]


async def test_cancelling_asummarize_many_starts_no_more_articles(
    article: str, good_summary: dict[str, Any]
) -> None:
    with FakeOpenAIServer(default=lambda body: Step(as_json(good_summary)), latency=0.3) as fake:
        summarizer = Summarizer(model="m", base_url=fake.base_url, api_key="k")
        task = asyncio.create_task(summarizer.asummarize_many([article] * 20, concurrency=2))
        await asyncio.sleep(0.45)  # the second pair is in flight
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.sleep(0.8)  # those in flight finish; nothing new starts
        sent = len(fake.requests)
    assert 2 <= sent <= 6, sent


def test_closing_the_backend_closes_its_connections_and_it_still_serves(
    article: str, good_summary: dict[str, Any]
) -> None:
    body = _completion(as_json(good_summary))
    closed: list[int] = []

    def answer(conn: socket.socket, request: bytes) -> None:
        conn.sendall(_head(content_length=len(body)) + body)
        conn.settimeout(2)
        try:
            if conn.recv(1, socket.MSG_PEEK) == b"":
                closed.append(1)  # the client hung up
        except OSError:
            pass

    with raw_server(answer) as (url, accepted):
        summarizer = Summarizer(model="m", base_url=url, api_key="k")
        summarizer.summarize(article)
        backend = summarizer.backend
        assert isinstance(backend, OpenAIBackend)
        backend.close()
        time.sleep(0.1)
        assert closed == [1]
        summarizer.summarize(article)
    assert len(accepted) == 2


async def test_many_articles_of_none_prepare_nothing() -> None:
    summarizer = Summarizer(model="m", base_url="http://127.0.0.1:9/v1", api_key="k")
    assert summarizer.summarize_many([]) == []
    assert await summarizer.asummarize_many([]) == []
    backend = summarizer.backend
    assert isinstance(backend, OpenAIBackend) and len(backend._idle) == 0
