from __future__ import annotations

import pytest

from summarizer.normalize import country_code, legal_basis, parse_number


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("RU", "RU"),
        ("ru", "RU"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("IRN", "IR"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("North Korea", "KP"),
        ("Democratic People's Republic of Korea", "KP"),
        ("European Union", "EU"),
        ("UN", "UN"),
        ("Burma", "MM"),
        ("Türkiye", "TR"),
        ("Kosovo", "XK"),
    ],
)
def test_country_code(value: str, code: str) -> None:
    assert country_code(value) == code


@pytest.mark.parametrize("value", ["", "XX", "Narnia", "the", "more_than"])
def test_country_code_unknown(value: str) -> None:
    assert country_code(value) is None


@pytest.mark.parametrize(
    ("value", "normal"),
    [
        ("Executive Order 14024", "E.O. 14024"),
        ("E.O. 13694, as amended", "E.O. 13694"),
        ("Executive Order (E.O.) 13846", "E.O. 13846"),
        ("EO13224", "E.O. 13224"),
        ("Council Regulation (EU) No 269/2014", "Regulation (EU) 269/2014"),
        ("Council Implementing Regulation (EU) 2024/1739", "Regulation (EU) 2024/1739"),
        ("Council Decision (CFSP) 2024/1744", "Decision (CFSP) 2024/1744"),
        ("Decision 2014/145/CFSP", "Decision (CFSP) 2014/145"),
        ("UN Security Council resolution 2231", "UNSCR 2231"),
        ("Resolution 1718 (2006)", "UNSCR 1718"),
        (
            "the Russia (Sanctions) (EU Exit) Regulations 2019",
            "Russia (Sanctions) (EU Exit) Regulations 2019",
        ),
    ],
)
def test_legal_basis(value: str, normal: str) -> None:
    assert legal_basis(value) == normal


def test_parse_number() -> None:
    assert parse_number("1,200") == 1200
    assert parse_number("twelve") == 12
    assert parse_number("many") is None
