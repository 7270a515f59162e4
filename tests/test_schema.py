from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import ValidationError

from summarizer import SanctionsSummary
from summarizer.grounding import AlignmentStatus
from summarizer.schema import json_schema, output_schema


def validate(data: dict[str, Any], source: str | None = None) -> SanctionsSummary:
    return SanctionsSummary.model_validate(data, context={"source": source} if source else None)


def test_valid_summary_is_grounded_with_offsets(good_summary: dict[str, Any], article: str) -> None:
    summary = validate(good_summary, article)
    assert summary.schema_version == "1"
    for action in summary.actions:
        assert len(action.evidence_spans) == len(action.evidence)
        for span in action.evidence_spans:
            assert span.status is AlignmentStatus.EXACT
            assert article[span.start : span.end] == span.quote


def test_country_names_and_alpha3_are_normalized(good_summary: dict[str, Any]) -> None:
    data = copy.deepcopy(good_summary)
    data["actions"][0]["imposer"] = "United States"
    data["actions"][0]["target_countries"] = ["IRN", "Iran"]
    data["actions"][1]["imposer"] = "uk"
    summary = validate(data)
    assert summary.actions[0].imposer == "US"
    assert summary.actions[0].target_countries == ["IR"]
    assert summary.actions[1].imposer == "GB"


@pytest.mark.parametrize("bad", ["XX", "the", "", "Atlantis"])
def test_unknown_country_codes_are_rejected(good_summary: dict[str, Any], bad: str) -> None:
    data = copy.deepcopy(good_summary)
    data["actions"][0]["target_countries"] = [bad]
    with pytest.raises(ValidationError, match="ISO 3166-1 alpha-2"):
        validate(data)


def test_eu_and_un_are_imposers_but_not_target_countries(good_summary: dict[str, Any]) -> None:
    data = copy.deepcopy(good_summary)
    data["actions"][0]["imposer"] = "EU"
    data["actions"][1]["imposer"] = "UN"
    assert [a.imposer for a in validate(data).actions][:2] == ["EU", "UN"]
    data["actions"][0]["target_countries"] = ["EU"]
    with pytest.raises(ValidationError):
        validate(data)


def test_target_countries_include_targets_sorted_unique(good_summary: dict[str, Any]) -> None:
    data = copy.deepcopy(good_summary)
    data["actions"][0]["target_countries"] = ["RU", "IR", "RU"]
    data["actions"][0]["targets"] = [
        {"name": "Example Trading FZE", "kind": "organization", "country": "AE"},
        {"name": "MV Example", "kind": "vessel", "country": None},
    ]
    assert validate(data).actions[0].target_countries == ["AE", "IR", "RU"]


def test_legal_basis_is_normalized_and_deduplicated(good_summary: dict[str, Any]) -> None:
    data = copy.deepcopy(good_summary)
    data["actions"][0]["legal_basis"] = [
        "Executive Order (E.O.) 14024",
        "E.O. 14024",
        "EO 13846",
        "Council Regulation (EU) No 833/2014",
        "Decision 2014/512/CFSP",
        "the Special Economic Measures Act",
    ]
    assert validate(data).actions[0].legal_basis == [
        "E.O. 14024",
        "E.O. 13846",
        "Regulation (EU) 833/2014",
        "Decision (CFSP) 2014/512",
        "Special Economic Measures Act",
    ]


@pytest.mark.parametrize(("count", "qualifier"), [(500, None), (None, "exact")])
def test_count_qualifier_null_iff_count_null(
    good_summary: dict[str, Any], count: Any, qualifier: Any
) -> None:
    data = copy.deepcopy(good_summary)
    data["actions"][2]["target_count"] = count
    data["actions"][2]["count_qualifier"] = qualifier
    with pytest.raises(ValidationError, match="count_qualifier must be null exactly"):
        validate(data)


def test_evidence_not_in_source_is_a_validation_error(
    good_summary: dict[str, Any], article: str
) -> None:
    data = copy.deepcopy(good_summary)
    data["actions"][1]["evidence"] = ["Iran will face a full naval blockade from Monday"]
    with pytest.raises(ValidationError, match="not found in the source"):
        validate(data, article)
    # without a source there is nothing to ground against, so it validates
    assert validate(data).actions[1].evidence_spans == []


def test_evidence_bounds(good_summary: dict[str, Any]) -> None:
    data = copy.deepcopy(good_summary)
    data["actions"][0]["evidence"] = []
    with pytest.raises(ValidationError):
        validate(data)
    data["actions"][0]["evidence"] = ["too short"]
    with pytest.raises(ValidationError, match="at least 20 characters"):
        validate(data)
    data["actions"][0]["evidence"] = ["a quote of twenty characters or more"] * 4
    with pytest.raises(ValidationError):
        validate(data)


def test_non_news_cannot_have_actions(good_summary: dict[str, Any]) -> None:
    data = copy.deepcopy(good_summary)
    data["is_sanctions_news"] = False
    with pytest.raises(ValidationError, match="actions must be empty"):
        validate(data)


def test_headline_length_is_bounded(good_summary: dict[str, Any]) -> None:
    data = copy.deepcopy(good_summary)
    data["headline"] = "x" * 161
    with pytest.raises(ValidationError):
        validate(data)


def test_unknown_fields_are_rejected(good_summary: dict[str, Any]) -> None:
    data = copy.deepcopy(good_summary)
    data["actions"][0]["severity"] = "high"
    with pytest.raises(ValidationError, match="severity"):
        validate(data)


def test_output_schema_is_closed_and_bounded() -> None:
    schema = output_schema(max_actions=3, max_targets=8)
    assert "schema_version" not in schema["properties"]
    assert schema["properties"]["actions"]["maxItems"] == 3
    action = schema["$defs"]["SanctionAction"]
    assert "evidence_spans" not in action["properties"]
    assert set(action["required"]) == set(action["properties"])
    assert action["properties"]["targets"]["maxItems"] == 8
    assert action["properties"]["evidence"]["maxItems"] == 3
    assert all(
        d.get("additionalProperties") is False
        for d in schema["$defs"].values()
        if "properties" in d
    )
    assert "evidence_spans" in json_schema()["$defs"]["SanctionAction"]["properties"]
