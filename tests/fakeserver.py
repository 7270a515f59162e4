"""A scripted fake of the OpenAI chat-completions API on 127.0.0.1, for the real ``openai`` client.

Each request pops the next :class:`Step` from the script; when the script is empty the ``default``
callable answers. Every request body is recorded in ``requests``.
"""

from __future__ import annotations

import json
import random
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Step:
    """One scripted reply: a chat completion with ``content``, or a fault."""

    content: str = "{}"
    status: int = 200
    finish_reason: str = "stop"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False  # close the connection without answering
    raw_body: bytes | None = None  # send these bytes as the body instead of a completion
    usage: tuple[int, int] = (100, 50)


Responder = Callable[[dict[str, Any]], Step]


class _QuietServer(ThreadingHTTPServer):
    request_queue_size = 256  # many clients connect at once in the concurrency tests

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up (timeouts, kills) are part of the tests, not errors to print."""


class FakeOpenAIServer:
    """Start with ``with FakeOpenAIServer() as server:``; ``server.base_url`` goes to the client."""

    def __init__(
        self, default: Responder | None = None, latency: float = 0.0, *, record: bool = True
    ) -> None:
        self.script: deque[Step] = deque()
        self.default = default
        self.latency = latency
        self.record = record  # benchmarks serve many thousands of requests: keep none
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def push(self, *steps: Step) -> None:
        with self._lock:
            self.script.extend(steps)

    def __enter__(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _next(self, body: dict[str, Any], headers: dict[str, str]) -> Step:
        with self._lock:
            if self.record:
                self.requests.append(body)
                self.headers.append(headers)
            if self.script:
                return self.script.popleft()
        if self.default is None:
            return Step(status=500, content="no scripted reply left")
        return self.default(body)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                started = time.perf_counter()
                length = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                step = server._next(body, {k.lower(): v for k, v in self.headers.items()})
                # latency counts from the request's arrival: the server's own work is inside it
                wait = server.latency + step.delay - (time.perf_counter() - started)
                if wait > 0:
                    time.sleep(wait)
                if step.drop:
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.connection.close()
                    return
                payload = step.raw_body if step.raw_body is not None else _payload(step, body)
                try:
                    self.send_response(step.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(payload)))
                    for key, value in step.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    return

        return Handler


def _payload(step: Step, body: dict[str, Any]) -> bytes:
    if step.status != 200:
        error = {"error": {"message": step.content, "type": "fake", "code": step.status}}
        return json.dumps(error).encode()
    prompt, completion = step.usage
    return json.dumps(
        {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "fake-model"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": step.content},
                    "finish_reason": step.finish_reason,
                }
            ],
            "usage": {
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "total_tokens": prompt + completion,
            },
        }
    ).encode()


#: The faults a :class:`FaultSchedule` injects, in equal shares.
FAULTS = (
    "rate_limited",  # 429 with Retry-After
    "server_error",  # 500
    "unavailable",  # 503
    "timeout",  # no answer within the client's timeout
    "dropped",  # connection closed without an answer
    "malformed_body",  # HTTP 200 whose body is not JSON
    "not_json",  # a completion whose content is not JSON
    "schema_violation",  # JSON that breaks the schema
    "truncated",  # finish_reason "length", content cut in half
    "ungrounded_quote",  # an evidence quote that is not in the article
)


class FaultSchedule:
    """A responder that faults a seeded share of requests (each fault in ``FAULTS`` equally often)
    and answers the rest with ``good``. ``injected`` counts what it did, ``None`` for good replies."""

    def __init__(
        self,
        good: Responder,
        *,
        rate: float = 0.4,
        seed: int = 0,
        timeout_delay: float = 1.0,
        retry_after: str = "0.01",
    ) -> None:
        self.good = good
        self.rate = rate
        self.timeout_delay = timeout_delay
        self.retry_after = retry_after
        self.injected: Counter[str | None] = Counter()
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def __call__(self, body: dict[str, Any]) -> Step:
        with self._lock:
            fault = self._rng.choice(FAULTS) if self._rng.random() < self.rate else None
            self.injected[fault] += 1
        if fault == "rate_limited":
            return Step("slow down", status=429, headers={"retry-after": self.retry_after})
        if fault == "server_error":
            return Step("internal error", status=500)
        if fault == "unavailable":
            return Step("overloaded", status=503)
        if fault == "timeout":
            return Step(delay=self.timeout_delay)
        if fault == "dropped":
            return Step(drop=True)
        if fault == "malformed_body":
            return Step(raw_body=b'{"choices": [{"message": ')
        if fault == "not_json":
            return Step("Sure! Here is the summary you asked for.")
        step = self.good(body)
        data = json.loads(step.content)
        if fault == "schema_violation":
            data["is_sanctions_news"] = "perhaps"
            return Step(json.dumps(data))
        if fault == "truncated":
            return Step(step.content[: len(step.content) // 2], finish_reason="length")
        if fault == "ungrounded_quote" and data.get("actions"):
            data["actions"][0]["evidence"] = ["The moon imposed sanctions on the sun at dawn"]
            return Step(json.dumps(data))
        return step


class FakeBatchServer(FakeOpenAIServer):
    """:class:`FakeOpenAIServer` plus an imitation of the OpenAI Batch API: ``/v1/files`` (upload,
    content) and ``/v1/batches`` (create, retrieve).

    A batch moves one step along ``statuses`` at each retrieve; at the last (final) one its output
    file holds the ``default`` responder's answer to each request, except the custom ids in
    ``fail`` (a 500 in the error file) and, when ``answered`` is set, every request past the
    first ``answered`` (``batch_expired`` in the error file, as an expired batch gives).
    ``uploads``, ``created`` and ``retrieved`` count the calls; live chat requests are recorded
    in ``requests`` as before."""

    def __init__(
        self,
        default: Responder,
        *,
        statuses: tuple[str, ...] = ("validating", "in_progress", "completed"),
        fail: frozenset[str] = frozenset(),
        answered: int | None = None,
    ) -> None:
        super().__init__(default)
        self.statuses, self.fail, self.answered = statuses, fail, answered
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.uploads = self.created = self.retrieved = 0

    def batch_requests(self) -> list[dict[str, Any]]:
        """The request lines of every batch input file uploaded."""
        return [
            json.loads(line)
            for name, data in self.files.items()
            if name.startswith("file-in")
            for line in data.splitlines()
        ]

    def _upload(self, content_type: str, body: bytes) -> dict[str, Any]:
        from email.parser import BytesParser
        from email.policy import HTTP

        message = BytesParser(policy=HTTP).parsebytes(
            f"content-type: {content_type}\r\n\r\n".encode() + body
        )
        fields = {
            part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
            for part in message.iter_parts()
        }
        assert fields.get("purpose") == b"batch", fields.get("purpose")
        with self._lock:
            self.uploads += 1
            file_id = f"file-in{self.uploads}"
            self.files[file_id] = fields["file"]
        return _file_object(file_id, len(fields["file"]), "batch")

    def _create(self, body: dict[str, Any]) -> dict[str, Any]:
        assert body["endpoint"] == "/v1/chat/completions" and body["completion_window"] == "24h"
        with self._lock:
            self.created += 1
            batch = {"id": f"batch_{self.created}", "object": "batch", "step": 0,
                     "endpoint": body["endpoint"], "input_file_id": body["input_file_id"],
                     "completion_window": "24h", "created_at": int(time.time())}  # fmt: skip
            self.batches[batch["id"]] = batch
        return self._public(batch)

    def _retrieve(self, batch_id: str) -> dict[str, Any] | None:
        with self._lock:
            self.retrieved += 1
            batch = self.batches.get(batch_id)
            if batch is None:
                return None
            batch["step"] = min(batch["step"] + 1, len(self.statuses))
            if batch["step"] == len(self.statuses) and "output_file_id" not in batch:
                self._finish(batch)
            return self._public(batch)

    def _public(self, batch: dict[str, Any]) -> dict[str, Any]:
        status = self.statuses[max(0, batch["step"] - 1)]
        total = len(self.files[batch["input_file_id"]].splitlines())
        done = batch.get("counts", (0, 0))
        return {**{k: v for k, v in batch.items() if k not in ("step", "counts")},
                "status": status,
                "request_counts": {"total": total, "completed": done[0], "failed": done[1]}}  # fmt: skip

    def _finish(self, batch: dict[str, Any]) -> None:
        """Answer the batch's requests into an output and an error file (lock held)."""
        lines = [json.loads(x) for x in self.files[batch["input_file_id"]].splitlines()]
        output, errors = [], []
        for number, line in enumerate(lines):
            cid = line["custom_id"]
            if self.answered is not None and number >= self.answered:
                error = {"code": "batch_expired", "message": "the batch expired"}
                errors.append({"id": f"req_{number}", "custom_id": cid, "response": None,
                               "error": error})  # fmt: skip
                continue
            step = Step("server failed", status=500) if cid in self.fail else None
            step = step or (self.default(line["body"]) if self.default else Step(status=500))
            response = {"status_code": step.status, "request_id": f"r{number}",
                        "body": json.loads(_payload(step, line["body"]))}  # fmt: skip
            entry = {"id": f"req_{number}", "custom_id": cid, "response": response, "error": None}
            (output if step.status == 200 else errors).append(entry)
        for kind, entries in (("output", output), ("error", errors)):
            if entries:
                file_id = f"file-{kind}-{batch['id']}"
                self.files[file_id] = b"".join(json.dumps(e).encode() + b"\n" for e in entries)
                batch[f"{kind}_file_id"] = file_id
        batch["counts"] = (len(output), len(errors))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self
        chat = super()._handler()

        class Handler(chat):  # type: ignore[valid-type,misc]
            def _json(self, status: int, data: Any) -> None:
                payload = data if isinstance(data, bytes) else json.dumps(data).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_POST(self) -> None:
                path = self.path.split("?")[0]
                if path.endswith("/chat/completions"):
                    return super().do_POST()
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                if path.endswith("/files"):
                    return self._json(200, server._upload(self.headers["content-type"], body))
                if path.endswith("/batches"):
                    return self._json(200, server._create(json.loads(body)))
                return self._json(404, {"error": {"message": f"no route {path}"}})

            def do_GET(self) -> None:
                parts = self.path.split("?")[0].rstrip("/").split("/")
                if parts[-2] == "batches":
                    batch = server._retrieve(parts[-1])
                    if batch is not None:
                        return self._json(200, batch)
                if parts[-1] == "content" and parts[-2] in server.files:
                    return self._json(200, server.files[parts[-2]])
                return self._json(404, {"error": {"message": f"not found: {self.path}"}})

        return Handler


def _file_object(file_id: str, size: int, purpose: str) -> dict[str, Any]:
    return {"id": file_id, "object": "file", "bytes": size, "created_at": int(time.time()),
            "filename": "requests.jsonl", "purpose": purpose, "status": "processed"}  # fmt: skip
