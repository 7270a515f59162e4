"""Non-English input is recognized, so the English-only rules can say they do not apply."""

from __future__ import annotations

import pytest

from summarizer.eval.dataset import load_dataset
from summarizer.language import detect
from tests.conftest import ROOT

TEXTS = {
    "fr": "Le Conseil a adopté aujourd'hui des mesures restrictives à l'encontre de neuf personnes "
    "et de trois entités responsables de la répression en Biélorussie, dans le cadre du régime.",
    "de": "Der Rat hat heute restriktive Maßnahmen gegen neun Personen und drei Organisationen "
    "verhängt, die für die Unterdrückung in Belarus verantwortlich sind, und das ist nicht neu.",
    "es": "El Consejo ha adoptado hoy medidas restrictivas contra nueve personas y tres entidades "
    "responsables de la represión en Bielorrusia, en el marco del régimen de sanciones de la UE.",
    "ru": "Совет ЕС сегодня ввёл санкции против девяти лиц и трёх организаций, ответственных за "  # noqa: RUF001
    "репрессии в Беларуси.",
    "ar": "فرضت وزارة الخزانة الأمريكية اليوم عقوبات على تسعة أفراد وثلاث شركات في الإمارات.",
    "zh": "美国财政部今天宣布对九名个人和三家实体实施制裁。",
}


@pytest.mark.parametrize(("code", "text"), TEXTS.items())
def test_other_languages_are_named(code: str, text: str) -> None:
    found = detect(text)
    assert found.code == code and not found.is_english


def test_every_labelled_article_is_english() -> None:
    for split in ("dev", "test", "blind", "blind2"):
        for case in load_dataset(ROOT / "evals" / "datasets" / f"{split}.jsonl"):
            assert detect(case.text).is_english, case.id


def test_too_little_text_is_undetermined() -> None:
    assert detect("OFAC").code == "und"
    assert detect("12345 !!!").code == "und"


def test_results_record_the_language_and_warn_when_it_is_not_english(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from summarizer import Summarizer

    summarizer = Summarizer(writer="facts")  # composes from the facts: no model is loaded
    english = (ROOT / "examples" / "treasury_iran_russia.txt").read_text(encoding="utf-8")
    with caplog.at_level("WARNING", logger="summarizer.api"):
        assert summarizer.summarize(english).meta.details["language"] == "en"
        assert not caplog.records
        result = summarizer.summarize(TEXTS["fr"] * 3)
    assert result.meta.details["language"] == "fr"
    assert len(caplog.records) == 1 and "'fr', not English" in caplog.records[0].getMessage()


def test_a_string_that_names_a_file_is_summarized_as_text_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from summarizer import Summarizer

    path = str(ROOT / "examples" / "treasury_iran_russia.txt")
    with caplog.at_level("WARNING", logger="summarizer.api"):
        result = Summarizer(writer="facts").summarize(path)
    assert result.source == path and not result.summary.is_sanctions_news
    assert [r.getMessage() for r in caplog.records if "pathlib.Path" in r.getMessage()]
    with caplog.at_level("WARNING", logger="summarizer.api"):
        caplog.clear()
        Summarizer(writer="facts").summarize(path + " was not found.")  # not a file name
    assert not caplog.records
