"""The writer on the real embedded models: grammar-constrained decoding in llama.cpp, the model's
sentences, and the facts writer that never loads a model. Only what holds for any output of the
model is asserted (the grammar's guarantees, the documented outcomes), never one machine's tokens."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from summarizer import ConfigError, Summarizer
from summarizer.backends import LlamaCppBackend
from summarizer.backends.base import ChatRequest, Message
from summarizer.cli import main
from summarizer.extract.draft import build
from summarizer.grounding import unsupported_mentions
from summarizer.sentences import split_sentences
from summarizer.write.model import Job
from summarizer.write.story import read

pytest.importorskip("llama_cpp")
ROOT = Path(__file__).resolve().parents[1]
DEV = {
    case["id"]: case["text"]
    for case in map(json.loads, (ROOT / "evals/datasets/dev.jsonl").read_text().splitlines())
}


@pytest.mark.parametrize("model", ["local:smollm2-135m", "local:gemma-3-270m"])
def test_grammar_constrains_the_reply(model: str) -> None:
    backend = LlamaCppBackend(model)
    request = ChatRequest(
        messages=(Message("user", "Is Iran under sanctions? Answer in one word."),),
        grammar='root ::= "yes" | "no" | "partly, since " [0-9]{4}\n',
        max_tokens=12,
        temperature=0.0,
    )
    reply = backend.complete(request)
    assert re.fullmatch(r"yes|no|partly, since \d{4}", reply.text), reply.text
    sampled = backend.complete(
        ChatRequest(request.messages, grammar=request.grammar, temperature=0.9)
    )
    assert re.fullmatch(r"yes|no|partly, since \d{4}", sampled.text), sampled.text


def test_grammar_decoding_never_repeats_a_run_of_its_own_tokens() -> None:
    backend = LlamaCppBackend("local:smollm2-135m")
    request = ChatRequest(
        messages=(Message("user", "Say until until until until until until until until"),),
        grammar='root ::= ("until " | "and "){1,40} "."\n',
        max_tokens=60,
        temperature=0.0,
    )
    reply = backend.complete(request)
    tokens = backend.loaded.llama.tokenize(reply.text.encode(), add_bos=False, special=False)
    runs = [tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)]
    assert len(set(runs)) == len(runs), reply.text


def test_a_written_sentence_keeps_to_the_grammar() -> None:
    """Whatever the model writes, the grammar makes it open with who acts and a verb of the
    action's status, give the count as the article writes it, copy every name and number from
    the article, and close with the legal basis."""
    story = read(build(DEV["dev-a04"]))
    job = Job(story, 0, None, budget=420)
    summarizer = Summarizer(model="local:gemma-3-270m", strategy="assisted")
    loop = summarizer.strategy.loop(job, story, summarizer._engine)  # type: ignore[attr-defined]
    reply = summarizer.backend.complete(loop.request).text.strip()
    assert reply.startswith(tuple(job.openers())), reply
    opened = next(o for o in job.openers() if reply.startswith(o))
    assert reply[len(opened) + 1 :].startswith(tuple(job.verbs()))
    assert "three individuals and two entities" in reply
    assert reply.endswith(tuple(f"{e}." for e in job.endings())), reply
    assert unsupported_mentions(reply, story.text) == []


def test_default_path_writes_with_the_model_or_says_it_used_the_facts() -> None:
    result = Summarizer().summarize(DEV["dev-a05"])
    details = result.meta.details
    assert details["writer"] in {"model", "facts"}
    assert 1 <= result.meta.usage.calls <= 2  # one action: a sentence, and at most a second try
    assert unsupported_mentions(result.summary.summary, result.source) == []
    assert "four individuals and three entities" in result.summary.summary
    assert 1 <= len(split_sentences(result.summary.summary)) <= 4


def test_facts_writer_never_loads_the_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summarizer = Summarizer(writer="facts")
    summarizer.warm_up()
    result = summarizer.summarize(DEV["dev-a01"])
    assert isinstance(summarizer.backend, LlamaCppBackend) and summarizer.backend._loaded is None
    assert result.meta.details["writer"] == "facts" and result.meta.usage.calls == 0
    assert "11 individuals and 29 entities" in result.summary.summary
    article = tmp_path / "article.txt"
    article.write_text(DEV["dev-a04"], encoding="utf-8")
    assert main(["summarize", str(article), "--writer", "facts", "--meta"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["meta"]["details"]["writer"] == "facts"
    with pytest.raises(SystemExit) as usage:
        main(["summarize", str(article), "--writer", "poet"])
    assert usage.value.code == 2
    with pytest.raises(ConfigError, match="writer"):
        Summarizer(writer="facts", strategy="single")
