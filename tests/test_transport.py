"""The lean HTTP transport under the SDK, the client pool, warm-up, and many articles at once."""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import tenacity

from summarizer import BackendError, Summarizer
from summarizer.backends.openai import OpenAIBackend
from summarizer.backends.transport import HTTP, KeepAliveTransport
from summarizer.errors import ConfigError
from tests.conftest import as_json
from tests.fakeserver import FakeOpenAIServer, Step, _payload


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
                chunk = conn.recv(65536)
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
                reply(conn, rest[:length])

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/v1", accepted
    finally:
        listener.close()


def test_a_connection_the_server_closed_while_idle_is_replaced(
    article: str, good_summary: dict[str, Any]
) -> None:
    body = _completion(as_json(good_summary))

    def answer_then_hang_up(conn: socket.socket, request: bytes) -> None:
        # keep-alive by the headers, but the server closes the connection right after
        conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body))
        conn.shutdown(socket.SHUT_RDWR)

    once = tenacity.Retrying(stop=tenacity.stop_after_attempt(1), reraise=True)
    with raw_server(answer_then_hang_up) as (url, accepted):
        summarizer = Summarizer(model="m", base_url=url, api_key="k", retrying=once)
        for _ in range(3):
            time.sleep(0.05)  # the close reaches the client before its next request
            assert summarizer.summarize(article).summary.actions[2].target_count == 500
    assert len(accepted) == 3  # each request found its idle connection closed and made a new one


def test_chunked_and_gzipped_replies_are_decoded(
    article: str, good_summary: dict[str, Any]
) -> None:
    body = gzip.compress(_completion(as_json(good_summary)))
    chunks = b"".join(
        b"%x\r\n%s\r\n" % (len(body[i : i + 100]), body[i : i + 100])
        for i in range(0, len(body), 100)
    )

    def chunked(conn: socket.socket, request: bytes) -> None:
        head = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ncontent-encoding: gzip\r\n\r\n"
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
        model="m",
        base_url=f"http://127.0.0.1:{port}/v1",
        api_key="k",
        retrying=tenacity.Retrying(stop=tenacity.stop_after_attempt(1), reraise=True),
    )
    with pytest.raises(BackendError, match="could not connect") as info:
        summarizer.summarize(article)
    assert info.value.retryable


class _Recorder:
    """Stands in for the HTTP library's own transport: records what it is given."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def handle_request(self, request: Any) -> Any:
        self.urls.append(str(request.url))
        return HTTP.Response(200, content=b"{}")

    def close(self) -> None:
        pass


def test_anything_but_plain_http_goes_to_the_libraries_transport() -> None:
    recorder = _Recorder()
    transport = KeepAliveTransport(lambda: recorder)
    with HTTP.Client(transport=transport) as client:
        assert client.get("https://example.invalid/v1/models").status_code == 200
    assert recorder.urls == ["https://example.invalid/v1/models"]


def test_the_lean_transport_serves_plain_http_without_a_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for scheme in ("http", "https", "all", "no"):
        monkeypatch.delenv(f"{scheme}_proxy", raising=False)
        monkeypatch.delenv(f"{scheme.upper()}_PROXY", raising=False)

    def lean(base_url: str, **options: Any) -> bool:
        return bool(OpenAIBackend("m", base_url=base_url, api_key="k", **options)._lean)

    local = "http://127.0.0.1:8000/v1"
    assert lean(local)
    assert not lean("https://api.example.com/v1")
    assert not lean(local, lean_transport=False)
    monkeypatch.setenv("NO_PROXY", "localhost")  # a bypass list alone sets no proxy
    assert lean(local)
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.invalid:3128")
    assert not lean(local)  # the proxy applies to this host: the SDK's transport serves
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    assert lean(local)  # the host bypasses the proxy


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


def test_status_reason_headers_and_body_pass_through_unchanged() -> None:
    payload = json.dumps({"error": {"message": "slow down"}}).encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            self.send_response(429, "Too Many")
            self.send_header("retry-after", "7")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        transport = KeepAliveTransport(lambda: None)
        with HTTP.Client(transport=transport) as client:
            url = f"http://127.0.0.1:{server.server_address[1]}/v1/chat/completions"
            response = client.post(url, content=b"{}")
    finally:
        server.shutdown()
        server.server_close()
    assert response.status_code == 429
    assert response.reason_phrase == "Too Many"
    assert response.headers["retry-after"] == "7"
    assert response.content == payload


def test_closing_the_backend_closes_its_connections_and_it_still_serves(
    article: str, good_summary: dict[str, Any]
) -> None:
    body = _completion(as_json(good_summary))
    closed: list[int] = []

    def answer(conn: socket.socket, request: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body))
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
