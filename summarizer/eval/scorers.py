"""One small scorer per field: each turns one article's prediction into tallies (see docs/metrics.md).

A scorer is an object with ``evaluate(ctx) -> dict[str, Tally]``, like pydantic_evals' evaluators:
easy to add, test and explain one at a time. :func:`score_case` runs them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Protocol

from summarizer import SanctionAction, SanctionsSummary
from summarizer.eval.align import align_actions, match_names
from summarizer.eval.dataset import Case
from summarizer.eval.metrics import Tally
from summarizer.grounding import align, mention_in_source, mentions, occurs

MISSING = "(none)"
#: Optional action fields whose presence is compared between aligned actions.
OPTIONAL_FIELDS = (
    "authority",
    "reason",
    "target_count",
    "effective_date",
    "legal_basis",
    "measures",
)


@dataclass(frozen=True)
class Context:
    """What every scorer sees: the labelled case and the prediction (None = no valid output)."""

    case: Case
    prediction: SanctionsSummary | None

    @property
    def failed(self) -> bool:
        return self.prediction is None

    @property
    def predicted(self) -> list[SanctionAction]:
        return list(self.prediction.actions) if self.prediction else []

    @property
    def gold(self) -> list[SanctionAction]:
        return list(self.case.gold.actions)

    @cached_property
    def pairs(self) -> list[tuple[int, int]]:
        """Aligned (predicted index, gold index) action pairs."""
        return align_actions(self.predicted, self.gold)


class Scorer(Protocol):
    """Tallies of one field for one article."""

    def evaluate(self, ctx: Context) -> dict[str, Tally]: ...


def f1_tallies(name: str, tp: int, predicted: int, gold: int) -> dict[str, Tally]:
    """``<name>_f1``, ``_precision`` and ``_recall`` from true positives and the two counts."""
    return {
        f"{name}_f1": Tally(2 * tp, predicted + gold),
        f"{name}_precision": Tally(tp, predicted, other=gold),
        f"{name}_recall": Tally(tp, gold, other=predicted),
    }


def rate(hit: int, total: int) -> Tally:
    return Tally(int(hit), int(total))


class SchemaValid:
    def evaluate(self, ctx: Context) -> dict[str, Tally]:
        return {"schema_valid_rate": rate(not ctx.failed, 1)}


class IsSanctions:
    def evaluate(self, ctx: Context) -> dict[str, Tally]:
        right = ctx.prediction is not None and (
            ctx.prediction.is_sanctions_news == ctx.case.gold.is_sanctions_news
        )
        return {"is_sanctions_accuracy": rate(right, 1)}


class Actions:
    def evaluate(self, ctx: Context) -> dict[str, Tally]:
        return f1_tallies("actions", len(ctx.pairs), len(ctx.predicted), len(ctx.gold))


class Status:
    def evaluate(self, ctx: Context) -> dict[str, Tally]:
        p, g = ctx.predicted, ctx.gold
        same = sum(p[i].status == g[j].status for i, j in ctx.pairs)
        return {
            **f1_tallies("status", same, len(p), len(g)),
            "status_accuracy": rate(same, len(ctx.pairs)),
        }


@dataclass(frozen=True)
class PairSet:
    """Micro F1 over ``(imposer, value)`` pairs of a list field of the actions."""

    field: str

    def _pairs(self, actions: Iterable[SanctionAction]) -> set[tuple[str, str]]:
        return {(a.imposer, str(v)) for a in actions for v in getattr(a, self.field)}

    def evaluate(self, ctx: Context) -> dict[str, Tally]:
        p, g = self._pairs(ctx.predicted), self._pairs(ctx.gold)
        return f1_tallies(self.field, len(p & g), len(p), len(g))


class LegalBasis:
    @staticmethod
    def _refs(actions: Iterable[SanctionAction]) -> set[str]:
        return {" ".join(item.lower().split()) for a in actions for item in a.legal_basis}

    def evaluate(self, ctx: Context) -> dict[str, Tally]:
        p, g = self._refs(ctx.predicted), self._refs(ctx.gold)
        return f1_tallies("legal_basis", len(p & g), len(p), len(g))


def _names_f1(name: str, predicted: Sequence[str], gold: Sequence[str]) -> dict[str, Tally]:
    p, g = list(dict.fromkeys(predicted)), list(dict.fromkeys(gold))
    return f1_tallies(name, len(match_names(p, g)), len(p), len(g))


class Targets:
    def evaluate(self, ctx: Context) -> dict[str, Tally]:
        predicted = [t.name for a in ctx.predicted for t in a.targets]
        return _names_f1("targets", predicted, [t.name for a in ctx.gold for t in a.targets])


class Officials:
    def evaluate(self, ctx: Context) -> dict[str, Tally]:
        predicted = [o.name for o in ctx.prediction.officials] if ctx.prediction else []
        return _names_f1("officials", predicted, [o.name for o in ctx.case.gold.officials])


class Count:
    def evaluate(self, ctx: Context) -> dict[str, Tally]:
        p, g = ctx.predicted, ctx.gold
        by_gold = {j: i for i, j in ctx.pairs}
        counted = [j for j, action in enumerate(g) if action.target_count is not None]
        right = sum(
            j in by_gold and p[by_gold[j]].target_count == g[j].target_count for j in counted
        )
        return {"count_accuracy": rate(right, len(counted))}


class Grounding:
    def evaluate(self, ctx: Context) -> dict[str, Tally]:
        quotes = [q for a in ctx.predicted for q in a.evidence]
        found = sum(align(q, ctx.case.text).grounded for q in quotes)
        return {"grounding_rate": rate(found, len(quotes))}


class SummaryText:
    def evaluate(self, ctx: Context) -> dict[str, Tally]:
        facts = ctx.case.gold.summary_facts
        if ctx.prediction is None:
            return {"summary_faithfulness": rate(0, 0), "summary_fact_recall": rate(0, len(facts))}
        written = f"{ctx.prediction.headline}\n{ctx.prediction.summary}"
        found = mentions(written)
        return {
            "summary_faithfulness": rate(
                sum(mention_in_source(m, ctx.case.text) for m in found), len(found)
            ),
            "summary_fact_recall": rate(sum(occurs(f, written) for f in facts), len(facts)),
        }


def _has(value: object) -> bool:
    return value not in (None, [], "")


class OptionalFields:
    """Hallucinated (predicted where gold has none) and omitted (missing where gold has one) values
    of the optional fields, over aligned actions and the article's ``published_date``; valid
    outputs only (a failed run is counted by ``schema_valid_rate``)."""

    def evaluate(self, ctx: Context) -> dict[str, Tally]:
        names = ("published_date", *OPTIONAL_FIELDS)
        out = {f"{kind}.{name}": Tally() for kind in ("hallucinated", "omitted") for name in names}
        if ctx.prediction is None:
            return out
        items = [("published_date", ctx.prediction.published_date, ctx.case.gold.published_date)]
        for i, j in ctx.pairs:
            p, g = ctx.predicted[i], ctx.gold[j]
            items += [(name, getattr(p, name), getattr(g, name)) for name in OPTIONAL_FIELDS]
        for name, p_value, g_value in items:
            kind = "omitted" if _has(g_value) else "hallucinated"
            wrong = _has(p_value) != _has(g_value)
            out[f"{kind}.{name}"] += rate(wrong, 1)
        return out


SCORERS: tuple[Scorer, ...] = (
    SchemaValid(),
    IsSanctions(),
    Actions(),
    Status(),
    PairSet("target_countries"),
    PairSet("measures"),
    LegalBasis(),
    Targets(),
    Officials(),
    Count(),
    Grounding(),
    SummaryText(),
    OptionalFields(),
)


@dataclass
class CaseScore:
    """One run of one article: tallies, status confusion pairs and rule hits."""

    id: str
    tallies: dict[str, Tally] = field(default_factory=dict)
    confusion: list[tuple[str, str]] = field(default_factory=list)
    rules: dict[str, list[int]] | None = None  # None: the run carries no rule data


def status_pairs(ctx: Context) -> list[tuple[str, str]]:
    """(gold status, predicted status) per aligned pair, with ``(none)`` for misses and extras."""
    p, g = ctx.predicted, ctx.gold
    matched_p, matched_g = {i for i, _ in ctx.pairs}, {j for _, j in ctx.pairs}
    found = [(g[j].status.value, p[i].status.value) for i, j in ctx.pairs]
    found += [(a.status.value, MISSING) for j, a in enumerate(g) if j not in matched_g]
    found += [(MISSING, a.status.value) for i, a in enumerate(p) if i not in matched_p]
    return found


def rule_hits(ctx: Context, rules: Sequence[Sequence[str]]) -> dict[str, list[int]]:
    """Per rule id: ``[matched, unmatched, status_right]`` over the predicted actions it produced."""
    by_pred = dict(ctx.pairs)
    hits: dict[str, list[int]] = {}
    for i, ids in enumerate(rules):
        j = by_pred.get(i)
        right = j is not None and ctx.predicted[i].status == ctx.gold[j].status
        for rule in dict.fromkeys(ids):
            counts = hits.setdefault(rule, [0, 0, 0])
            counts[0 if j is not None else 1] += 1
            counts[2] += right
    return hits


def score_case(
    case: Case, prediction: SanctionsSummary | None, rules: Sequence[Sequence[str]] | None = None
) -> CaseScore:
    """Tallies of one run of one article; ``prediction`` None means no valid output, ``rules`` the
    rule ids behind each predicted action (``meta.details["rules"]``) when known."""
    ctx = Context(case, prediction)
    tallies: dict[str, Tally] = {}
    for scorer in SCORERS:
        tallies.update(scorer.evaluate(ctx))
    stamp = {"runs": 1, "failed": int(ctx.failed)}
    tallies = {name: replace(tally, **stamp) for name, tally in tallies.items()}
    score = CaseScore(case.id, tallies, status_pairs(ctx))
    if rules is not None:
        score.rules = rule_hits(ctx, rules)
    return score


def rules_of(meta: Any, actions: int) -> tuple[list[list[str]] | None, str | None]:
    """The rule ids of each predicted action from a result's meta, or None, with a warning when
    ``meta.details["rules"]`` is there but malformed."""
    details = meta.get("details") if isinstance(meta, dict) else None
    rules = details.get("rules") if isinstance(details, dict) else None
    if rules is None:
        return None, None
    shaped = isinstance(rules, list) and all(
        isinstance(ids, list) and all(isinstance(r, str) for r in ids) for ids in rules
    )
    if not shaped:
        return None, "meta.details.rules is not a list of lists of rule ids; ignored"
    if len(rules) != actions:
        return None, f"meta.details.rules has {len(rules)} entries for {actions} actions; ignored"
    return rules, None
