"""``--repeat N``: how much each metric moves between repeats, and how often repeats agree."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

from summarizer import SanctionsSummary
from summarizer.eval.metrics import METRICS, finalize, total
from summarizer.eval.runner import Prediction
from summarizer.eval.scorers import CaseScore

FAILED = ("failed",)


def spread(per_repeat: Mapping[int, Sequence[CaseScore]]) -> dict[str, dict[str, float | None]]:
    """Per metric: min, max and sample standard deviation of its value across repeats."""
    runs = [finalize(total(s.tallies for s in scores)) for scores in per_repeat.values()]
    out: dict[str, dict[str, float | None]] = {}
    for name in METRICS:
        found = [v for run in runs if (v := run.get(name)) is not None]
        out[name] = {
            "min": round(min(found), 4) if found else None,
            "max": round(max(found), 4) if found else None,
            "std": round(statistics.stdev(found), 4) if len(found) > 1 else None,
        }
    return out


def _actions(summary: SanctionsSummary) -> Hashable:
    return tuple(
        sorted(
            (a.imposer, a.status.value, tuple(sorted(a.target_countries))) for a in summary.actions
        )
    )


def _structured(summary: SanctionsSummary) -> Hashable:
    dumped = summary.model_dump(
        mode="json",
        exclude={"headline": True, "summary": True, "actions": {"__all__": {"evidence_spans"}}},
    )
    return repr(sorted(dumped.items()))


ASPECTS: dict[str, Callable[[SanctionsSummary], Hashable]] = {
    "identical": _structured,
    "is_sanctions_news": lambda s: s.is_sanctions_news,
    "actions": _actions,
}


def agreement(predictions: Sequence[Prediction], repeats: int) -> dict[str, Any]:
    """Share of articles whose ``repeats`` runs all agree: on every field but the written text
    (``identical``), on ``is_sanctions_news``, and on the actions' imposer, status and countries.
    A failed run agrees only with another failed run."""
    runs: dict[str, list[SanctionsSummary | None]] = {}
    for p in predictions:
        runs.setdefault(p.id, []).append(p.summary)
    complete = [r for r in runs.values() if len(r) == repeats]
    out: dict[str, Any] = {"articles": len(complete)}
    for aspect, key in ASPECTS.items():
        same = sum(len({FAILED if s is None else key(s) for s in r}) == 1 for r in complete)
        out[aspect] = round(same / len(complete), 4) if complete else None
    return out
