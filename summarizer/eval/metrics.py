"""Metric names, definitions and the tallies they are computed from (see docs/metrics.md).

Every metric is a ratio of sums over articles (micro), so one article's contribution is a
:class:`Tally` per name and a dataset's value, or a bootstrap resample's, is a ratio of summed tallies.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

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
#: Fields scored by F1, each with ``<field>_f1``, ``<field>_precision`` and ``<field>_recall``.
F1_FIELDS = (
    "actions",
    "status",
    "target_countries",
    "targets",
    "measures",
    "legal_basis",
    "officials",
)
#: One line per metric: the hover text of the HTML report and the reference of docs/metrics.md.
DEFINITIONS = {
    "schema_valid_rate": "Share of runs that produced a valid SanctionsSummary.",
    "is_sanctions_accuracy": "Share of runs whose is_sanctions_news equals gold; a failed run is wrong.",
    "actions_f1": "F1 of aligned actions (same imposer, target countries overlapping or both empty).",
    "status_accuracy": "Among aligned action pairs, the share with the gold status; n/a without pairs.",
    "status_f1": "F1 where a hit is an aligned action pair with the gold status.",
    "target_countries_f1": "Micro F1 over (imposer, country) pairs.",
    "targets_f1": "Micro F1 over target names (normalized, strict whole-name match).",
    "measures_f1": "Micro F1 over (imposer, measure) pairs.",
    "legal_basis_f1": "Micro F1 over normalized legal-basis strings.",
    "count_accuracy": "Gold actions with a target_count whose aligned prediction has the same count; "
    "n/a when gold states no count.",
    "officials_f1": "Micro F1 over official names.",
    "grounding_rate": "Predicted evidence quotes found in the source; n/a when nothing was quoted.",
    "summary_faithfulness": "Names and numbers of the predicted headline and summary that occur in "
    "the source; n/a when they contain none.",
    "summary_fact_recall": "Gold summary_facts mentioned by the predicted headline and summary; "
    "n/a without gold facts.",
    "overall": "Mean of actions_f1, status_f1, target_countries_f1, targets_f1, measures_f1, "
    "legal_basis_f1 and count_accuracy; n/a parts are left out.",
}
#: What a metric's denominator counts (F1s show true positives, predicted and gold instead).
UNITS = {
    "schema_valid_rate": "runs",
    "is_sanctions_accuracy": "runs",
    "status_accuracy": "aligned pairs",
    "count_accuracy": "gold counts",
    "grounding_rate": "quotes",
    "summary_faithfulness": "names and numbers",
    "summary_fact_recall": "gold facts",
}


@dataclass(frozen=True)
class Tally:
    """``num / den`` of one metric; ``other`` is the opposite side's count for a precision (gold)
    or a recall (predicted); ``runs`` counts the runs summed in, ``failed`` those with no valid
    output."""

    num: int = 0
    den: int = 0
    other: int = 0
    failed: int = 0
    runs: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.num + other.num,
            self.den + other.den,
            self.other + other.other,
            self.failed + other.failed,
            self.runs + other.runs,
        )

    def as_list(self) -> list[int]:
        return [self.num, self.den, self.other, self.failed, self.runs]

    @classmethod
    def from_list(cls, values: Iterable[float]) -> Tally:
        num, den, other, failed, runs = (int(v) for v in values)
        return cls(num, den, other, failed, runs)


F1_FAMILY = frozenset(f"{f}_{k}" for f in F1_FIELDS for k in ("f1", "precision", "recall"))


def agrees_when_empty(name: str) -> bool:
    """True for the F1 family: a field empty on both sides is agreement; other rates have nothing
    to measure then."""
    return name in F1_FAMILY


def value(name: str, tally: Tally) -> float | None:
    """The metric's value, or None when there is nothing to measure.

    With a zero denominator, an F1-family metric whose two sides are both empty counts each run
    that produced a valid output as agreement and each failed run as none: 1.0 without failures,
    0.0 for one failed run (a failure is never a perfect score). Any other rate is None then.
    """
    if tally.den:
        return tally.num / tally.den
    if agrees_when_empty(name) and tally.other == 0:
        return 1.0 - tally.failed / tally.runs if tally.runs else 1.0
    return None


def overall(values: Mapping[str, float | None]) -> float | None:
    """Mean of the ``overall`` parts that have a value."""
    parts = [v for name in OVERALL_PARTS if (v := values.get(name)) is not None]
    return sum(parts) / len(parts) if parts else None


def finalize(tallies: Mapping[str, Tally]) -> dict[str, float | None]:
    """Metric values from summed tallies, ``overall`` included."""
    values = {name: value(name, tally) for name, tally in tallies.items()}
    values["overall"] = overall(values)
    return values


def total(tally_sets: Iterable[Mapping[str, Tally]]) -> dict[str, Tally]:
    """Sum of tallies, name by name."""
    summed: dict[str, Tally] = {}
    for tallies in tally_sets:
        for name, tally in tallies.items():
            summed[name] = summed.get(name, Tally()) + tally
    return summed


def basis(name: str, summed: Mapping[str, Tally]) -> dict[str, int | str] | None:
    """What a metric's value is computed from: numerator, denominator and unit, or for an F1 the
    true positives, predicted and gold counts."""
    if name.endswith("_f1"):
        field = name.removesuffix("_f1")
        precision, recall = summed.get(f"{field}_precision"), summed.get(f"{field}_recall")
        if precision is None or recall is None:
            return None
        return {"tp": precision.num, "predicted": precision.den, "gold": recall.den}
    tally = summed.get(name)
    if tally is None:
        return None
    return {"num": tally.num, "den": tally.den, "unit": UNITS.get(name, "cases")}


def basis_text(found: Mapping[str, int | str] | None) -> str:
    """``57/60 quotes`` or ``tp 50 · pred 60 · gold 55``."""
    if not found:
        return ""
    if "tp" in found:
        return f"tp {found['tp']} · pred {found['predicted']} · gold {found['gold']}"
    return f"{found['num']}/{found['den']} {found['unit']}"


def fmt(number: float | None, digits: int = 3) -> str:
    """A metric value for reading: fixed digits, or ``n/a`` for nothing to measure."""
    if number is None or (isinstance(number, float) and math.isnan(number)):
        return "n/a"
    return f"{number:.{digits}f}"
