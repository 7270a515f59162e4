from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.errors import InputError
from summarizer.ingest import MAX_INPUT_BYTES, prepare, read_path

PAGE = """<!DOCTYPE html><html><head><title>Treasury</title></head><body>
<nav><a href="/">Home</a> | <a href="/press">Press</a></nav>
<article><h1>Treasury Sanctions Network</h1>
<p>WASHINGTON — Today, the Department of the Treasury's Office of Foreign Assets Control sanctioned
twelve individuals and eight entities that procure drone components for Russia's military.</p>
<p>The designations were made pursuant to Executive Order 14024 and block all property of the
persons named in the United States.</p></article>
<footer>Privacy policy | Accessibility | Contact us</footer></body></html>"""


def test_plain_text_is_cleaned() -> None:
    assert prepare("  line one\r\nline two\x07  ") == "line one\nline two"


def test_html_is_reduced_to_the_article() -> None:
    text = prepare(PAGE)
    assert "twelve individuals and eight entities" in text
    assert "Privacy policy" not in text and "<p>" not in text


def test_boilerplate_only_html_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no article text"):
        prepare("<html><body><nav>Home | About</nav></body></html>")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "empty"),
        (" \n\t", "empty"),
        (b"\x00\x01\x02", "binary"),
        (b"\xc3\x28 bad", "not valid UTF-8"),
    ],
)
def test_bad_inputs(data: str | bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        prepare(data)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_path(tmp_path / "missing.txt")


def test_oversized_file(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_INPUT_BYTES + 1))
    with pytest.raises(InputError, match="input limit"):
        read_path(big)


def test_utf8_bom_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffSanctions on Iran".encode())
    assert read_path(path) == "Sanctions on Iran"
