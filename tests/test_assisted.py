"""The assisted strategy through the real openai client and a scripted server on loopback: the
rules extract, the model writes one sentence per action, the facts writer takes over when it fails."""

from __future__ import annotations

from collections.abc import Callable

from summarizer import Status, Summarizer
from summarizer.backends.base import Message
from summarizer.strategies import AssistedStrategy, SingleStrategy, resolve_strategy
from tests.fakeserver import FakeOpenAIServer, Step

MakeSummarizer = Callable[..., Summarizer]
#: One sentence for each of the example article's three actions.
SENTENCES = (
    "The United States announced sanctions on Iran in the coming days over its supply of attack "
    "drones to Russia.",
    "The White House threatened sanctions against Iran if it went ahead with sending "
    "surface-to-surface ballistic missiles to Moscow.",
    "Separately, the Treasury Department announced more than 500 new sanctions against Russia on "
    "Friday.",
)


def test_rules_extract_and_model_writes_a_sentence_per_action(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str
) -> None:
    server.push(*(Step(s) for s in SENTENCES))
    result = make_summarizer(strategy="assisted").summarize(article)
    summary = result.summary
    assert [(a.status, a.target_countries) for a in summary.actions] == [
        (Status.ANNOUNCED, ["IR"]),
        (Status.THREATENED, ["IR", "RU"]),
        (Status.ANNOUNCED, ["RU"]),
    ]
    assert summary.actions[2].target_count == 500
    # the model's sentences, then the article's own sentence that adds the most names and numbers
    assert summary.summary.startswith(" ".join(SENTENCES) + " ")
    detail = summary.summary.removeprefix(" ".join(SENTENCES) + " ")
    assert detail in article and detail.startswith("John Kirby")
    assert summary.headline == (
        "United States announces sanctions on Iran over its supply of attack drones to Russia"
    )
    assert result.meta.details["writer"] == "model" and result.meta.usage.calls == 3
    assert len(server.requests) == 3
    for number, request in enumerate(server.requests):
        assert "response_format" not in request  # plain text: a grammar only reaches llama.cpp
        user = request["messages"][1]["content"]
        assert user.startswith("Facts:\n") and user.endswith("Sentence:")
        assert user.count("<article>") == 1
        if number:  # a later sentence is written knowing the one before it
            assert f"before: {SENTENCES[number - 1]}" in user
    first = server.requests[0]["messages"][1]["content"]
    assert "who: the United States\nverbs: announced sanctions on" in first
    assert "The United States will be imposing additional sanctions on Iran" in first
    assert "more than 500 new sanctions" in server.requests[2]["messages"][1]["content"]
    for action in summary.actions:
        for span in action.evidence_spans:
            assert article[span.start : span.end] == span.quote


def test_the_static_prompt_comes_first_and_is_shared(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str
) -> None:
    server.push(*(Step(s) for s in SENTENCES * 2))
    summarizer = make_summarizer(strategy="assisted")
    summarizer.summarize(article)
    summarizer.summarize(article.replace("Tuesday", "Wednesday"))
    systems = {r["messages"][0]["content"] for r in server.requests}
    assert len(systems) == 1 and len(server.requests) == 6
    assert "Kirby" not in next(iter(systems))  # no article text in the shared part


def test_invented_name_gets_a_second_try_with_the_error(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str
) -> None:
    invented = (
        "The United States announced sanctions on Iran after talks with Chancellor Olaf Scholz."
    )
    server.push(Step(invented), *(Step(s) for s in SENTENCES))
    result = make_summarizer(strategy="assisted").summarize(article)
    assert result.meta.details["writer"] == "model" and result.meta.usage.calls == 4
    assert result.meta.attempts == 4
    assert result.summary.summary.startswith(" ".join(SENTENCES) + " John Kirby")
    second = server.requests[1]["messages"]
    assert second[-2] == {"role": "assistant", "content": invented}
    assert (
        "'Olaf Scholz'" in second[-1]["content"]
        or "'Chancellor Olaf Scholz'" in second[-1]["content"]
    )
    assert second[:2] == server.requests[0]["messages"]


