"""Rules as data: every rule of every rule file matches its examples and none of its counter-examples."""

from __future__ import annotations

from importlib.resources import files

import pytest

from summarizer.extract.policy import Facts, default_measures, policies
from summarizer.extract.rules import Rule, RuleError, expand, phrase_list, ruleset
from summarizer.schema import Measure, Status

RULE_DIR = files("summarizer.extract").joinpath("rules")
RULE_FILES = sorted(
    p.name.removesuffix(".toml")
    for p in RULE_DIR.iterdir()
    if p.name.endswith(".toml") and p.name not in {"terms.toml", "policy.toml"}
)
PHRASE_LISTS = sorted(
    p.name.removesuffix(".txt") for p in RULE_DIR.iterdir() if p.name.endswith(".txt")
)


def _rules() -> list[Rule]:
    return [rule for name in RULE_FILES for rule in ruleset(name).rules]


def _cases(kind: str) -> list[tuple[str, str]]:
    return [(rule.id, text) for rule in _rules() for text in getattr(rule, kind)]


@pytest.mark.parametrize(("rule_id", "text"), _cases("examples"))
def test_rule_matches_its_example(rule_id: str, text: str) -> None:
    rule = next(r for r in _rules() if r.id == rule_id)
    assert rule.pattern.search(text), f"{rule_id} should match {text!r}"


@pytest.mark.parametrize(("rule_id", "text"), _cases("counter"))
def test_rule_does_not_match_its_counter_example(rule_id: str, text: str) -> None:
    rule = next(r for r in _rules() if r.id == rule_id)
    assert not rule.pattern.search(text), f"{rule_id} should not match {text!r}"


def test_every_rule_has_an_example_and_a_unique_id() -> None:
    rules = _rules()
    assert len(rules) > 50
    assert [r.id for r in rules if not r.examples] == []
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("name", PHRASE_LISTS)
def test_phrase_lists_have_no_duplicates(name: str) -> None:
    entries = [p.casefold() for p in phrase_list(name)]
    assert entries, name
    assert len(entries) == len(set(entries)), sorted({e for e in entries if entries.count(e) > 1})


@pytest.mark.parametrize(
    ("policy_id", "example"),
    [(p.id, e) for p in policies() for e in p.examples],
)
def test_policy_examples(policy_id: str, example: dict[str, object]) -> None:
    facts = Facts(
        imposer=str(example["imposer"]),
        legal_basis=[str(b) for b in example.get("legal_basis", [])],  # type: ignore[attr-defined]
        targets=int(example.get("targets", 0)),  # type: ignore[call-overload]
        measures=[Measure(m) for m in example.get("measures", [])],  # type: ignore[attr-defined]
        text_measures=[Measure(m) for m in example.get("text_measures", [])],  # type: ignore[attr-defined]
        status=Status(str(example.get("status", "imposed"))),
        count=int(example.get("count", 0)),  # type: ignore[call-overload]
    )
    measures, fired = default_measures(facts)
    assert [m.value for m in measures] == example["expect"]
    assert policy_id in fired


def test_unknown_term_is_a_clear_error() -> None:
    with pytest.raises(RuleError, match="unknown term <<nope>>"):
        expand("a <<nope>> b", "rules/x.toml")


def test_unless_silences_a_rule() -> None:
    status = ruleset("status")
    assert status.first("The sanctions were lifted.") is not None
    rule = status.first("The Council prolonged the measures and lifted none.")
    assert rule is not None and rule.label == "extended"


def test_first_of_several_labels_skips_the_labels_that_only_silence() -> None:
    status = ruleset("status")
    clause = (
        "Except to the extent provided by statute or by regulations, orders, directives, or "
        "licenses issued under this order, the following are prohibited"
    )
    labels = {s.value for s in Status}
    assert status.first(clause).label == "saving_clause"  # type: ignore[union-attr]
    assert status.first(clause, labels) is None  # the saving clause silences the licence rule
    found = status.first("OFAC issued General License 44.", labels)
    assert found is not None and found.label == "eased"
