"""Untrusted JSON: replies are parsed with bounded nesting, whatever their strings hold."""

from __future__ import annotations

import json

import pytest

from summarizer.errors import ParseError
from summarizer.parse import MAX_DEPTH, TooDeep, extract_json, loads


@pytest.mark.parametrize(
    "text",
    [
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
        "[" * 200_000,  # not even JSON: refused before the parser recurses
        '{"a":' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1),
        '[{"x": "]]]]"}, ' * 3 + "[" * 40 + "]" * 40 + "]",
    ],
)
def test_deep_nesting_is_refused(text: str) -> None:
    with pytest.raises(TooDeep):
        loads(text)
    with pytest.raises(ParseError, match="nested more than"):
        extract_json(text)


@pytest.mark.parametrize(
    "value",
    [
        {"a": "[" * 1000 + '"\\' + "{" * 1000},  # brackets and escapes inside strings do not count
        [[[[[[1]]]]]] * 100,  # many brackets, shallow
        json.loads("[" * MAX_DEPTH + "]" * MAX_DEPTH),  # exactly at the limit
    ],
)
def test_what_is_not_deep_parses_as_json_does(value: object) -> None:
    text = json.dumps(value)
    assert loads(text) == value == loads(text.encode())
