"""The single-pass strategy: one prompt asks the model to fill the whole schema (strong models)."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any

import pycountry

from summarizer import retry
from summarizer.backends.base import ChatRequest, Message
from summarizer.errors import InputError
from summarizer.ingest import chunk
from summarizer.merge import merge
from summarizer.parse import parse_model
from summarizer.prompts import fence
from summarizer.schema import (
    CountQualifier,
    Measure,
    SanctionsSummary,
    Status,
    TargetKind,
    output_schema,
)
from summarizer.strategies.base import Engine, StrategyOutput
from summarizer.usage import Usage

SYSTEM, USER, REPAIR = "single_system.j2", "single_user.j2", "single_repair.j2"


@functools.cache
def _vocabulary() -> dict[str, list[str]]:
    """The enum values the system prompt lists (read-only, built once)."""
    return {
        "statuses": [s.value for s in Status],
        "measures": [m.value for m in Measure],
        "kinds": [k.value for k in TargetKind],
        "qualifiers": [q.value for q in CountQualifier],
    }


def _ceiling(max_tokens: int, window: int | None) -> int:
    """The largest reply budget a truncated reply may be retried with: twice the budget, within reason."""
    grown = 2 * max_tokens
    return grown if window is None else max(max_tokens, min(grown, window // 2))


def _cap_strings(node: Any, cap: int) -> None:
    if isinstance(node, dict):
        if node.get("type") == "string" and "enum" not in node:
            node["maxLength"] = min(node.get("maxLength", cap), cap)
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for name, sub in value.items():
                    _cap_strings(sub, 400 if name == "summary" else cap)
            else:
                _cap_strings(value, cap)
    elif isinstance(node, list):
        for item in node:
            _cap_strings(item, cap)


def _small_model_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Tighter bounds for a grammar: valid codes only, short strings, two quotes an action."""
    schema = _with_code_enums(schema)
    _cap_strings(schema, 160)
    schema["$defs"]["SanctionAction"]["properties"]["evidence"]["maxItems"] = 2
    return schema


def _with_code_enums(schema: dict[str, Any]) -> dict[str, Any]:
    """Constrain jurisdiction and country fields to valid codes, so a grammar cannot emit others."""
    countries = sorted(str(c.alpha_2) for c in pycountry.countries)
    defs = schema["$defs"]
    defs["SanctionAction"]["properties"]["imposer"] = {"enum": [*countries, "EU", "UN"]}
    defs["SanctionAction"]["properties"]["target_countries"]["items"] = {"enum": countries}
    defs["Target"]["properties"]["country"] = {"anyOf": [{"enum": countries}, {"type": "null"}]}
    return schema


@functools.cache
def _shared_schema(*, small: bool) -> dict[str, Any]:
    """The schema a model fills, built once per process and shared read-only by every request."""
    if small:  # small embedded models loop on long lists
        return _small_model_schema(output_schema(max_actions=2, max_targets=6, max_officials=2))
    return output_schema()


class SingleStrategy:
    """One request fills :class:`SanctionsSummary`; validation errors are re-asked."""

    name = "single"
    templates: tuple[str, ...] = (SYSTEM, USER, REPAIR)

    def prepare(self, engine: Engine) -> None:
        engine.prompts.load(self.templates)
        self._schema(engine)
        _vocabulary()

    def _schema(self, engine: Engine) -> dict[str, Any]:
        return _shared_schema(small=engine.backend.kind == "llamacpp")

    def _prompts(self, text: str, engine: Engine) -> tuple[str, str, dict[str, Any]]:
        schema = self._schema(engine)
        in_prompt = (
            "" if engine.backend.enforces_schema else json.dumps(schema, separators=(",", ":"))
        )
        system = engine.prompts.render(SYSTEM, schema=in_prompt, **_vocabulary())
        return system, engine.prompts.render(USER, article=fence(text)), schema

    def _pieces(self, text: str, engine: Engine) -> list[str]:
        """The article, or its chunks when it does not fit the model's context window."""
        window = engine.backend.context_window
        if window is None:
            return [text]
        system, user, _ = self._prompts(text, engine)
        needed = engine.backend.count_tokens(system + "\n" + user) + engine.config.max_tokens
        if needed <= window:
            return [text]
        overhead = engine.backend.count_tokens(
            system + "\n" + engine.prompts.render(USER, article="")
        )
        budget = window - overhead - engine.config.max_tokens - 16
        if not engine.config.chunking or budget < 256:
            raise InputError(
                f"the article needs about {needed:,} tokens with the prompt and reply, over the "
                f"model's context window of {window:,}",
                hint="enable chunking, shorten the article, raise n_ctx, or use a model with a larger context",
            )
        return [piece.text for piece in chunk(text, budget, engine.backend.count_tokens)]

    def _loop(self, text: str, engine: Engine) -> retry.ReaskLoop[SanctionsSummary]:
        system, user, schema = self._prompts(text, engine)
        config = engine.config
        request = ChatRequest(
            messages=(Message("system", system), Message("user", user)),
            json_schema=schema,
            schema_name="sanctions_summary",
            max_tokens=config.max_tokens,
            temperature=config.temperature,
            seed=config.seed,
        )
        return retry.ReaskLoop(
            request=request,
            parse=partial(parse_model, model=SanctionsSummary, source=text),
            repair=partial(self._repair, engine),
            max_reasks=config.max_reasks,
            max_tokens_ceiling=_ceiling(config.max_tokens, engine.backend.context_window),
        )

    @staticmethod
    def _combine(text: str, outcomes: Sequence[retry.Outcome[SanctionsSummary]]) -> StrategyOutput:
        """One output from the chunks' outcomes (the last one's usage counts them all)."""
        summary = (
            outcomes[0].value if len(outcomes) == 1 else merge([o.value for o in outcomes], text)
        )
        details = {"chunks": len(outcomes)} if len(outcomes) > 1 else {}
        return StrategyOutput(summary, sum(o.attempts for o in outcomes), outcomes[-1].usage,
                              all(o.cache_hit for o in outcomes), details)  # fmt: skip

    def _repair(self, engine: Engine, raw: str, errors: list[str]) -> Sequence[Message]:
        return (Message("user", engine.prompts.render(REPAIR, errors=errors)),)

    def _loops(self, text: str, engine: Engine) -> Iterator[retry.ReaskLoop[SanctionsSummary]]:
        """One loop per piece of the article, each made once the one before has finished: it
        starts from what they spent, so an error on any piece reports the article's whole usage."""
        spent = Usage()
        for piece in self._pieces(text, engine):
            loop = self._loop(piece, engine)
            loop.add_usage(spent)
            yield loop
            spent = loop.usage

    def run(self, text: str, engine: Engine) -> StrategyOutput:
        outcomes = [
            retry.run(engine.backend, loop, engine.policy) for loop in self._loops(text, engine)
        ]
        return self._combine(text, outcomes)

    async def arun(self, text: str, engine: Engine) -> StrategyOutput:
        outcomes = [
            await retry.arun(engine.backend, loop, engine.policy)
            for loop in self._loops(text, engine)
        ]
        return self._combine(text, outcomes)
