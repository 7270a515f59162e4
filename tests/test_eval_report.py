"""report.json's sections: repeats, rules, categories, denominators; rebuilt from per_article alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from summarizer import SanctionsSummary
from summarizer.eval.dataset import load_dataset
from summarizer.eval.markdown import render_markdown
from summarizer.eval.metrics import METRICS
from summarizer.eval.report import aggregate, build_report, category_group
from summarizer.eval.runner import Prediction, load_predictions
from tests.synthetic_predictions import gold_prediction, write_predictions
from tests.test_eval_cli import DEV, small_dataset


def gold_runs(path: Path, repeat: int = 0) -> list[Prediction]:
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    return [
        Prediction(r["id"], repeat, SanctionsSummary.model_validate(gold_prediction(r)))
        for r in rows
    ]


def test_repeats_that_disagree_show_spread_and_agreement(tmp_path: Path) -> None:
    dataset = small_dataset(tmp_path, 4)
    cases = load_dataset(dataset)
    second = gold_runs(dataset, repeat=1)
    second[0] = Prediction(second[0].id, 1, None, {"type": "ValidationFailed", "message": "x"})
    report = build_report(
        cases, [*gold_runs(dataset), *second], model="m", dataset="d", bootstrap_samples=20
    )
    spread = report["repeats"]["spread"]["schema_valid_rate"]
    assert spread["min"] == 0.75 and spread["max"] == 1.0 and spread["std"] > 0
    assert report["repeats"]["agreement"]["identical"] == 0.75  # one article of four differs
    assert report["per_article"][0]["failed"] == 1 and report["per_article"][0]["runs"] == 2


def test_rules_are_counted_per_rule_and_absence_is_said(tmp_path: Path) -> None:
    dataset = small_dataset(tmp_path, 6)
    cases = load_dataset(dataset)
    predictions, _ = load_predictions(
        write_predictions(dataset, tmp_path / "p.jsonl", fail_every=0)
    )
    report = build_report(cases, predictions, model="m", dataset="d", bootstrap_samples=20)
    rules = report["rules"]
    assert rules is not None
    fired = sum(len(p.summary.actions) for p in predictions if p.summary)  # two rules per action
    assert sum(r["fired"] for r in rules.values()) == 2 * fired
    assert all(r["precision"] == round(r["matched"] / r["fired"], 4) for r in rules.values())
    spurious = [r for r in rules.values() if r["unmatched"]]
    assert spurious and next(iter(rules.values()))["unmatched"] == max(
        r["unmatched"] for r in rules.values()
    )
    plain = build_report(cases, gold_runs(dataset), model="m", dataset="d", bootstrap_samples=20)
    assert plain["rules"] is None and "No rule data" in render_markdown(plain)


def test_malformed_rules_warn(tmp_path: Path) -> None:
    dataset = small_dataset(tmp_path, 1)
    run = gold_runs(dataset)[0]
    run.meta = {"details": {"rules": [["a"]] * (len(run.summary.actions) + 1)}}  # type: ignore[union-attr]
    report = build_report(
        load_dataset(dataset), [run], model="m", dataset="d", bootstrap_samples=20
    )
    assert report["rules"] is None and any(
        "meta.details.rules has" in w for w in report["warnings"]
    )


def test_categories_every_denominator_and_rebuilding_from_per_article(tmp_path: Path) -> None:
    cases = load_dataset(DEV)
    predictions, _ = load_predictions(write_predictions(DEV, tmp_path / "p.jsonl"))
    report = build_report(cases, predictions, model="m", dataset="dev.jsonl", bootstrap_samples=50)
    assert category_group("ofac-russia") == "ofac" and category_group("") == "(none)"
    assert sum(c["n"] for c in report["categories"].values()) == len(cases)
    assert report["categories"]["ofac"]["n"] == sum(c.category.startswith("ofac-") for c in cases)
    for name in METRICS:
        assert report["basis"][name], name
    assert report["basis"]["grounding_rate"]["unit"] == "quotes"
    assert report["basis"]["actions_f1"].keys() == {"tp", "predicted", "gold"}
    rebuilt: dict[str, Any] = aggregate(json.loads(json.dumps(report["per_article"])), samples=50)
    for key in (
        "metrics",
        "intervals",
        "basis",
        "precision_recall",
        "status_confusion",
        "categories",
        "rules",
    ):
        assert rebuilt[key] == report[key], key
