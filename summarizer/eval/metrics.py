"""Scoring: per-article tallies → dataset metrics → bootstrap intervals.

Every metric is a ratio of sums over articles (micro), so one article's contribution is a
:class:`Tally` and the dataset value, or a bootstrap resample's, is the sum of tallies.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from summarizer import SanctionAction, SanctionsSummary
from summarizer.eval.align import align_actions, match_names
from summarizer.eval.dataset import Case, GoldSummary
from summarizer.grounding import align, mention_in_source, mentions, occurs

#: The metrics averaged into ``overall``.
OVERALL_PARTS = (
    "actions_f1",
    "status_f1",
    "target_countries_f1",
    "targets_f1",
    "measures_f1",
    "legal_basis_f1",
    "count_accuracy",
)
METRICS = (
    "schema_valid_rate",
    "is_sanctions_accuracy",
    "actions_f1",
    "status_accuracy",
    "status_f1",
    "target_countries_f1",
    "targets_f1",
    "measures_f1",
    "legal_basis_f1",
    "count_accuracy",
    "officials_f1",
    "grounding_rate",
    "summary_faithfulness",
    "summary_fact_recall",
    "overall",
)
F1_FIELDS = (
    "actions",
    "status",
    "target_countries",
    "targets",
    "measures",
    "legal_basis",
    "officials",
)
OPTIONAL_FIELDS = (
    "authority",
    "reason",
    "target_count",
    "effective_date",
    "legal_basis",
    "measures",
)
MISSING = "(none)"


@dataclass(frozen=True)
class Tally:
    """``num / den``; with ``den == 0`` the value is 1.0 when ``gold`` is 0 too, else 0.0."""

    num: float = 0.0
    den: float = 0.0
    gold: float = 0.0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.num + other.num, self.den + other.den, self.gold + other.gold)

    @property
    def value(self) -> float:
        if self.den:
            return self.num / self.den
        return 1.0 if self.gold == 0 else 0.0


def _f1(tp: int, predicted: int, gold: int) -> dict[str, Tally]:
    return {
        "f1": Tally(2 * tp, predicted + gold, gold),
        "precision": Tally(tp, predicted, gold),
        "recall": Tally(tp, gold, gold),
    }


def _ratio(hit: float, total: float) -> Tally:
    return Tally(hit, total, total)


@dataclass
class CaseScore:
    """One article's tallies, status confusion pairs and optional-field counts."""

    id: str
    tallies: dict[str, Tally] = field(default_factory=dict)
    confusion: list[tuple[str, str]] = field(default_factory=list)

    def metrics(self) -> dict[str, float]:
        return finalize(self.tallies)


def _set_f1(
    name: str, predicted: set[tuple[str, str]], gold: set[tuple[str, str]]
) -> dict[str, Tally]:
    found = _f1(len(predicted & gold), len(predicted), len(gold))
    return {f"{name}_{key}": tally for key, tally in found.items()}


def _pairs(actions: Iterable[SanctionAction], attr: str) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for action in actions:
        for value in getattr(action, attr):
            pairs.add((action.imposer, str(value)))
    return pairs


def _legal(actions: Iterable[SanctionAction]) -> set[tuple[str, str]]:
    return {("", " ".join(item.lower().split())) for a in actions for item in a.legal_basis}


def _names_f1(name: str, predicted: list[str], gold: list[str]) -> dict[str, Tally]:
    predicted = list(dict.fromkeys(predicted))
    gold = list(dict.fromkeys(gold))
    found = _f1(len(match_names(predicted, gold)), len(predicted), len(gold))
    return {f"{name}_{key}": tally for key, tally in found.items()}


def _text_scores(prediction: SanctionsSummary, case: Case) -> dict[str, Tally]:
    written = f"{prediction.headline}\n{prediction.summary}"
    found = mentions(written)
    faithful = sum(mention_in_source(m, case.text) for m in found)
    facts = case.gold.summary_facts
    recalled = sum(occurs(fact, written) for fact in facts)
    return {
        "summary_faithfulness": Tally(faithful, len(found), 0),
        "summary_fact_recall": _ratio(recalled, len(facts)),
    }


def _optional(
    pairs: list[tuple[SanctionAction, SanctionAction]], pred: SanctionsSummary, gold: GoldSummary
) -> dict[str, Tally]:
    out: dict[str, Tally] = {}
    items: list[tuple[str, object, object]] = [
        ("published_date", pred.published_date, gold.published_date)
    ]
    for p, g in pairs:
        items += [(name, getattr(p, name), getattr(g, name)) for name in OPTIONAL_FIELDS]
    counts: Counter[str] = Counter()
    for name in ("published_date", *OPTIONAL_FIELDS):
        for kind in ("hallucinated", "omitted"):
            counts[f"{kind}.{name}.den"] += 0
            counts[f"{kind}.{name}.num"] += 0
    for name, p_value, g_value in items:
        p_has, g_has = p_value not in (None, [], ""), g_value not in (None, [], "")
        counts[f"hallucinated.{name}.den"] += not g_has
        counts[f"hallucinated.{name}.num"] += p_has and not g_has
        counts[f"omitted.{name}.den"] += g_has
        counts[f"omitted.{name}.num"] += g_has and not p_has
    for key in {k.rsplit(".", 1)[0] for k in counts}:
        out[key] = _ratio(counts[f"{key}.num"], counts[f"{key}.den"])
    return out


