"""Latency and tokens per run, with answers from the response cache counted apart."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from summarizer.eval.runner import Prediction


@dataclass(frozen=True)
class RunCost:
    """What one run cost, as its meta reports it; ``cached`` runs made no model call."""

    latency_s: float | None
    tokens: int | None
    cached: bool

    @classmethod
    def of(cls, meta: Any) -> RunCost:
        meta = meta if isinstance(meta, dict) else {}
        latency = meta.get("latency_s")
        usage = meta.get("usage")
        tokens = usage.get("total_tokens") if isinstance(usage, dict) else None
        return cls(
            float(latency) if isinstance(latency, int | float) else None,
            int(tokens) if isinstance(tokens, int | float) else None,
            meta.get("cache_hit") is True,
        )

    def as_dict(self) -> dict[str, Any]:
        return {"latency_s": self.latency_s, "tokens": self.tokens, "cache_hit": self.cached}


def _group(costs: Sequence[RunCost]) -> dict[str, Any]:
    latencies = [c.latency_s for c in costs if c.latency_s is not None]
    tokens = [c.tokens for c in costs if c.tokens is not None]
    return {
        "runs": len(costs),
        "mean_latency_s": round(statistics.fmean(latencies), 3) if latencies else None,
        "median_latency_s": round(statistics.median(latencies), 3) if latencies else None,
        "max_latency_s": round(max(latencies), 3) if latencies else None,
        "tokens": sum(tokens),
    }


def timing(predictions: Sequence[Prediction], wall_time_s: float | None) -> dict[str, Any]:
    """Run counts, cache hits, and latency and tokens of model runs and cached runs apart.

    ``mean_latency_s`` and ``total_tokens`` cover the runs that called the model; the tokens of
    cached answers were spent by an earlier run and are reported under ``cached``.
    """
    costs = [RunCost.of(p.meta) for p in predictions]
    model = _group([c for c in costs if not c.cached])
    cached = _group([c for c in costs if c.cached])
    return {
        "wall_time_s": round(wall_time_s, 2) if wall_time_s is not None else None,
        "runs": len(costs),
        "cache_hits": cached["runs"],
        "mean_latency_s": model["mean_latency_s"],
        "total_tokens": model["tokens"],
        "model": model,
        "cached": cached,
    }
