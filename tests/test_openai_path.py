"""The OpenAI-compatible path end to end: real openai client, real HTTP on loopback, scripted replies."""

from __future__ import annotations

import asyncio
import copy
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
import tenacity

from summarizer import (
    BackendError,
    OutputTruncated,
    Status,
    Summarizer,
    ValidationFailed,
)
from summarizer.errors import InputError
from summarizer.retry import transient_policy
from tests.conftest import as_json
from tests.fakeserver import FakeOpenAIServer, Step

MakeSummarizer = Callable[..., Summarizer]


def test_success_returns_validated_summary_and_meta(
    server: FakeOpenAIServer,
    make_summarizer: MakeSummarizer,
    article: str,
    good_summary: dict[str, Any],
) -> None:
    server.push(Step(as_json(good_summary), usage=(321, 123)))
    result = make_summarizer().summarize(article)
    summary = result.summary
    assert [a.status for a in summary.actions] == [
        Status.ANNOUNCED,
        Status.THREATENED,
        Status.ANNOUNCED,
    ]
    assert summary.actions[2].target_count == 500
    span = summary.actions[0].evidence_spans[0]
    assert article[span.start : span.end] == summary.actions[0].evidence[0]
    assert result.meta.attempts == 1
    assert result.meta.usage.prompt_tokens == 321
    assert result.meta.usage.completion_tokens == 123
    assert result.meta.strategy == "single"
    assert len(result.meta.template_hash) == 16
    request = server.requests[0]
    assert request["model"] == "fake-model"
    assert request["response_format"]["type"] == "json_schema"
    assert request["response_format"]["json_schema"]["strict"] is True
    # the article is fenced as data in the user message; the system prompt is static
    assert "<article>" in request["messages"][1]["content"]
    assert article[:40] not in request["messages"][0]["content"]


def test_static_prompt_prefix_is_identical_across_articles(
    server: FakeOpenAIServer,
    make_summarizer: MakeSummarizer,
    article: str,
    good_summary: dict[str, Any],
) -> None:
    server.push(Step(as_json(good_summary)), Step(as_json(good_summary)))
    summarizer = make_summarizer()
    summarizer.summarize(article)
    summarizer.summarize(article + "\n\nA later paragraph that changes nothing.")
    first, second = (r["messages"] for r in server.requests)
    assert first[0] == second[0]
    prefix = first[1]["content"].split("<article>")[0]
    assert second[1]["content"].startswith(prefix)


def test_fenced_json_in_text_mode(
    server: FakeOpenAIServer,
    make_summarizer: MakeSummarizer,
    article: str,
    good_summary: dict[str, Any],
) -> None:
    server.push(Step("Here you go:\n```json\n" + as_json(good_summary) + "\n```\nDone."))
    result = make_summarizer(output_mode="text").summarize(article)
    assert result.summary.is_sanctions_news
    request = server.requests[0]
    assert "response_format" not in request
    assert '"imposer"' in request["messages"][0]["content"]  # schema travels in the prompt


def test_json_object_mode_sends_json_object(
    server: FakeOpenAIServer,
    make_summarizer: MakeSummarizer,
    article: str,
    good_summary: dict[str, Any],
) -> None:
    server.push(Step(as_json(good_summary)))
    make_summarizer(output_mode="json_object").summarize(article)
    assert server.requests[0]["response_format"] == {"type": "json_object"}
    assert '"imposer"' in server.requests[0]["messages"][0]["content"]  # the schema is prompted


def test_invalid_then_valid_reasks_with_the_error(
    server: FakeOpenAIServer,
    make_summarizer: MakeSummarizer,
    article: str,
    good_summary: dict[str, Any],
) -> None:
    bad = copy.deepcopy(good_summary)
    bad["actions"][0]["status"] = "sanctioned"
    server.push(Step("{not json"), Step(as_json(bad), usage=(10, 5)), Step(as_json(good_summary)))
    result = make_summarizer(max_reasks=2).summarize(article)
    assert result.meta.attempts == 3
    assert result.meta.usage.prompt_tokens == 100 + 10 + 100
    assert result.meta.usage.calls == 3
    second, third = server.requests[1]["messages"], server.requests[2]["messages"]
    assert "not valid JSON" in second[-1]["content"]
    assert second[-2] == {"role": "assistant", "content": "{not json"}
    assert "actions.0.status" in third[-1]["content"]
    # re-asks carry only the last failed reply, not the whole history
    assert len(third) == len(second) == 4