def test_two_failures_hand_the_summary_to_the_facts_writer(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str
) -> None:
    scrambled = "The United States announced Russia supplies Iran with sanctions, the United States told Iran about Russia."
    server.push(Step(scrambled), Step(scrambled))
    result = make_summarizer(strategy="assisted").summarize(article)
    details = result.meta.details
    assert details["writer"] == "facts" and result.meta.usage.calls == 2  # no more calls
    assert any("word pairs" in e for e in details["writer_errors"])
    text = result.summary.summary
    assert text.startswith(
        "The United States announced sanctions on Iran, over its supply of attack drones to Russia."
    )
    assert "more than 500 new sanctions" in text  # every action, in the article's terms
    assert "word pairs" in server.requests[1]["messages"][-1]["content"]


def test_summary_must_name_the_parties(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str
) -> None:
    vague = "Officials announced sanctions on some countries that would come in the coming days."
    server.push(Step(vague), *(Step(s) for s in SENTENCES))
    result = make_summarizer(strategy="assisted").summarize(article)
    assert result.meta.attempts == 4
    repair = server.requests[1]["messages"][-1]["content"]
    assert "who acts" in repair and "whom the measures target" in repair


def test_negative_article_needs_no_model(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer
) -> None:
    text = (
        "Harbourside FC midfielder Jamie Colquhoun was suspended for eight matches on Tuesday after a "
        "disciplinary commission found him guilty of violent conduct. The commission also sanctioned both "
        "clubs for failing to control their players during the derby."
    )
    result = make_summarizer(strategy="assisted").summarize(text)
    summary = result.summary
    assert not summary.is_sanctions_news and summary.actions == []
    assert server.requests == [] and result.meta.usage.calls == 0
    assert summary.summary == (
        "Harbourside FC midfielder Jamie Colquhoun was suspended for eight matches on Tuesday after "
        "a disciplinary commission found him guilty of violent conduct; the text announces no new "
        "sanctions."
    )
    assert result.meta.details["writer"] == "facts"


def test_facts_writer_never_calls_the_model(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str
) -> None:
    summarizer = make_summarizer(writer="facts")  # auto picks assisted: it needs no model
    summarizer.warm_up()
    result = summarizer.summarize(article)
    assert server.requests == [] and result.meta.usage.calls == 0 and result.meta.attempts == 0
    assert result.meta.strategy == "assisted" and result.meta.details["writer"] == "facts"
    assert result.summary.summary.startswith(
        "The United States announced sanctions on Iran, over its supply of attack drones to Russia. "
        "Separately, the National Security Council "
        "threatened sanctions against Iran and Russia. Separately, the Treasury Department "
        "announced more than 500 new sanctions on Russia, targeting those that help finance and equip "
        "its armed forces."
    )
    assert "John Kirby" in result.summary.summary


def test_auto_picks_assisted_for_embedded_and_single_for_remote() -> None:
    class Fake:
        def __init__(self, kind: str) -> None:
            self.kind = kind

    assert isinstance(resolve_strategy("auto", Fake("llamacpp")), AssistedStrategy)  # type: ignore[arg-type]
    assert isinstance(resolve_strategy("auto", Fake("openai")), SingleStrategy)  # type: ignore[arg-type]
    assert isinstance(resolve_strategy("assisted", Fake("openai")), AssistedStrategy)  # type: ignore[arg-type]
    facts = resolve_strategy("auto", Fake("openai"), writer="facts")  # type: ignore[arg-type]
    assert isinstance(facts, AssistedStrategy)


def test_message_roles_are_plain() -> None:
    assert Message("user", "x").as_dict() == {"role": "user", "content": "x"}


def test_ask_status_puts_one_constrained_question_per_action(
    server: FakeOpenAIServer, make_summarizer: MakeSummarizer, article: str
) -> None:
    server.push(
        Step('{"status": "imposed"}'),
        Step("not JSON at all"),  # an answer that does not parse keeps the rules' status
        Step('{"status": "proposed"}'),
    )
    server.default = lambda body: Step("No sentence.")
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
    assert result.meta.usage.calls == 5  # three questions, a sentence and its second try
    assert result.meta.details["writer"] == "facts"
    assert "verbs: imposed sanctions on" in server.requests[3]["messages"][1]["content"]
