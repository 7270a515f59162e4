"""The LLM-assisted strategy for small models: rules extract, the model writes.

Deterministic extractors (:mod:`summarizer.extract`) find the actions, statuses, countries, targets,
measures, legal bases, counts, dates and officials with char offsets; the evidence is the very sentence
each action came from, so it is grounded by construction. The headline is composed from the main
action's facts in the article's own words. The model gets one narrow job: writing the summary from
the facts and the article's lead. Its text must use only names and numbers found in the article, name
the main imposer and target, and keep to the article's wording (word pairs); a reply that fails is
re-asked once, and if it still fails, an extractive summary (the article's own sentences) is used and
``meta.details`` says so.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Sequence
from functools import partial
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from summarizer import retry
from summarizer.backends.base import ChatRequest, Message
from summarizer.errors import OutputTruncated, ParseError, ValidationFailed
from summarizer.extract.draft import (
    ActionDraft,
    Draft,
    action_fields,
    build,
    stated_count,
    summary_fields,
)
from summarizer.extract.places import authorities, countries
from summarizer.grounding import bigram_support, unsupported_mentions
from summarizer.parse import format_errors
from summarizer.prompts import fence
from summarizer.schema import SanctionsSummary, Status
from summarizer.strategies.base import Engine, StrategyOutput
from summarizer.usage import Usage

SYSTEM, WRITE, REPAIR = "assisted_system.j2", "assisted_write.j2", "assisted_repair.j2"
STATUS = "assisted_status.j2"
_STATUS_SCHEMA: dict[str, Any] = {  # shared read-only: its digest is computed once
    "type": "object",
    "properties": {"status": {"enum": [s.value for s in Status]}},
    "required": ["status"],
    "additionalProperties": False,
}
#: The writer sees the article's opening (its lead carries the essentials), not all of it.
ARTICLE_CHARS = 2400
HEADLINE_CHARS, SUMMARY_CHARS = 160, 500
#: Share of the summary's word pairs that must occur in the article: paraphrase close to the
#: source, never a recombination of its words into a new claim.
MIN_BIGRAM_SUPPORT = 0.75
_MARKUP = re.compile(r"^(?:\*\*)?(?:summary|headline)\s*:\s*(?:\*\*)?\s*|</?article>\s*", re.I)
_VERBS = {
    Status.IMPOSED: "imposes sanctions on", Status.ANNOUNCED: "announces sanctions on",
    Status.THREATENED: "threatens sanctions against", Status.PROPOSED: "proposes sanctions on",
    Status.LIFTED: "lifts sanctions on", Status.EASED: "eases sanctions on", Status.EXTENDED: "extends sanctions on",
}  # fmt: skip


class Written(BaseModel):
    """The model's part of the summary."""

    summary: str = Field(min_length=20, max_length=700)


def _action_fact(group: ActionDraft, draft: Draft) -> str:
    fields = action_fields(group)
    who = group.imposer_text or group.imposer
    if group.authority and group.authority != who:
        who = f"{who} ({group.authority})"
    places = ", ".join(draft.country_names.get(code, code) for code in fields["target_countries"])
    parts = [f"{who}: {group.status.value}"]
    stated = stated_count(group)
    if stated is not None and stated.text:
        parts.append(stated.text)
    if places:
        parts.append(f"aimed at {places}")
    names = [t["name"] for t in fields["targets"][:4]]
    if names:
        parts.append("including " + ", ".join(names))
    if fields["reason"]:
        parts.append(f"for {fields['reason']}")
    if fields["legal_basis"]:
        parts.append("under " + ", ".join(fields["legal_basis"]))
    return "; ".join(parts)


def facts(draft: Draft) -> list[str]:
    """One line per extracted action, in the article's own words where possible."""
    return [_action_fact(group, draft) for group in draft.actions[:4]]


def _parse_written(raw: str, *, source: str, draft: Draft) -> Written:
    paragraphs = [p.strip() for p in raw.strip().split("\n\n") if p.strip()]
    text = (
        _MARKUP.sub("", paragraphs[0] if paragraphs else "").strip().strip('"').removeprefix("- ")
    )
    text = " ".join(text.split())
    end = text.rfind(".", 0, SUMMARY_CHARS)
    if len(text) > SUMMARY_CHARS or not text.endswith("."):
        text = text[: end + 1] if end > 40 else _trim(text, SUMMARY_CHARS)
    try:
        written = Written(summary=text)
    except ValidationError as exc:
        raise ParseError(format_errors(exc)) from None
    errors = [
        f"the summary mentions {m!r}, which is not in the article"
        for m in unsupported_mentions(text, source)
    ]
    errors += _missing_parties(text, draft)
    support = bigram_support(text, source)
    if support < MIN_BIGRAM_SUPPORT:
        errors.append(
            f"only {support:.0%} of the summary's word pairs occur in the article; stay closer to its wording"
        )
    if errors:
        raise ParseError(errors[:5])
    return written


def _missing_parties(text: str, draft: Draft) -> list[str]:
    """The summary must name the main action's imposer and one of its target countries."""
    if not draft.actions:
        return []
    group = draft.actions[0]
    found = {m.code for m in authorities(text)} | {m.code for m in countries(text)}
    errors = []
    if group.imposer not in found:
        errors.append(
            f"the summary must say who imposes the measures ({group.imposer_text or group.imposer})"
        )
    if group.program and not group.program & found:
        names = ", ".join(draft.country_names.get(c, c) for c in sorted(group.program))
        errors.append(f"the summary must say whom the measures target ({names})")
    return errors