def test_quote_not_in_source_is_reasked(
    server: FakeOpenAIServer,
    make_summarizer: MakeSummarizer,
    article: str,
    good_summary: dict[str, Any],
) -> None:
    invented = copy.deepcopy(good_summary)
    invented["actions"][0]["evidence"] = ["Iran will be hit with a total oil embargo next week"]
    server.push(Step(as_json(invented)), Step(as_json(good_summary)))
    result = make_summarizer().summarize(article)
    assert result.meta.attempts == 2
    repair = server.requests[1]["messages"][-1]["content"]
    assert "not found in the source" in repair
    assert "total oil embargo" in repair


def test_validation_failure_after_reasks_carries_attempts_and_usage(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str
) -> None:
    server.push(*[Step('{"is_sanctions_news": "maybe"}') for _ in range(3)])
    with pytest.raises(ValidationFailed) as info:
        make_summarizer(max_reasks=2).summarize(article)
    assert info.value.attempts == 3
    assert info.value.usage.calls == 3
    assert info.value.last_raw == '{"is_sanctions_news": "maybe"}'
    assert len(server.requests) == 3


def test_429_with_retry_after_then_success(
    server: FakeOpenAIServer,
    make_summarizer: MakeSummarizer,
    article: str,
    good_summary: dict[str, Any],
) -> None:
    server.push(
        Step("slow down", status=429, headers={"retry-after": "0.4"}), Step(as_json(good_summary))
    )
    started = time.perf_counter()
    result = make_summarizer().summarize(article)
    assert time.perf_counter() - started >= 0.4  # the fast test policy alone would wait ~0.01 s
    assert result.meta.attempts == 1  # transport retries are not re-asks
    assert len(server.requests) == 2
    assert server.requests[0]["messages"] == server.requests[1]["messages"]


def test_repeated_500_raises_retryable_backend_error_after_policy(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str
) -> None:
    server.push(*[Step("boom", status=500) for _ in range(10)])
    with pytest.raises(BackendError) as info:
        make_summarizer().summarize(article)
    assert info.value.retryable
    assert info.value.status_code == 500
    assert len(server.requests) == 5  # default policy: 5 attempts, SDK retries off


def test_callers_retrying_is_used(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str
) -> None:
    server.push(*[Step("unavailable", status=503) for _ in range(10)])
    policy = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(2),
        retry=tenacity.retry_if_exception_type(BackendError),
        wait=tenacity.wait_none(),
        reraise=False,
    )
    with pytest.raises(BackendError):
        make_summarizer(retrying=policy).summarize(article)
    assert len(server.requests) == 2


def test_client_errors_are_not_retried(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str
) -> None:
    server.push(Step("bad key", status=401))
    with pytest.raises(BackendError) as info:
        make_summarizer().summarize(article)
    assert not info.value.retryable
    assert "OPENAI_API_KEY" in str(info.value)
    assert len(server.requests) == 1


def test_timeout_is_retryable_and_bounded(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str
) -> None:
    server.push(*[Step("{}", delay=1.0) for _ in range(2)])
    policy = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(2),
        wait=tenacity.wait_none(),
        retry=tenacity.retry_if_exception_type(BackendError),
        reraise=True,
    )
    started = time.perf_counter()
    with pytest.raises(BackendError) as info:
        make_summarizer(timeout=0.3, retrying=policy).summarize(article)
    assert info.value.retryable
    assert "did not answer within 0.3 s" in str(info.value)
    assert time.perf_counter() - started < 1.9


def test_dropped_connection_is_retried(
    server: FakeOpenAIServer,
    make_summarizer: MakeSummarizer,
    article: str,
    good_summary: dict[str, Any],
) -> None:
    server.push(Step(drop=True), Step(as_json(good_summary)))
    assert make_summarizer().summarize(article).summary.is_sanctions_news
    assert len(server.requests) == 2


def test_truncation_grows_budget_once_then_raises(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str
) -> None:
    server.push(*[Step('{"is_sanctions_news": tr', finish_reason="length") for _ in range(3)])
    with pytest.raises(OutputTruncated) as info:
        make_summarizer(max_tokens=300).summarize(article)
    assert [r["max_tokens"] for r in server.requests] == [300, 600]
    assert info.value.max_tokens == 600
    assert not info.value.retryable


def test_truncation_then_success_with_larger_budget(
    server: FakeOpenAIServer,
    make_summarizer: MakeSummarizer,
    article: str,
    good_summary: dict[str, Any],
) -> None:
    server.push(Step('{"is_sa', finish_reason="length"), Step(as_json(good_summary)))
    result = make_summarizer(max_tokens=300).summarize(article)
    assert result.meta.attempts == 2
    assert server.requests[1]["max_tokens"] == 600


