"""Each scorer alone, on one hand-made article: what it counts and what it leaves out."""

from __future__ import annotations

from typing import Any

import pytest

from summarizer import SanctionsSummary
from summarizer.eval.dataset import parse_case
from summarizer.eval.metrics import Tally
from summarizer.eval.scorers import (
    Actions,
    Context,
    Count,
    Grounding,
    LegalBasis,
    OptionalFields,
    PairSet,
    Status,
    SummaryText,
    Targets,
    rule_hits,
    rules_of,
    score_case,
)
from tests.test_eval_metrics import GOLD_A, PRED_A, TEXT_A

CASE = parse_case({"id": "a", "text": TEXT_A, "gold": GOLD_A}, where="t:1")
PRED = SanctionsSummary.model_validate(PRED_A)


def ctx(prediction: SanctionsSummary | None = PRED) -> Context:
    return Context(CASE, prediction)


def test_alignment_is_shared_by_the_scorers() -> None:
    assert ctx().pairs == [(0, 0), (1, 1)]  # US and EU aligned; the GB action is spurious


@pytest.mark.parametrize(
    ("scorer", "expected"),
    [
        (Actions(), {"actions_f1": Tally(4, 5), "actions_precision": Tally(2, 3, other=2),
                     "actions_recall": Tally(2, 2, other=3)}),
        (Status(), {"status_f1": Tally(2, 5), "status_accuracy": Tally(1, 2)}),
        (PairSet("target_countries"), {"target_countries_f1": Tally(6, 7)}),  # (GB, RU) spurious
        (PairSet("measures"), {"measures_f1": Tally(2, 4)}),
        (LegalBasis(), {"legal_basis_f1": Tally(2, 2)}),  # "Executive Order 14024" normalized
        (Targets(), {"targets_f1": Tally(2, 4)}),
        (Count(), {"count_accuracy": Tally(0, 1)}),  # 3 predicted, 2 gold
        (Grounding(), {"grounding_rate": Tally(2, 3)}),  # the GB quote is not in the text
        (SummaryText(), {"summary_faithfulness": Tally(1, 3), "summary_fact_recall": Tally(1, 2)}),  # "Treasury", "7" invented
    ],
)  # fmt: skip
def test_each_scorer_alone(scorer: Any, expected: dict[str, Tally]) -> None:
    found = scorer.evaluate(ctx())
    for name, tally in expected.items():
        assert found[name] == tally, name


def test_optional_fields_count_opportunities_over_aligned_actions() -> None:
    found = OptionalFields().evaluate(ctx())
    assert found["omitted.published_date"] == Tally(1, 1)  # gold has a date, the prediction none
    assert found["hallucinated.target_count"] == Tally(0, 1)  # the EU pair: neither has a count
    assert found["omitted.target_count"] == Tally(0, 1)  # the US pair: both have one
    assert found["hallucinated.authority"] == Tally(0, 2)
    # a failed run predicted nothing: it is counted by schema_valid_rate, not here
    assert all(t == Tally() for t in OptionalFields().evaluate(ctx(None)).values())


def test_score_case_stamps_runs_and_failures() -> None:
    assert all(t.runs == 1 and t.failed == 0 for t in score_case(CASE, PRED).tallies.values())
    assert all(t.runs == 1 and t.failed == 1 for t in score_case(CASE, None).tallies.values())


def test_rule_hits_point_at_the_rule_behind_a_spurious_action() -> None:
    rules = [
        ["cue.designated", "sentence.today"],
        ["cue.will"],
        ["cue.designated", "cue.designated"],
    ]
    hits = rule_hits(ctx(), rules)
    # action 0 matched, status right; action 1 matched, status wrong; action 2 (GB) unmatched
    assert hits == {"cue.designated": [1, 1, 1], "sentence.today": [1, 0, 1], "cue.will": [1, 0, 0]}
    assert score_case(CASE, PRED, rules).rules == hits
    assert score_case(CASE, PRED).rules is None  # no rule data is not "no rule fired"


@pytest.mark.parametrize(
    ("meta", "rules", "problem"),
    [
        (None, None, None),
        ({"details": {"writer": "model"}}, None, None),
        ({"details": {"rules": [["a"], [], ["b", "c"]]}}, [["a"], [], ["b", "c"]], None),
        ({"details": {"rules": [["a"]]}}, None, "has 1 entries for 3 actions"),
        ({"details": {"rules": "a"}}, None, "not a list of lists"),
        ({"details": {"rules": [[1], [], []]}}, None, "not a list of lists"),
    ],
)
def test_rules_of_meta(meta: Any, rules: Any, problem: str | None) -> None:
    found, warning = rules_of(meta, 3)
    assert found == rules
    assert (warning is None) if problem is None else (problem in (warning or ""))
