from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from summarizer.grounding import AlignmentStatus, align, unsupported_mentions

SOURCE = (
    "WASHINGTON \u2014 Today, the Department of the Treasury\u2019s Office of Foreign Assets Control\n"
    "(OFAC) sanctioned  12 individuals and 8 entities for supporting Russia\u2019s war."
)


def test_exact() -> None:
    found = align("sanctioned  12 individuals", SOURCE)
    assert found.status is AlignmentStatus.EXACT
    assert SOURCE[found.start : found.end] == "sanctioned  12 individuals"  # type: ignore[misc]


def test_normalized_whitespace_case_and_quotes() -> None:
    quote = "the department of the treasury's office of foreign assets control (OFAC) sanctioned 12"
    found = align(quote, SOURCE)
    assert found.status is AlignmentStatus.NORMALIZED
    span = SOURCE[found.start : found.end]  # type: ignore[misc]
    assert span.startswith("the Department") and span.endswith("sanctioned  12")


def test_fuzzy_small_typo_is_grounded_with_score() -> None:
    found = align("sanctioned 12 individuals and 8 entitys for supporting Russia's war", SOURCE)
    assert found.status is AlignmentStatus.FUZZY
    assert found.score >= 92
    assert "entities" in SOURCE[found.start : found.end]  # type: ignore[misc]


def test_invented_quote_is_ungrounded() -> None:
    assert (
        align("OFAC lifted all sanctions on Russian banks today", SOURCE).status
        is AlignmentStatus.UNGROUNDED
    )


def test_word_subset_does_not_ground() -> None:
    found = align("Office of Foreign Assets Control sanctioned 40 vessels of Iran", SOURCE)
    assert not found.grounded


@given(st.text(min_size=30, max_size=300), st.data())
def test_any_substring_aligns_exactly(source: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(source) - 25))
    end = data.draw(st.integers(start + 20, len(source)))
    quote = source[start:end]
    found = align(quote, source)
    if quote.strip():
        assert found.grounded
        assert found.start is not None and found.end is not None
        assert source[found.start : found.end] == quote


def test_numbers_are_found_whole_also_inside_identifiers() -> None:
    source = "Lashkar-e-Tayyiba (QDe.118) was listed in 2017; 3.5 million was frozen."
    assert unsupported_mentions("Lashkar-e-Tayyiba is listed as QDe.118.", source) == []
    assert unsupported_mentions("Lashkar-e-Tayyiba had 17 cases and 5 million.", source) == [
        "17",
        "5",
    ]