def test_input_errors_come_before_any_model_call(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer
) -> None:
    summarizer = make_summarizer()
    for bad in ["", "   \n\t ", b"\xff\xfe\x00binary", b"caf\xe9 latin-1"]:
        with pytest.raises(InputError):
            summarizer.summarize(bad)
    assert server.requests == []


def test_too_long_without_chunking_is_an_input_error(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str
) -> None:
    summarizer = make_summarizer(chunking=False)
    summarizer.backend._context_window = 2000  # type: ignore[attr-defined]
    with pytest.raises(InputError, match="context window of 2,000"):
        summarizer.summarize(article * 20)
    assert server.requests == []


def test_summarize_many_keeps_order_and_returns_errors(
    make_summarizer: MakeSummarizer, article: str, good_summary: dict[str, Any]
) -> None:
    def respond(body: dict[str, Any]) -> Step:
        user = body["messages"][1]["content"]
        if "FAIL" in user:
            return Step("bad request", status=400)
        return Step(as_json(good_summary))

    with FakeOpenAIServer(default=respond) as fake:
        summarizer = Summarizer(model="m", base_url=fake.base_url, api_key="k")
        texts = [article, article + "\nFAIL", "", article]
        results = summarizer.summarize_many(texts, concurrency=3)
    assert [type(r).__name__ for r in results] == ["Result", "BackendError", "InputError", "Result"]


async def test_async_summarize(
    server: FakeOpenAIServer,
    make_summarizer: MakeSummarizer,
    article: str,
    good_summary: dict[str, Any],
) -> None:
    server.push(Step("busy", status=503, headers={"retry-after": "0"}), Step(as_json(good_summary)))
    result = await make_summarizer().asummarize(article)
    assert len(result.summary.actions) == 3
    assert len(server.requests) == 2


