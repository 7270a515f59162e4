"""Against a real OpenAI-compatible server: llama-cpp-python's own, started on loopback with the
embedded SmolLM2 GGUF, in every output mode and both strategies.

Only what holds for any output of that model is asserted: the outcome is a summary or one of the
documented failures, the server's refusal of ``json_schema`` is reported once (or, in ``auto``
mode, answered by the next response format, remembered for the endpoint). Marked ``server``: the
model's prompt evaluation takes minutes on two busy cores; ``.ci/run`` runs it.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from summarizer import BackendError, OutputTruncated, Result, Summarizer, ValidationFailed
from summarizer.backends import openai as openai_backend
from summarizer.options import OUTPUT_MODES
from tests import synthetic

pytestmark = pytest.mark.server
ARTICLE = synthetic.article(1)
FAILURES = (ValidationFailed, OutputTruncated)


def _model() -> Path:
    from summarizer.backends.local_models import resolve

    try:
        return resolve("local:smollm2-135m")[1]
    except Exception as exc:  # not installed: the test says so and skips
        pytest.skip(f"the embedded SmolLM2 model is not installed ({exc})")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One llama_cpp.server for the module, on a free loopback port."""
    for module in ("llama_cpp", "uvicorn", "fastapi", "sse_starlette", "starlette_context"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"llama-cpp-python's server extra is not installed (no {module})")
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(_model())]
    command += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096"]
    command += ["--n_threads", str(os.cpu_count() or 1)]
    with log.open("wb") as sink:
        server = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_until_up(url, server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"llama_cpp.server exited: {log.read_text(errors='replace')[-800:]}")
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("llama_cpp.server did not start within 180 s")


def _summarizer(base_url: str, mode: str, strategy: str) -> Summarizer:
    return Summarizer(
        model="smollm2",
        base_url=base_url,
        api_key="not-needed",
        output_mode=mode,  # type: ignore[arg-type]
        strategy=strategy,  # type: ignore[arg-type]
        max_tokens=24,
        max_reasks=0,
        timeout=600,
    )


def test_json_schema_is_refused_once_without_a_traceback(base_url: str) -> None:
    summarizer = _summarizer(base_url, "json_schema", "single")
    started = time.perf_counter()
    with pytest.raises(BackendError) as info:
        summarizer.summarize(ARTICLE)
    assert time.perf_counter() - started < 30  # refused at once, never retried with backoff
    assert not info.value.retryable and info.value.status_code == 500
    assert "json_object" in str(info.value)  # the server's own words…
    assert "File " not in str(info.value)  # …without its traceback


def test_auto_lands_on_the_schema_in_json_object_and_remembers_it(base_url: str) -> None:
    outcome: Result | Exception
    try:
        outcome = _summarizer(base_url, "auto", "single").summarize(ARTICLE)
    except FAILURES as exc:  # a 135M model under a 24-token budget: either is an answer
        outcome = exc
    forms = openai_backend.FORMS["auto"]
    assert forms[openai_backend.FORMATS.first(base_url)] == "json_object_schema"
    if isinstance(outcome, Result):
        assert outcome.summary.schema_version == "1"


@pytest.mark.parametrize("mode", ["json_object", "text"])
def test_single_pass_in_the_other_modes(base_url: str, mode: str) -> None:
    try:
        result = _summarizer(base_url, mode, "single").summarize(ARTICLE)
    except FAILURES as exc:
        assert exc.usage is not None and exc.usage.calls >= 1
    else:
        assert result.meta.usage.calls >= 1


@pytest.mark.parametrize("mode", OUTPUT_MODES)
def test_assisted_always_gives_a_summary(base_url: str, mode: str) -> None:
    result = _summarizer(base_url, mode, "assisted").summarize(ARTICLE)
    assert result.meta.strategy == "assisted"
    assert len(result.summary.summary) >= 20
    assert result.meta.usage.calls >= 1
    assert result.summary.actions and result.summary.actions[0].imposer == "US"
