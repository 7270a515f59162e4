"""The LLM-assisted strategy for small models: rules extract, the model writes.

Deterministic extractors (:mod:`summarizer.extract`) find the actions, statuses, countries, targets,
measures, legal bases, counts, dates and officials with char offsets; the evidence is the very sentence
each action came from, so it is grounded by construction. The headline is composed from the main
action's facts in the article's own words. The model gets one narrow job per action: one sentence
from that action's facts and the sentence that announces it (see :mod:`summarizer.write.model`).
A sentence that fails the checks is re-asked once; if it still fails, the summary is composed from
the facts (:mod:`summarizer.write.compose`), and ``meta.details["writer"]`` says which. With
``writer="facts"`` the model is never called.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from summarizer import retry
from summarizer.backends.base import ChatRequest, Message
from summarizer.errors import OutputTruncated, ValidationFailed
from summarizer.extract.draft import Draft, build, summary_fields
from summarizer.prompts import fence
from summarizer.schema import SanctionsSummary, Status
from summarizer.strategies.base import Engine, StrategyOutput
from summarizer.usage import Usage
from summarizer.write.compose import (
    SENTENCE_CHARS,
    SUMMARY_CHARS,
    closed,
    compose,
    headline,
    wording,
)
from summarizer.write.model import Job
from summarizer.write.story import Story, read

SYSTEM, WRITE, REPAIR = "assisted_system.j2", "assisted_write.j2", "assisted_repair.j2"
STATUS = "assisted_status.j2"
_STATUS_SCHEMA: dict[str, Any] = {  # shared read-only: its digest is computed once
    "type": "object",
    "properties": {"status": {"enum": [s.value for s in Status]}},
    "required": ["status"],
    "additionalProperties": False,
}
#: Tokens a sentence may take (a budget of 420 characters is about 110 tokens).
SENTENCE_TOKENS = 200
_WARM_UP = (
    "The European Union imposed an asset freeze on 12 people over the war in Ukraine "
    "on 3 March 2025, the Council said."
)


def _squeeze(text: str) -> str:
    """Runs of spaces (left where passages were blanked) as one space."""
    return " ".join(text.split(" ")).replace("  ", " ")


@dataclass
class _Writing:
    """The model writing a story's sentences one action at a time, and what it cost."""

    story: Story
    engine: Engine
    strategy: AssistedStrategy
    sentences: list[str] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    attempts: int = 0
    cache_hits: int = 0
    failure: ValidationFailed | OutputTruncated | None = None

    def loops(self) -> Iterator[retry.ReaskLoop[str]]:
        """A loop per action, each built once the sentence before it is written; a sentence that
        fails gets one stricter second try (unless ``max_reasks`` is 0), and if that fails too,
        the writing stops."""
        budget = min(SENTENCE_CHARS, SUMMARY_CHARS // len(self.story.actions))
        for index in range(len(self.story.actions)):
            job = Job(self.story, index, self.sentences[-1] if index else None, budget)
            yield self.strategy.loop(job, self.story, self.engine)
            if self.failure is not None and self.engine.config.max_reasks > 0:
                yield self.strategy.loop(job.stricter(), self.story, self.engine, self.failure)
            if self.failure is not None:
                return

    def take(self, outcome: retry.Outcome[str]) -> None:
        """Keep a sentence that passed the checks, and what it cost."""
        self.sentences.append(outcome.value)
        self.usage.add(outcome.usage)
        self.attempts += outcome.attempts
        self.cache_hits += outcome.cache_hit
        self.failure = None

    def fail(self, error: ValidationFailed | OutputTruncated) -> None:
        """Record a failed try (its cost counts too)."""
        usage = error.usage or Usage()
        self.usage.add(usage)
        self.attempts += error.attempts if isinstance(error, ValidationFailed) else usage.calls
        self.failure = error

    @property
    def errors(self) -> list[str]:
        error = self.failure
        return (
            error.errors[:3]
            if isinstance(error, ValidationFailed)
            else [str(error)]
            if error
            else []
        )

    @property
    def done(self) -> bool:
        return len(self.sentences) == len(self.story.actions)


class AssistedStrategy:
    """Rules extract every field; the model writes the summary one sentence per action."""

    name = "assisted"
    templates: tuple[str, ...] = (SYSTEM, WRITE, REPAIR, STATUS)

    def prepare(self, engine: Engine) -> None:
        engine.prompts.load(self.templates)
        wording()
        build(_WARM_UP)  # loads the extractors' name and place tables

    def needs_model(self, config: Any) -> bool:
        """Whether articles will call the model (not with ``writer="facts"``)."""
        return bool(config.writer != "facts" or config.ask_status)

    def _ask_statuses(self, draft: Draft, engine: Engine) -> Usage:
        """Replace each action's rule status by the model's answer to one constrained question
        (``config.ask_status``); an answer that does not parse keeps the rule's status."""
        usage = Usage()
        for group in draft.actions:
            prompt = engine.prompts.render(
                STATUS,
                sentence=_squeeze(group.sentences[0].text),
                imposer=group.imposer_text or group.imposer,
                statuses=[s.value for s in Status],
            )
            request = ChatRequest(
                messages=(Message("user", prompt),),
                json_schema=_STATUS_SCHEMA,
                schema_name="status",
                max_tokens=16,
                temperature=0.0,
                seed=engine.config.seed,
            )
            completion = retry.call(engine.backend, request, engine.policy)
            usage.add(completion.usage)
            try:
                group.status = Status(json.loads(completion.text)["status"])
            except (ValueError, KeyError, TypeError):
                continue
        return usage

    def loop(
        self,
        job: Job,
        story: Story,
        engine: Engine,
        failed: ValidationFailed | OutputTruncated | None = None,
    ) -> retry.ReaskLoop[str]:
        """The loop that writes one sentence (one call: the second try is a stricter job, with
        the first reply and what was wrong with it)."""
        config = engine.config
        context = job.context()
        context["sentence"] = fence(_squeeze(job.source()))
        messages = [
            Message("system", engine.prompts.render(SYSTEM)),
            Message("user", engine.prompts.render(WRITE, **context)),
        ]
        if isinstance(failed, ValidationFailed):
            messages += [
                Message("assistant", failed.last_raw),
                *self._repair(engine, failed.errors),
            ]
        request = ChatRequest(
            messages=tuple(messages),
            grammar=job.grammar(),
            max_tokens=min(config.max_tokens, SENTENCE_TOKENS),
            temperature=config.temperature,
            seed=config.seed,
            stop=("\n",),
        )
        return retry.ReaskLoop(
            request=request,
            parse=partial(job.parse, source=story.text),
            repair=lambda raw, errors: self._repair(engine, errors),
            max_reasks=0,
            max_tokens_ceiling=SENTENCE_TOKENS,
        )

    def _repair(self, engine: Engine, errors: list[str]) -> Sequence[Message]:
        return (Message("user", engine.prompts.render(REPAIR, errors=errors)),)

    def _finish(
        self, draft: Draft, story: Story, writing: _Writing | None, asked: Usage
    ) -> StrategyOutput:
        """The summary: the model's sentences when every action got one, else the facts'."""
        fields = summary_fields(draft)
        written = writing is not None and writing.done
        text = " ".join(writing.sentences) if writing is not None and written else compose(story)
        fields.update(headline=headline(story), summary=closed(story, text))
        summary = SanctionsSummary.model_validate(fields, context={"source": draft.text})
        details: dict[str, Any] = {
            "writer": "model" if written else "facts",
            "extracted_actions": len(draft.actions),
            # the ids of the rules behind each action, for the eval's per-rule error counts
            "rules": [list(action.rules) for action in draft.actions][: len(summary.actions)],
        }
        if draft.notes:  # what was cut to fit the schema's bounds
            details["notes"] = list(draft.notes)
        usage, attempts, cache_hit = asked, 0, False
        if writing is not None:
            usage.add(writing.usage)
            attempts = writing.attempts
            cache_hit = written and writing.cache_hits == len(writing.sentences)
            if writing.failure is not None:
                details["writer_errors"] = writing.errors
        return StrategyOutput(summary, attempts, usage, cache_hit, details)

    def _writing(self, story: Story, engine: Engine) -> _Writing | None:
        """The model's writing of the story; None when the facts writer does it alone."""
        if engine.config.writer == "facts" or not story.actions:
            return None
        return _Writing(story, engine, self)

    def run(self, text: str, engine: Engine) -> StrategyOutput:
        draft = build(text)
        asked = self._ask_statuses(draft, engine) if engine.config.ask_status else Usage()
        story = read(draft)
        writing = self._writing(story, engine)
        if writing is not None:
            for loop in writing.loops():
                try:
                    writing.take(retry.run(engine.backend, loop, engine.policy))
                except (ValidationFailed, OutputTruncated) as exc:
                    writing.fail(exc)
        return self._finish(draft, story, writing, asked)

    async def arun(self, text: str, engine: Engine) -> StrategyOutput:
        draft = build(text)
        asked = Usage()
        if engine.config.ask_status:
            asked = await asyncio.to_thread(self._ask_statuses, draft, engine)
        story = read(draft)
        writing = self._writing(story, engine)
        if writing is not None:
            for loop in writing.loops():
                try:
                    writing.take(await retry.arun(engine.backend, loop, engine.policy))
                except (ValidationFailed, OutputTruncated) as exc:
                    writing.fail(exc)
        return self._finish(draft, story, writing, asked)