def score_case(case: Case, prediction: SanctionsSummary | None) -> CaseScore:
    """Tallies of one article; ``prediction`` None means no valid output."""
    gold = case.gold
    result = CaseScore(case.id)
    t = result.tallies
    t["schema_valid_rate"] = _ratio(prediction is not None, 1)
    pred = prediction or SanctionsSummary(
        is_sanctions_news=not gold.is_sanctions_news, headline="", summary=""
    )
    p_actions, g_actions = list(pred.actions), list(gold.actions)
    t["is_sanctions_accuracy"] = _ratio(
        prediction is not None and pred.is_sanctions_news == gold.is_sanctions_news, 1
    )

    pairs = align_actions(p_actions, g_actions)
    same_status = sum(p_actions[i].status == g_actions[j].status for i, j in pairs)
    t.update(
        {f"actions_{k}": v for k, v in _f1(len(pairs), len(p_actions), len(g_actions)).items()}
    )
    t.update(
        {f"status_{k}": v for k, v in _f1(same_status, len(p_actions), len(g_actions)).items()}
    )
    t["status_accuracy"] = Tally(same_status, len(pairs), len(g_actions))
    t.update(
        _set_f1(
            "target_countries",
            _pairs(p_actions, "target_countries"),
            _pairs(g_actions, "target_countries"),
        )
    )
    t.update(_set_f1("measures", _pairs(p_actions, "measures"), _pairs(g_actions, "measures")))
    t.update(_set_f1("legal_basis", _legal(p_actions), _legal(g_actions)))
    t.update(
        _names_f1(
            "targets",
            [x.name for a in p_actions for x in a.targets],
            [x.name for a in g_actions for x in a.targets],
        )
    )
    t.update(
        _names_f1("officials", [o.name for o in pred.officials], [o.name for o in gold.officials])
    )

    aligned = dict((j, i) for i, j in pairs)
    counted = [j for j, g in enumerate(g_actions) if g.target_count is not None]
    right = sum(
        j in aligned and p_actions[aligned[j]].target_count == g_actions[j].target_count
        for j in counted
    )
    t["count_accuracy"] = _ratio(right, len(counted))

    quotes = [q for a in p_actions for q in a.evidence]
    t["grounding_rate"] = Tally(sum(align(q, case.text).grounded for q in quotes), len(quotes), 0)
    if prediction is not None:
        t.update(_text_scores(prediction, case))
    else:
        t["summary_faithfulness"] = Tally(0, 0, 0)
        t["summary_fact_recall"] = _ratio(0, len(case.gold.summary_facts))
    t.update(_optional([(p_actions[i], g_actions[j]) for i, j in pairs], pred, gold))

    matched_p = {i for i, _ in pairs}
    result.confusion = [(g_actions[j].status.value, p_actions[i].status.value) for i, j in pairs]
    result.confusion += [
        (g.status.value, MISSING) for j, g in enumerate(g_actions) if j not in aligned
    ]
    result.confusion += [
        (MISSING, p.status.value) for i, p in enumerate(p_actions) if i not in matched_p
    ]
    return result


def finalize(tallies: Mapping[str, Tally]) -> dict[str, float]:
    """Metric values from summed tallies, ``overall`` included."""
    values = {name: tally.value for name, tally in tallies.items()}
    values["overall"] = sum(values.get(name, 0.0) for name in OVERALL_PARTS) / len(OVERALL_PARTS)
    return values


def total(scores: Sequence[CaseScore]) -> dict[str, Tally]:
    """Sum of tallies over articles."""
    summed: dict[str, Tally] = {}
    for score in scores:
        for name, tally in score.tallies.items():
            summed[name] = summed.get(name, Tally()) + tally
    return summed


def bootstrap(
    scores: Sequence[CaseScore], *, samples: int = 1000, seed: int = 0
) -> dict[str, tuple[float, float]]:
    """95% percentile intervals of every metric, resampling articles with replacement."""
    if not scores:
        return {}
    rng = random.Random(seed)
    draws: dict[str, list[float]] = {}
    n = len(scores)
    # each article's tallies as one flat row (num, den, gold per metric): a resample is summed
    # column-wise in one pass instead of building thousands of Tally objects
    names = sorted({name for score in scores for name in score.tallies})
    empty = Tally()
    rows = [
        [x for name in names for x in _fields(score.tallies.get(name, empty))] for score in scores
    ]
    for _ in range(samples):
        picked = [rows[rng.randrange(n)] for _ in range(n)]
        sums = [sum(column) for column in zip(*picked, strict=True)]
        tallies = {name: Tally(*sums[3 * i : 3 * i + 3]) for i, name in enumerate(names)}
        for name, value in finalize(tallies).items():
            draws.setdefault(name, []).append(value)
    intervals = {}
    for name, values in draws.items():
        values.sort()
        intervals[name] = (values[int(0.025 * (samples - 1))], values[int(0.975 * (samples - 1))])
    return intervals


def _fields(tally: Tally) -> tuple[float, float, float]:
    return (tally.num, tally.den, tally.gold)


def confusion_matrix(scores: Iterable[CaseScore]) -> dict[str, dict[str, int]]:
    """Gold status → predicted status → count, with ``(none)`` for missed and spurious actions."""
    matrix: dict[str, dict[str, int]] = {}
    for score in scores:
        for gold, predicted in score.confusion:
            row = matrix.setdefault(gold, {})
            row[predicted] = row.get(predicted, 0) + 1
    return matrix
