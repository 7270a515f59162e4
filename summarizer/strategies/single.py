"""The single-pass strategy: one prompt asks the model to fill the whole schema (strong models)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import partial
from typing import Any

import pycountry

from summarizer import retry
from summarizer.backends.base import ChatRequest, Message
from summarizer.errors import InputError
from summarizer.parse import parse_model
from summarizer.schema import (
    CountQualifier,
    Measure,
    SanctionsSummary,
    Status,
    TargetKind,
    output_schema,
)
from summarizer.strategies.base import Engine, StrategyOutput

SYSTEM, USER, REPAIR = "single_system.j2", "single_user.j2", "single_repair.j2"


def fence(text: str) -> str:
    """The article as data inside ``<article>`` tags: a closing tag in the text cannot end the fence."""
    return text.replace("</article>", "</ article>").replace("<article>", "< article>")


def _vocabulary() -> dict[str, list[str]]:
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


def _with_code_enums(schema: dict[str, Any]) -> dict[str, Any]:
    """Constrain jurisdiction and country fields to valid codes, so a grammar cannot emit others."""
    countries = sorted(str(c.alpha_2) for c in pycountry.countries)
    defs = schema["$defs"]
    defs["SanctionAction"]["properties"]["imposer"] = {"enum": [*countries, "EU", "UN"]}
    defs["SanctionAction"]["properties"]["target_countries"]["items"] = {"enum": countries}
    defs["Target"]["properties"]["country"] = {"anyOf": [{"enum": countries}, {"type": "null"}]}
    return schema


class SingleStrategy:
    """One request fills :class:`SanctionsSummary`; validation errors are re-asked."""

    name = "single"
    templates: tuple[str, ...] = (SYSTEM, USER, REPAIR)

    def _schema(self, engine: Engine) -> dict[str, Any]:
        if engine.backend.kind == "llamacpp":  # small embedded models loop on long lists
            return _with_code_enums(output_schema(max_actions=3, max_targets=8, max_officials=3))
        return output_schema()

    def _loop(self, text: str, engine: Engine) -> retry.ReaskLoop[SanctionsSummary]:
        schema = self._schema(engine)
        in_prompt = (
            "" if engine.backend.enforces_schema else json.dumps(schema, separators=(",", ":"))
        )
        system = engine.prompts.render(SYSTEM, schema=in_prompt, **_vocabulary())
        user = engine.prompts.render(USER, article=fence(text))
        config = engine.config
        window = engine.backend.context_window
        if window is not None:
            needed = engine.backend.count_tokens(system + "\n" + user) + config.max_tokens
            if needed > window:
                raise InputError(
                    f"the article needs about {needed:,} tokens with the prompt and reply, over the "
                    f"model's context window of {window:,}",
                    hint="shorten the article, raise n_ctx, or use a model with a larger context",
                )
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
            max_tokens_ceiling=_ceiling(config.max_tokens, window),
        )

    def _repair(self, engine: Engine, raw: str, errors: list[str]) -> Sequence[Message]:
        return (Message("user", engine.prompts.render(REPAIR, errors=errors)),)

    def run(self, text: str, engine: Engine) -> StrategyOutput:
        outcome = retry.run(engine.backend, self._loop(text, engine), engine.policy)
        return StrategyOutput(outcome.value, outcome.attempts, outcome.usage, outcome.cache_hit)

    async def arun(self, text: str, engine: Engine) -> StrategyOutput:
        outcome = await retry.arun(engine.backend, self._loop(text, engine), engine.policy)
        return StrategyOutput(outcome.value, outcome.attempts, outcome.usage, outcome.cache_hit)