_DATELINE = re.compile(
    r"^[A-Z][A-Z .,/'-]{2,40}(?:,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4})?\s+[\u2014\u2013-]+\s+"
)


def _trim(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:")


def headline(draft: Draft) -> str:
    """A neutral headline from the main action's facts, in the article's words; the article's own
    title line, or its first sentence, when there is no action."""
    if not draft.actions:
        first = draft.sentences[0].text if draft.sentences else draft.text
        return _trim(_DATELINE.sub("", first), HEADLINE_CHARS)
    group = draft.actions[0]
    fields = action_fields(group)
    who = group.imposer_text or group.authority or group.imposer
    who = who[:1].upper() + who[1:]
    whom = [draft.country_names.get(code, code) for code in group.program] or [
        t["name"] for t in fields["targets"][:2]
    ]
    stated = stated_count(group)
    count = f"{stated.text} in " if stated and stated.text else ""
    text = f"{who} {_VERBS[group.status]} {count}{', '.join(sorted(whom)[:3]) or 'new targets'}"
    if fields["reason"] and len(text) + len(fields["reason"]) < HEADLINE_CHARS - 6:
        text += f" for {fields['reason']}"
    return _trim(text, HEADLINE_CHARS)


def _statement(group: ActionDraft) -> str:
    """The first full sentence of an action (not a title line)."""
    return next(
        (s.text for s in group.sentences if s.text[-1] in '.!?"\u201d'), group.sentences[0].text
    )


def extractive(draft: Draft) -> Written:
    """A summary made of the article's own sentences (the fallback writer)."""
    lead = [_DATELINE.sub("", _statement(g)) for g in draft.actions[:2]]
    body = [s.text for s in draft.sentences[:6] if len(s.text) > 40 and s.text[-1] in '.!?"\u201d']
    lead = lead or [_DATELINE.sub("", text) for text in body][:2]
    return Written(
        summary=(
            _trim(" ".join(dict.fromkeys(lead)), SUMMARY_CHARS) or _trim(draft.text, SUMMARY_CHARS)
        ).ljust(20)
    )


_WARM_UP = (
    "The European Union imposed an asset freeze on 12 people over the war in Ukraine "
    "on 3 March 2025, the Council said."
)


def _squeeze(text: str) -> str:
    """Runs of spaces (left where passages were blanked) as one space."""
    return re.sub(r" {2,}", " ", text)


class AssistedStrategy:
    """Rules extract every field; the model writes the headline and summary from the facts."""

    name = "assisted"
    templates: tuple[str, ...] = (SYSTEM, WRITE, REPAIR, STATUS)

    def prepare(self, engine: Engine) -> None:
        engine.prompts.load(self.templates)
        build(_WARM_UP)  # loads the extractors' name and place tables (~0.3 s)

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

    def _loop(self, draft: Draft, engine: Engine) -> retry.ReaskLoop[Written]:
        config = engine.config
        system = engine.prompts.render(SYSTEM)
        user = engine.prompts.render(
            WRITE, facts=facts(draft), article=fence(_trim(_squeeze(draft.text), ARTICLE_CHARS))
        )
        request = ChatRequest(
            messages=(Message("system", system), Message("user", user)),
            max_tokens=min(config.max_tokens, 160),
            temperature=config.temperature,
            seed=config.seed,
        )
        return retry.ReaskLoop(
            request=request,
            parse=partial(_parse_written, source=draft.text, draft=draft),
            repair=partial(self._repair, engine),
            max_reasks=min(config.max_reasks, 1),
            accept_truncated=True,  # base models run on past the summary; the parser cuts it
            max_tokens_ceiling=800,
        )

    def _repair(self, engine: Engine, raw: str, errors: list[str]) -> Sequence[Message]:
        return (Message("user", engine.prompts.render(REPAIR, errors=errors)),)

    def _finish(
        self,
        draft: Draft,
        written: Written,
        writer: str,
        usage: Usage,
        attempts: int,
        cache_hit: bool,
    ) -> StrategyOutput:
        fields = summary_fields(draft)
        fields.update(headline=headline(draft), summary=written.summary)
        summary = SanctionsSummary.model_validate(fields, context={"source": draft.text})
        details = {"writer": writer, "extracted_actions": len(draft.actions)}
        return StrategyOutput(summary, attempts, usage, cache_hit, details)

    def run(self, text: str, engine: Engine) -> StrategyOutput:
        draft = build(text)
        asked = self._ask_statuses(draft, engine) if engine.config.ask_status else Usage()
        loop = self._loop(draft, engine)
        loop.usage.add(asked)
        try:
            outcome = retry.run(engine.backend, loop, engine.policy)
        except (ValidationFailed, OutputTruncated):
            return self._finish(
                draft, extractive(draft), "extractive", loop.usage, loop.attempts, False
            )
        return self._finish(
            draft, outcome.value, "model", outcome.usage, outcome.attempts, outcome.cache_hit
        )

    async def arun(self, text: str, engine: Engine) -> StrategyOutput:
        draft = build(text)
        asked = Usage()
        if engine.config.ask_status:
            asked = await asyncio.to_thread(self._ask_statuses, draft, engine)
        loop = self._loop(draft, engine)
        loop.usage.add(asked)
        try:
            outcome = await retry.arun(engine.backend, loop, engine.policy)
        except (ValidationFailed, OutputTruncated):
            return self._finish(
                draft, extractive(draft), "extractive", loop.usage, loop.attempts, False
            )
        return self._finish(
            draft, outcome.value, "model", outcome.usage, outcome.attempts, outcome.cache_hit
        )