def test_api_key_from_environment_and_not_in_repr(
    server: FakeOpenAIServer,
    article: str,
    good_summary: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-canary-123456")
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    server.push(Step(as_json(good_summary)))
    summarizer = Summarizer(model="gpt-test")
    summarizer.summarize(article)
    assert server.headers[0]["authorization"] == "Bearer sk-canary-123456"
    assert "sk-canary" not in repr(summarizer) + repr(summarizer.config) + repr(summarizer.backend)


def test_schema_sent_in_strict_mode_is_closed(
    server: FakeOpenAIServer,
    make_summarizer: MakeSummarizer,
    article: str,
    good_summary: dict[str, Any],
) -> None:
    server.push(Step(as_json(good_summary)))
    make_summarizer().summarize(article)
    schema = server.requests[0]["response_format"]["json_schema"]["schema"]
    text = json.dumps(schema)
    assert "maxLength" not in text and '"default"' not in text
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == set(schema["properties"])
    assert "evidence_spans" not in text and "schema_version" not in text


def test_one_summarizer_serves_several_event_loops(
    server: FakeOpenAIServer,
    make_summarizer: MakeSummarizer,
    article: str,
    good_summary: dict[str, Any],
) -> None:
    server.default = lambda body: Step(as_json(good_summary))
    summarizer = make_summarizer()
    for _ in range(2):  # each asyncio.run has its own loop; a client bound to a closed one fails
        result = asyncio.run(summarizer.asummarize(article))
        assert result.summary.actions[2].target_count == 500


LLAMA_CPP_REFUSAL = (
    "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
    "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema'}\n\n"
    '  File "/srv/llama_cpp/server/app.py", line 376, in create_chat_completion\n'
    "    POST /v1/chat/completions"
)


def _refusing(refused: set[str], good: dict[str, Any]) -> Callable[[dict[str, Any]], Step]:
    """A server that answers HTTP 500 (as llama-cpp-python's does) to the refused formats."""

    def respond(body: dict[str, Any]) -> Step:
        form = body.get("response_format") or {}
        name = form.get("type", "text") + ("+schema" if "schema" in form else "")
        if name in refused:
            return Step(LLAMA_CPP_REFUSAL, status=500)
        return Step(as_json(good))

    return respond


def test_auto_falls_back_to_the_format_the_server_takes_and_remembers_it(
    article: str, good_summary: dict[str, Any]
) -> None:
    with FakeOpenAIServer(default=_refusing({"json_schema"}, good_summary)) as fake:
        first = Summarizer(model="m", base_url=fake.base_url, api_key="k")
        assert first.config.output_mode == "auto"
        assert first.summarize(article).summary.actions[2].target_count == 500
        later = Summarizer(model="m", base_url=fake.base_url, api_key="k")
        later.summarize(article)
    kinds = [r.get("response_format", {}).get("type") for r in fake.requests]
    assert kinds == ["json_schema", "json_object", "json_object"]  # one refusal, then remembered
    schema = fake.requests[1]["response_format"]["schema"]
    assert schema["properties"]["actions"]["type"] == "array"  # the form llama-cpp-python takes


def test_auto_sends_the_schema_in_the_system_message_when_no_format_is_taken(
    article: str, good_summary: dict[str, Any]
) -> None:
    refused = {"json_schema", "json_object+schema", "json_object"}
    with FakeOpenAIServer(default=_refusing(refused, good_summary)) as fake:
        summarizer = Summarizer(model="m", base_url=fake.base_url, api_key="k")
        assert summarizer.summarize(article).summary.is_sanctions_news
    assert len(fake.requests) == 4
    last = fake.requests[-1]
    assert "response_format" not in last
    assert "JSON Schema" in last["messages"][0]["content"]
    assert '"evidence"' in last["messages"][0]["content"]


@pytest.mark.parametrize(
    ("status", "body"),
    [(400, "Invalid value for 'temperature'"), (422, "field required"), (500, LLAMA_CPP_REFUSAL)],
)
def test_an_invalid_request_is_reported_once_without_the_servers_traceback(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str, status: int, body: str
) -> None:
    server.push(*[Step(body, status=status) for _ in range(5)])
    with pytest.raises(BackendError) as info:
        make_summarizer(output_mode="json_object").summarize(article)
    assert not info.value.retryable
    assert info.value.status_code == status
    assert len(server.requests) == 1
    assert "File " not in str(info.value) and "app.py" not in str(info.value)


@pytest.mark.parametrize("status", [408, 409, 429, 502])
def test_transient_statuses_are_retried(
    server: FakeOpenAIServer,
    make_summarizer: MakeSummarizer,
    article: str,
    good_summary: dict[str, Any],
    status: int,
) -> None:
    server.push(Step("try later", status=status), Step(as_json(good_summary)))
    assert make_summarizer().summarize(article).meta.attempts == 1
    assert len(server.requests) == 2


@pytest.mark.parametrize("value", ["soon", "-5", "nan", "inf", "Mon, 99 Foo 2025 99:99:99 GMT", ""])
def test_a_malformed_retry_after_is_ignored(
    server: FakeOpenAIServer,
    make_summarizer: MakeSummarizer,
    article: str,
    good_summary: dict[str, Any],
    value: str,
) -> None:
    server.push(Step("slow down", status=429, headers={"retry-after": value}))
    server.push(Step(as_json(good_summary)))
    started = time.perf_counter()
    assert make_summarizer().summarize(article).summary.is_sanctions_news
    assert time.perf_counter() - started < 2  # the test policy's own short backoff


def test_retry_after_is_capped_by_what_is_left_of_the_patience(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str
) -> None:
    server.push(*[Step("slow down", status=429, headers={"retry-after": "3600"})] * 5)
    policy = transient_policy(attempts=5, initial=0.01, patience=1.0)
    started = time.perf_counter()
    with pytest.raises(BackendError) as info:
        make_summarizer(retrying=policy).summarize(article)
    elapsed = time.perf_counter() - started
    assert info.value.status_code == 429
    assert 0.9 < elapsed < 3, elapsed
    assert len(server.requests) == 2  # one try, one wait to the end of the patience, one try


def test_errors_carry_the_attempts_and_usage_spent_before_them(
    server: FakeOpenAIServer,
    make_summarizer: MakeSummarizer,
    article: str,
) -> None:
    server.push(Step("{not json", usage=(7, 3)), Step("gone", status=404))
    with pytest.raises(BackendError) as info:
        make_summarizer().summarize(article)
    assert info.value.attempts == 1
    assert info.value.usage is not None and info.value.usage.prompt_tokens == 7
    server.push(*[Step('{"a": ', finish_reason="length", usage=(5, 5)) for _ in range(2)])
    with pytest.raises(OutputTruncated) as cut:
        make_summarizer(max_tokens=100).summarize(article)
    assert cut.value.attempts == 2
    assert cut.value.usage is not None and cut.value.usage.calls == 2


def test_auto_does_not_change_format_for_a_refused_key(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str
) -> None:
    server.push(Step("invalid key for json_schema requests", status=401))
    with pytest.raises(BackendError) as info:
        make_summarizer().summarize(article)
    assert info.value.status_code == 401 and not info.value.retryable
    assert len(server.requests) == 1
