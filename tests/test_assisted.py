"""The assisted strategy through the real openai client and a scripted server on loopback."""

from __future__ import annotations

from collections.abc import Callable

from summarizer import Status, Summarizer
from summarizer.backends.base import Message
from summarizer.strategies import AssistedStrategy, SingleStrategy, resolve_strategy
from tests.fakeserver import FakeOpenAIServer, Step

MakeSummarizer = Callable[..., Summarizer]
GOOD = (
    "The United States will be imposing additional sanctions on Iran in the coming days over its supply "
    "of attack drones to Russia. The Treasury Department plans to unveil more than 500 new sanctions "
    "against Russia on Friday."
)


def test_rules_extract_and_model_writes(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str
) -> None:
    server.push(Step(GOOD))
    result = make_summarizer(strategy="assisted").summarize(article)
    summary = result.summary
    assert [(a.status, a.target_countries) for a in summary.actions] == [
        (Status.ANNOUNCED, ["IR"]),
        (Status.THREATENED, ["IR", "RU"]),
        (Status.ANNOUNCED, ["RU"]),
    ]
    assert summary.actions[2].target_count == 500
    assert summary.summary == GOOD
    assert summary.headline == "United States announces sanctions on Iran"
    assert result.meta.strategy == "assisted" and result.meta.details["writer"] == "model"
    request = server.requests[0]
    assert "response_format" not in request  # plain text: no grammar, no JSON to break
    user = request["messages"][1]["content"]
    assert "- United States: announced; aimed at Iran" in user
    assert "<article>\nWASHINGTON" in user
    for action in summary.actions:
        for span in action.evidence_spans:
            assert article[span.start : span.end] == span.quote


def test_invented_name_is_reasked(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str
) -> None:
    invented = (
        "The United States will sanction Iran after talks with Chancellor Olaf Scholz in Berlin."
    )
    server.push(Step(invented), Step(GOOD))
    result = make_summarizer(strategy="assisted").summarize(article)
    assert result.meta.attempts == 2 and result.meta.details["writer"] == "model"
    repair = server.requests[1]["messages"][-1]["content"]
    assert "'Olaf Scholz'" in repair or "'Chancellor Olaf Scholz'" in repair
    assert server.requests[1]["messages"][-2] == {"role": "assistant", "content": invented}


def test_recombined_words_are_rejected(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str
) -> None:
    scrambled = "Russia supplies Iran with sanctions in the coming days, the United States told Iran about Russia."
    server.push(Step(scrambled), Step(scrambled))
    result = make_summarizer(strategy="assisted").summarize(article)
    assert result.meta.details["writer"] == "extractive"
    assert result.summary.summary.startswith(
        "The United States will be imposing additional sanctions on Iran"
    )
    assert "word pairs" in server.requests[1]["messages"][-1]["content"]


def test_summary_must_name_the_parties(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str
) -> None:
    vague = "Officials said that new sanctions would be announced in the coming days."
    server.push(Step(vague), Step(GOOD))
    result = make_summarizer(strategy="assisted").summarize(article)
    assert result.meta.attempts == 2
    assert "who imposes the measures" in server.requests[1]["messages"][-1]["content"]


def test_negative_article_has_no_actions(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer
) -> None:
    text = (
        "Harbourside FC midfielder Jamie Colquhoun was suspended for eight matches on Tuesday after a "
        "disciplinary commission found him guilty of violent conduct. The commission also sanctioned both "
        "clubs for failing to control their players during the derby."
    )
    server.push(
        Step(
            "Jamie Colquhoun was suspended for eight matches after a disciplinary commission found him guilty of violent conduct."
        )
    )
    result = make_summarizer(strategy="assisted").summarize(text)
    assert not result.summary.is_sanctions_news and result.summary.actions == []
    assert "no new sanctions development" in server.requests[0]["messages"][1]["content"]


def test_static_prompt_prefix(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str
) -> None:
    server.push(Step(GOOD), Step(GOOD))
    summarizer = make_summarizer(strategy="assisted")
    summarizer.summarize(article)
    summarizer.summarize(article.replace("Tuesday", "Wednesday"))
    first, second = (r["messages"] for r in server.requests)
    assert first[0] == second[0]
    assert first[1]["content"].split("\n")[0] == second[1]["content"].split("\n")[0]


def test_auto_picks_assisted_for_embedded_and_single_for_remote() -> None:
    class Fake:
        def __init__(self, kind: str) -> None:
            self.kind = kind

    assert isinstance(resolve_strategy("auto", Fake("llamacpp")), AssistedStrategy)  # type: ignore[arg-type]
    assert isinstance(resolve_strategy("auto", Fake("openai")), SingleStrategy)  # type: ignore[arg-type]
    assert isinstance(resolve_strategy("assisted", Fake("openai")), AssistedStrategy)  # type: ignore[arg-type]


def test_message_roles_are_plain() -> None:
    assert Message("user", "x").as_dict() == {"role": "user", "content": "x"}


def test_ask_status_puts_one_constrained_question_per_action(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str
) -> None:
    server.push(
        Step('{"status": "imposed"}'),
        Step("not JSON at all"),  # an answer that does not parse keeps the rules' status
        Step('{"status": "proposed"}'),
        Step(GOOD),
    )
    result = make_summarizer(strategy="assisted", ask_status=True).summarize(article)
    assert [a.status for a in result.summary.actions] == [
        Status.IMPOSED,
        Status.THREATENED,
        Status.PROPOSED,
    ]
    questions = server.requests[:3]
    for request in questions:
        schema = request["response_format"]["json_schema"]["schema"]
        assert schema["properties"]["status"]["enum"] == [s.value for s in Status]
        assert "<sentence>" in request["messages"][0]["content"]
    assert "coming days" in questions[0]["messages"][0]["content"]
    assert result.meta.usage.calls == 4 and result.meta.attempts >= 1
