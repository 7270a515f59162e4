"""``summarizer batch --via openai-batch``: the articles of a batch through the OpenAI Batch API.

The single strategy's request for each article, exactly as the live path builds it, goes into a
batch input file; the file is uploaded (``files.create(purpose="batch")``), a batch is created on
``/v1/chat/completions`` with a 24 h window, and its status is polled with backoff. Its replies are
then validated and grounded as live replies are: a reply that fails validation is re-asked through
the live path (the same re-ask loop), and an article the batch did not answer (an error line, an
expired or failed batch) runs live from the start. The records are those of the local engine.

The batch id is kept beside the output (``OUT.openai-batch.json``) from the moment the batch is
created until every record is written: a rerun polls that batch instead of paying for a second one.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from summarizer import retry
from summarizer.api import Summarizer
from summarizer.backends.base import Completion
from summarizer.batch import (
    BatchInput,
    BatchReport,
    _error,
    _key,
    _lines,
    _Run,
    _summarize,
    article_of,
    owned_output,
    read_inputs,
)
from summarizer.errors import BackendError, ConfigError, InputError, SummarizerError
from summarizer.strategies.single import SingleStrategy

if TYPE_CHECKING:
    import openai

    from summarizer.backends.openai import OpenAIBackend

#: The file beside the output that keeps the batch in flight.
STATE_SUFFIX = ".openai-batch.json"
ENDPOINT: Final = "/v1/chat/completions"
#: Statuses after which a batch changes no more.
FINAL = frozenset({"completed", "expired", "failed", "cancelled"})


@dataclass(frozen=True)
class Polling:
    """How often a batch's status is asked: ``initial`` seconds, growing by ``factor`` up to
    ``maximum``."""

    initial: float = 5.0
    maximum: float = 120.0
    factor: float = 2.0


def state_path(output: Path) -> Path:
    """Where the batch in flight for ``output`` is kept."""
    return output.with_name(output.name + STATE_SUFFIX)


def run_openai_batch(
    summarizer: Summarizer,
    inputs: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    concurrency: int = 8,
    retry_failed: bool = False,
    allow_any_path: bool = False,
    keep_source: bool = False,
    polling: Polling | None = None,
    on_progress: Callable[[str], None] | None = None,
    on_record: Callable[[dict[str, Any]], None] | None = None,
    client: openai.OpenAI | None = None,
) -> BatchReport:
    """:func:`~summarizer.batch.run_batch` through the OpenAI Batch API (see the module
    docstring). ``concurrency`` bounds the articles re-asked or run live; ``on_progress`` gets a
    line each time the batch's status is read; ``client`` replaces the SDK client made from the
    summarizer's base URL and key for the files and batches calls.

    Raises:
        ConfigError: an embedded model or a strategy other than single (it has no batch form).
    """
    backend = _remote(summarizer)
    in_path, out_path = Path(inputs), Path(output)
    with owned_output(in_path, out_path, retry_failed=retry_failed) as out:
        items = list(read_inputs(in_path, allow_any_path=allow_any_path))
        todo = [i for i in items if _key(i) not in out.done and i.problem is None]
        session = _Session(summarizer, backend, out_path, client, polling or Polling())
        replies = session.replies(todo, on_progress or (lambda line: None)) if todo else {}
        finish = _Finisher(summarizer, replies, keep_source)
        run = _Run(summarizer, out.sink, out.report, concurrency, keep_source, on_record, finish)
        run.feed(iter(items), out.done)
        state_path(out_path).unlink(missing_ok=True)  # every record is written: the batch is used
    return out.report


def _remote(summarizer: Summarizer) -> OpenAIBackend:
    """The OpenAI-compatible backend under ``summarizer`` (a cache in front is looked through)."""
    from summarizer.backends.openai import OpenAIBackend

    backend = getattr(summarizer.backend, "inner", summarizer.backend)
    if not isinstance(backend, OpenAIBackend):
        raise ConfigError(
            f"--via openai-batch needs a remote model; {summarizer.backend.model!r} is embedded "
            "and has no batch API",
            hint="name a model on an OpenAI-compatible server, or leave out --via",
        )
    if not isinstance(summarizer.strategy, SingleStrategy):
        raise ConfigError(
            f"--via openai-batch sends the single strategy's request; the strategy is "
            f"{summarizer.strategy.name!r}",
            hint="use --strategy single (or auto) with a remote model",
        )
    return backend


def custom_id(item: BatchInput) -> str:
    """The batch request id of an input line."""
    return f"line-{item.line}"


class _Session:
    """One batch on the server: created (or found again from the state file), polled, read."""

    def __init__(
        self,
        summarizer: Summarizer,
        backend: OpenAIBackend,
        output: Path,
        client: openai.OpenAI | None,
        polling: Polling,
    ) -> None:
        self.summarizer, self.backend, self.polling = summarizer, backend, polling
        self.state = state_path(output)
        self.folder = output.parent
        self.client = client or _client(backend)

    def replies(
        self, todo: list[BatchInput], progress: Callable[[str], None]
    ) -> dict[str, Completion]:
        """The batch's reply to each article it answered, by custom id."""
        from summarizer.backends.errors import provider_errors

        with provider_errors(timeout=self.backend.timeout):
            batch_id = self._resume() or self._create(todo, progress)
            if batch_id is None:
                return {}
            batch = self._wait(batch_id, progress)
            replies: dict[str, Completion] = {}
            for file_id in (batch.output_file_id, batch.error_file_id):
                if file_id:
                    replies.update(self._read(file_id))
        failed = batch.request_counts.failed if batch.request_counts else 0
        progress(
            f"batch {batch_id} {batch.status}: {len(replies)} replies taken, "
            f"{failed} failed; the rest run live"
        )
        return replies

    def _resume(self) -> str | None:
        try:
            state = json.loads(self.state.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise InputError(
                f"cannot read the batch state {self.state}: {exc}",
                hint="remove it to create a new batch (the one it named is then not used)",
            ) from None
        batch_id = state.get("batch_id") if isinstance(state, dict) else None
        if not isinstance(batch_id, str) or not batch_id:
            raise InputError(f"the batch state {self.state} names no batch id")
        return batch_id

    def _create(self, todo: list[BatchInput], progress: Callable[[str], None]) -> str | None:
        with tempfile.TemporaryFile(dir=self.folder) as requests:
            count = 0
            for line in self._requests(todo):
                requests.write(line)
                count += 1
            if not count:
                return None
            requests.seek(0)
            uploaded = self.client.files.create(
                file=("requests.jsonl", requests, "application/jsonl"), purpose="batch"
            )
        batch = self.client.batches.create(
            input_file_id=uploaded.id, endpoint=ENDPOINT, completion_window="24h"
        )
        _write_state(self.state, {"batch_id": batch.id, "input_file_id": uploaded.id,
                                  "requests": count, "model": self.backend.model})  # fmt: skip
        progress(f"batch {batch.id} created with {count} requests (kept in {self.state.name})")
        return batch.id

    def _requests(self, todo: list[BatchInput]) -> Iterator[bytes]:
        """A batch input line per article that reads and fits in one request (the others run
        live), with the body the live path would send first."""
        engine = self.summarizer._engine
        strategy = self.summarizer.strategy
        assert isinstance(strategy, SingleStrategy)
        for item in todo:
            try:
                loops = list(strategy._loops(article_of(item).text, engine))
            except SummarizerError:
                continue  # its record says why, from the live path
            if len(loops) != 1:
                continue  # chunked: the live path asks piece by piece
            request = loops[0].request
            form = self.backend._forms(request)[0][1]
            body = self.backend._params(request, form)
            line = {"custom_id": custom_id(item), "method": "POST", "url": ENDPOINT, "body": body}
            yield json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n"

    def _wait(self, batch_id: str, progress: Callable[[str], None]) -> Any:
        delay = self.polling.initial
        while True:
            batch = self.client.batches.retrieve(batch_id)
            counts = batch.request_counts
            tally = f", {counts.completed + counts.failed}/{counts.total} done" if counts else ""
            progress(f"batch {batch_id}: {batch.status}{tally}")
            if batch.status in FINAL:
                return batch
            time.sleep(delay)
            delay = min(delay * self.polling.factor, self.polling.maximum)

    def _read(self, file_id: str) -> dict[str, Completion]:
        """The usable replies in a batch output or error file (streamed to a temporary file)."""
        replies: dict[str, Completion] = {}
        with tempfile.TemporaryDirectory(dir=self.folder) as folder:
            path = Path(folder) / "replies.jsonl"
            with self.client.files.with_streaming_response.content(file_id) as response:
                response.stream_to_file(path)
            with path.open("rb") as handle:
                for raw in _lines(handle):
                    found = _reply(raw, self.backend.model)
                    if found is not None:
                        replies[found[0]] = found[1]
        return replies


def _client(backend: OpenAIBackend) -> openai.OpenAI:
    import openai

    given = backend._user[0]
    if given is not None:
        return given.with_options(max_retries=2)
    options = {**backend._options, "max_retries": 2}
    return openai.OpenAI(**options)


def _write_state(path: Path, state: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(state, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _reply(raw: bytes, model: str) -> tuple[str, Completion] | None:
    """A batch output line's custom id and chat completion; None for an error line or a line
    that cannot be read (its article then runs live)."""
    from summarizer.backends.openai import _completion

    try:
        line = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(line, dict) or not isinstance(line.get("custom_id"), str):
        return None
    response = line.get("response")
    if not isinstance(response, dict) or response.get("status_code") != 200:
        return None
    body = response.get("body")
    if not isinstance(body, dict):
        return None
    try:
        completion = _completion(json.dumps(body).encode("utf-8"), model)
    except BackendError:
        return None
    return line["custom_id"], completion


class _Finisher:
    """An article's record from the batch's reply (re-asked live when it does not validate), or
    from the live path when the batch did not answer it."""

    def __init__(
        self, summarizer: Summarizer, replies: dict[str, Completion], keep_source: bool
    ) -> None:
        self.summarizer, self.replies, self.keep_source = summarizer, replies, keep_source

    def __call__(self, item: BatchInput) -> dict[str, Any]:
        reply = self.replies.get(custom_id(item))
        if reply is None:
            return _summarize(self.summarizer, item, self.keep_source)
        head: dict[str, Any] = {"id": item.id, "line": item.line}
        started = time.perf_counter()
        summarizer, engine = self.summarizer, self.summarizer._engine
        strategy = summarizer.strategy
        assert isinstance(strategy, SingleStrategy)
        try:
            article = article_of(item)
            loop = next(strategy._loops(article.text, engine))
            with loop.accounted():
                outcome = loop.feed(reply)
            if outcome is None:  # a re-ask or a larger budget: through the live path
                outcome = retry.run(engine.backend, loop, engine.policy)
            output = strategy._combine(article.text, [outcome])
            output.details["via"] = "openai-batch"
            result = summarizer._result(article, output, started)
        except Exception as exc:  # every failure becomes a record
            return {**head, "ok": False, "error": _error(exc)}
        return {**head, "ok": True, **result.as_dict(source=self.keep_source or None)}


__all__ = ["STATE_SUFFIX", "Polling", "run_openai_batch", "state_path"]
