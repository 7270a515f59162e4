"""Metrics against hand-computed values, alignment and name-matching edge cases, gold self-scoring."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summarizer import SanctionAction, SanctionsSummary
from summarizer.eval.align import align_actions, match_names, names_match
from summarizer.eval.dataset import load_dataset, parse_case
from summarizer.eval.metrics import METRICS, finalize, total
from summarizer.eval.report import build_report
from summarizer.eval.runner import Prediction
from summarizer.eval.scorers import CaseScore, score_case
from summarizer.eval.stats import Counts, bootstrap
from tests.conftest import ROOT

TEXT_A = (
    "On 3 May 2024 the Office of Foreign Assets Control designated Alpha Trading LLC and Beta Shipping "
    "Ltd, both based in the United Arab Emirates, pursuant to Executive Order 14024 for supplying "
    "Russia's military, Janet Yellen said. The Council of the European Union will adopt a ban on imports "
    "of Russian aluminium next month."
)
TEXT_B = "Iran's football federation fined a club for crowd trouble; officials warned of further sanctions against the club."


def action(
    imposer: str, status: str, countries: list[str], evidence: str, **extra: Any
) -> dict[str, Any]:
    return {
        "imposer": imposer,
        "status": status,
        "target_countries": countries,
        "evidence": [evidence],
        **extra,
    }


GOLD_A = {
    "is_sanctions_news": True,
    "published_date": "2024-05-03",
    "summary_facts": ["Alpha Trading LLC", "14024"],
    "officials": [{"name": "Janet Yellen"}],
    "actions": [
        action(
            "US",
            "imposed",
            ["AE", "RU"],
            "designated Alpha Trading LLC and Beta Shipping Ltd",
            targets=[
                {"name": "Alpha Trading LLC", "kind": "organization", "country": "AE"},
                {"name": "Beta Shipping Ltd", "kind": "organization", "country": "AE"},
            ],
            measures=["asset_freeze"],
            legal_basis=["E.O. 14024"],
            target_count=2,
            count_qualifier="exact",
        ),
        action(
            "EU",
            "announced",
            ["RU"],
            "will adopt a ban on imports of Russian aluminium",
            measures=["import_restrictions"],
        ),
    ],
}
PRED_A = {
    "is_sanctions_news": True,
    "headline": "Alpha Trading LLC sanctioned",
    "summary": "Treasury acted on 7 firms.",
    "officials": [{"name": "Yellen Janet"}, {"name": "Wally Adeyemo"}],
    "actions": [
        action(
            "US",
            "imposed",
            ["AE", "RU"],
            "designated Alpha Trading LLC and Beta Shipping Ltd",
            targets=[
                {"name": "Alpha Trading", "kind": "organization", "country": "AE"},
                {"name": "Gamma LLC", "kind": "organization"},
            ],
            measures=["asset_freeze", "export_controls"],
            legal_basis=["Executive Order 14024"],
            target_count=3,
            count_qualifier="exact",
        ),
        action("EU", "imposed", ["RU"], "will adopt a ban on imports of Russian aluminium"),
        action("GB", "imposed", ["RU"], "The United Kingdom froze the assets of ten banks"),
    ],
}
GOLD_B = {"is_sanctions_news": False, "actions": [], "officials": []}
PRED_B = {
    "is_sanctions_news": True,
    "headline": "Iran warned",
    "summary": "",
    "actions": [
        action("US", "threatened", ["IR"], "officials warned of further sanctions against the club")
    ],
}


def cases() -> list[Any]:
    return [
        parse_case({"id": "a", "text": TEXT_A, "gold": GOLD_A}, where="t:1"),
        parse_case({"id": "b", "text": TEXT_B, "gold": GOLD_B}, where="t:2"),
    ]


def metrics_of(*scores: CaseScore) -> dict[str, float | None]:
    return finalize(total(score.tallies for score in scores))


def summary(data: dict[str, Any]) -> SanctionsSummary:
    return SanctionsSummary.model_validate({"headline": "", "summary": "", **data})


def test_hand_computed_partial_scores() -> None:
    a, b = cases()
    metrics = metrics_of(score_case(a, summary(PRED_A)), score_case(b, summary(PRED_B)))
    expected = {
        "schema_valid_rate": 1.0,
        "is_sanctions_accuracy": 0.5,  # b is not news
        "actions_f1": 2 * 2 / (4 + 2),  # US and EU aligned; GB and the threat are spurious
        "status_accuracy": 1 / 2,  # EU status wrong
        "status_f1": 2 * 1 / (4 + 2),
        "target_countries_f1": 2 * 3 / (5 + 3),  # (GB,RU) and (US,IR) spurious
        "targets_f1": 2
        * 1
        / (2 + 2),  # "Alpha Trading" = "Alpha Trading LLC"; Gamma and Beta missed
        "measures_f1": 2 * 1 / (2 + 2),
        "legal_basis_f1": 1.0,
        "count_accuracy": 0.0,  # 3 predicted, 2 gold
        "officials_f1": 2 * 1 / (2 + 1),  # name order ignored
        "grounding_rate": 3 / 4,  # the GB quote is invented
        "summary_faithfulness": 2 / 4,  # "Treasury" and "7" are not in the source
        "summary_fact_recall": 1 / 2,  # "14024" not mentioned
    }
    expected["overall"] = (
        sum(
            expected[k]
            for k in (
                "actions_f1",
                "status_f1",
                "target_countries_f1",
                "targets_f1",
                "measures_f1",
                "legal_basis_f1",
                "count_accuracy",
            )
        )
        / 7
    )
    for name, value in expected.items():
        assert metrics[name] == pytest.approx(value), name
    assert metrics["omitted.published_date"] == 1.0
    assert metrics["hallucinated.target_count"] == 0.0
    assert metrics["targets_precision"] == 0.5 and metrics["actions_recall"] == 1.0


def test_a_failed_run_is_a_failure_never_a_perfect_score() -> None:
    a, b = cases()
    for case in (a, b):  # b is a negative: an empty prediction would be right there
        metrics = metrics_of(score_case(case, None))
        assert metrics["schema_valid_rate"] == 0.0 and metrics["is_sanctions_accuracy"] == 0.0
        for name in ("actions_f1", "status_f1", "targets_f1", "officials_f1", "overall"):
            assert metrics[name] == 0.0, (case.id, name)
        # nothing was quoted or written: nothing to measure, which is not a score of 1
        assert metrics["grounding_rate"] is None and metrics["summary_faithfulness"] is None
        assert metrics["status_accuracy"] is None  # no aligned pair
    assert metrics_of(score_case(a, None))["count_accuracy"] == 0.0  # gold states a count


def test_empty_prediction_on_negative_is_right_but_empty_on_positive_is_zero() -> None:
    a, b = cases()
    empty = summary({"is_sanctions_news": False})
    assert metrics_of(score_case(b, empty))["overall"] == 1.0  # both sides empty → 1.0
    assert metrics_of(score_case(a, empty))["overall"] == 0.0


def test_nothing_to_measure_is_none_and_left_out_of_overall() -> None:
    _, b = cases()
    metrics = metrics_of(score_case(b, summary({"is_sanctions_news": False})))
    for name in ("grounding_rate", "summary_faithfulness", "summary_fact_recall", "count_accuracy",
                 "status_accuracy", "hallucinated.authority", "omitted.reason"):  # fmt: skip
        assert metrics[name] is None, name
    # overall is the mean of the six parts that have a value (count_accuracy has none)
    assert metrics["overall"] == 1.0 and metrics["actions_precision"] == 1.0


def test_both_sides_empty_over_a_set_counts_valid_runs() -> None:
    _, b = cases()
    right = score_case(b, summary({"is_sanctions_news": False}))
    failed = score_case(b, None)
    assert metrics_of(right, right)["actions_f1"] == 1.0  # docs/metrics.md: both empty → 1.0
    assert metrics_of(right, failed)["actions_f1"] == 0.5  # the failed run does not agree
    assert metrics_of(failed)["actions_recall"] == 0.0


def test_precision_without_predictions_and_recall_without_gold_are_none() -> None:
    a, b = cases()
    assert (
        metrics_of(score_case(a, summary({"is_sanctions_news": True})))["actions_precision"] is None
    )
    assert metrics_of(score_case(b, summary(PRED_B)))["actions_recall"] is None
    assert metrics_of(score_case(b, summary(PRED_B)))["actions_f1"] == 0.0


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Gazprom", "Gazprombank", False),
        ("Sovcomflot PJSC", "Sovcomflot", True),
        ("Ali Hassan (a.k.a. Abu Karim)", "Ali Hassan", True),
        ("Rosneft", "Rosneft Oil Company", False),
        ("OOO Vneshtorg", "Vneshtorg LLC", True),
        ("Kim Jong Un", "Kim Jong-un", True),
        ("Mohammad Reza Ashtiani", "Mohammad Reza", False),
        ("Zhōu Wei", "Zhou Wei", True),
        ("Hezbollah", "Hizballah", False),
    ],
)
def test_name_matching(a: str, b: str, same: bool) -> None:
    assert names_match(a, b) is same


def test_name_matching_is_one_to_one() -> None:
    assert match_names(["Alpha LLC", "Alpha Ltd"], ["Alpha"]) == [(0, 0)]


def _action(imposer: str, status: str, countries: list[str]) -> SanctionAction:
    return SanctionAction.model_validate(
        action(imposer, status, countries, "a quote of at least twenty chars")
    )


def test_action_alignment_rules() -> None:
    gold = [
        _action("US", "announced", ["IR"]),
        _action("US", "threatened", ["IR"]),
        _action("US", "announced", ["RU"]),
    ]
    predicted = [
        _action("US", "threatened", ["IR"]),
        _action("US", "announced", ["RU", "IR"]),
        _action("EU", "imposed", ["RU"]),
    ]
    # US/RU+IR overlaps RU best (1/2 vs 1/2 for IR): ties broken by status; EU never aligns with US
    pairs = align_actions(predicted, gold)
    assert (0, 1) in pairs  # same countries, same status
    assert all(i != 2 for i, _ in pairs)
    assert len(pairs) == 2
    assert align_actions([_action("UN", "imposed", [])], [_action("UN", "imposed", [])]) == [(0, 0)]
    assert align_actions([_action("US", "imposed", ["CN"])], [_action("US", "imposed", [])]) == []


def test_bootstrap_interval_contains_point_estimate() -> None:
    a, b = cases()
    scores = [score_case(a, summary(PRED_A)), score_case(b, summary(PRED_B))]
    point = metrics_of(*scores)
    intervals = bootstrap(Counts.of([(s.id, s.tallies) for s in scores]), samples=200)
    for name in METRICS:
        lo, hi = intervals[name]
        assert lo <= point[name] + 1e-9 and point[name] <= hi + 1e-9, name


@pytest.mark.parametrize("name", ["dev.jsonl", "test.jsonl", "blind.jsonl", "blind2.jsonl"])
def test_gold_scored_against_itself_is_perfect(name: str) -> None:
    path = ROOT / "evals" / "datasets" / name
    dataset = load_dataset(path)
    predictions = []
    for case in dataset:
        gold = case.gold.model_dump(mode="json", exclude={"summary_facts"})
        gold["headline"], gold["summary"] = "", "; ".join(case.gold.summary_facts)[:700]
        predictions.append(Prediction(case.id, 0, SanctionsSummary.model_validate(gold)))
    report = build_report(dataset, predictions, model="gold", dataset=name, bootstrap_samples=50)
    assert report["metrics"] == {metric: 1.0 for metric in METRICS}
    assert report["status_confusion"] and all(
        gold == predicted for gold, row in report["status_confusion"].items() for predicted in row
    )


def test_datasets_meet_the_card() -> None:
    for name in ("dev.jsonl", "test.jsonl", "blind.jsonl", "blind2.jsonl"):
        dataset = load_dataset(ROOT / "evals" / "datasets" / name)
        assert len(dataset) >= 30
        negatives = sum(not c.gold.is_sanctions_news for c in dataset)
        assert negatives / len(dataset) >= 0.2
        words = [len(c.text.split()) for c in dataset]
        assert min(words) >= 150 and sum(w > 1500 for w in words) >= 3
        assert {s for c in dataset for a in c.gold.actions for s in [a.status.value]} >= {
            "imposed",
            "announced",
            "threatened",
        }
    for name in ("dev.jsonl", "blind.jsonl", "blind2.jsonl"):
        for case in load_dataset(ROOT / "evals" / "datasets" / name):
            assert case.source.startswith("team-written"), case.id


def test_dataset_errors_name_file_line_id_and_field(tmp_path: Path) -> None:
    good = {"id": "x", "text": TEXT_A, "gold": GOLD_A}
    bad_status = json.loads(json.dumps(good))
    bad_status["id"] = "y"
    bad_status["gold"]["actions"][0]["status"] = "sanctioned"
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad_status) + "\n")
    with pytest.raises(Exception, match=r"d\.jsonl:2 \(id 'y'\): gold\.actions\.0\.status"):
        load_dataset(path)
    invented = json.loads(json.dumps(good))
    invented["gold"]["actions"][1]["evidence"] = ["the Council lifted every sanction on Russia"]
    path.write_text(json.dumps(invented) + "\n")
    with pytest.raises(
        Exception, match=r"d\.jsonl:1 \(id 'x'\): gold\.actions\.1.*not found in the source"
    ):
        load_dataset(path)
    path.write_text(json.dumps(good) + "\n{broken\n")
    with pytest.raises(Exception, match=r"d\.jsonl:2: not valid JSON"):
        load_dataset(path)
    path.write_text(json.dumps(good) + "\n" + json.dumps(good) + "\n")
    with pytest.raises(Exception, match="duplicate id 'x'"):
        load_dataset(path)
