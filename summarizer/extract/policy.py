"""Default measures as data: ``rules/policy.toml`` says what an action implies (a US designation
blocks property; an EU or UK listing freezes assets, and bans travel where the text says so)."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files
from typing import Any

from summarizer.extract.rules import RuleError
from summarizer.schema import Measure, Status

#: The statuses a policy applies to when it names none: those that put measures in place.
DEFAULT_STATUSES = ("imposed", "extended")


@dataclass(frozen=True)
class Facts:
    """What a policy looks at: one action's imposer, legal bases, targets and measures so far, and
    the measures the whole text names."""

    imposer: str
    legal_basis: Sequence[str]
    targets: int
    measures: Sequence[Measure]
    text_measures: Sequence[Measure] = ()
    status: Status = Status.IMPOSED
    count: int = 0


@dataclass(frozen=True)
class Policy:
    """One default-measures policy (see ``rules/policy.toml`` for the fields)."""

    id: str
    table: tuple[tuple[str, Any], ...]

    def _get(self, key: str, default: Any = None) -> Any:
        return dict(self.table).get(key, default)

    def applies(self, facts: Facts) -> bool:
        """True when every condition of the policy holds for ``facts``."""
        imposers, others = self._get("imposer"), self._get("imposer_not", [])
        legal_any, legal_none = self._get("legal_any"), self._get("legal_none", [])
        checks = (
            facts.status.value in self._get("status", DEFAULT_STATUSES),
            imposers is None or facts.imposer in imposers,
            facts.imposer not in others,
            legal_any is None or any(p in b for b in facts.legal_basis for p in legal_any),
            not any(b.startswith(p) for b in facts.legal_basis for p in legal_none),
            not self._get("lists") or facts.targets > 0 or facts.count > 0,
            self._get("text_has") is None or self._get("text_has") in facts.text_measures,
            not any(m in facts.measures for m in self._get("lacks", [])),
        )
        return all(checks)

    def apply(self, measures: list[Measure]) -> list[Measure]:
        """The measures after this policy's effect."""
        if self._get("set") is not None:
            return [Measure(m) for m in self._get("set")]
        before = [Measure(m) for m in self._get("prepend", []) if m not in measures]
        after = [Measure(m) for m in self._get("append", []) if m not in measures]
        return [*before, *measures, *after]

    @property
    def final(self) -> bool:
        return bool(self._get("final", False))

    @property
    def examples(self) -> list[dict[str, Any]]:
        return list(self._get("examples", []))


@cache
def policies() -> tuple[Policy, ...]:
    """The policies of ``rules/policy.toml``, in file order."""
    path = files("summarizer.extract").joinpath("rules", "policy.toml")
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("policy", [])
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"summarizer/extract/rules/policy.toml: {exc}") from None
    return tuple(Policy(str(e["id"]), tuple(e.items())) for e in entries)


def default_measures(facts: Facts) -> tuple[list[Measure], list[str]]:
    """The action's measures after the policies, and the ids of those that changed them."""
    measures, fired = list(facts.measures), []
    for policy in policies():
        current = replace(facts, measures=measures)
        if not policy.applies(current):
            continue
        changed = policy.apply(measures)
        if changed != measures:
            fired.append(policy.id)
        measures = changed
        if policy.final:
            break
    return measures, fired
