"""Predictions files made from a dataset's gold labels, with deterministic mistakes, failures,
rule ids, latencies, token counts and cache hits: what a real run writes, without a model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

STATUSES = ("imposed", "announced", "threatened", "proposed", "lifted", "eased", "extended")


def gold_prediction(record: dict[str, Any]) -> dict[str, Any]:
    """The record's gold labels as a valid prediction (facts as the summary)."""
    gold = json.loads(json.dumps(record["gold"]))
    facts = gold.pop("summary_facts", [])
    gold["headline"], gold["summary"] = "", "; ".join(facts)[:700]
    return gold


def _worsen(prediction: dict[str, Any], k: int) -> dict[str, Any]:
    actions = prediction["actions"]
    if k % 6 == 1 and actions:  # a wrong status
        actions[0]["status"] = STATUSES[(STATUSES.index(actions[0]["status"]) + 1) % 7]
    elif k % 6 == 2 and actions:  # a missed action and a missed count
        actions.pop()
        for action in actions:
            action["target_count"], action["count_qualifier"] = None, None
    elif k % 6 == 3 and actions:  # a spurious action
        actions.append(dict(actions[0], imposer="JP", target_countries=["KP"], targets=[]))
    return prediction


def _meta(k: int, actions: int, model: str) -> dict[str, Any]:
    cached = k % 3 == 0
    rules = [[f"status.cue-{k % 4}", f"action.sentence-{i % 2}"] for i in range(actions)]
    return {
        "model": model,
        "strategy": "assisted",
        "template_hash": "abc123",
        "latency_s": 0.002 + 0.0001 * k if cached else 1.5 + 0.4 * (k % 7),
        "usage": {
            "prompt_tokens": 900 + 10 * k,
            "completion_tokens": 80,
            "total_tokens": 980 + 10 * k,
        },
        "cache_hit": cached,
        "details": {"rules": rules},
    }


def write_predictions(
    dataset: Path,
    path: Path,
    *,
    model: str = "synthetic",
    mistakes: bool = True,
    fail_every: int = 7,
) -> Path:
    """One prediction per dataset record: gold, worsened when ``mistakes``; every
    ``fail_every``-th record a failed run (0: none)."""
    lines = []
    for k, line in enumerate(dataset.read_text(encoding="utf-8").splitlines()):
        record = json.loads(line)
        if fail_every and k % fail_every == fail_every - 1:
            error = {
                "type": "ValidationFailed",
                "message": "evidence quotes must be at least 20 characters",
            }
            meta = {"latency_s": 3.0 + k % 3, "usage": {"total_tokens": 2000}}
            lines.append({"id": record["id"], "prediction": None, "error": error, "meta": meta})
            continue
        prediction = gold_prediction(record)
        if mistakes:
            prediction = _worsen(prediction, k)
        meta = _meta(k, len(prediction["actions"]), model)
        lines.append({"id": record["id"], "prediction": prediction, "error": None, "meta": meta})
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return path
