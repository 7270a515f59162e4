"""The deterministic extractors behind the assisted strategy."""

from __future__ import annotations

from datetime import date

import pytest

from summarizer import Measure, Status, TargetKind
from summarizer.extract.cues import is_background, is_other_sense, measures_in, status_of
from summarizer.extract.draft import build, reason_in, summary_fields
from summarizer.extract.facts import count_in, dates, effective_date, legal_bases
from summarizer.extract.names import plausible
from summarizer.extract.people import speakers
from summarizer.extract.places import authorities, countries
from summarizer.extract.targets import targets
from summarizer.schema import CountQualifier
from summarizer.sentences import split_sentences


def test_sentences_keep_offsets_and_abbreviations() -> None:
    text = "WASHINGTON — The U.S. Treasury acted under E.O. 14024 today. Janet L. Yellen said so.\n\nNEW SUBHEAD\nA third one."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "WASHINGTON — The U.S. Treasury acted under E.O. 14024 today.",
        "Janet L. Yellen said so.",
        "NEW SUBHEAD",
        "A third one.",
    ]
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
    assert sentences[2].paragraph != sentences[1].paragraph


def test_countries_names_demonyms_and_based() -> None:
    text = "A UAE-based firm, a Russian national, the People's Republic of China (PRC) and Hong Kong. IT WORKERS AS Li Wei."
    assert [m.code for m in countries(text)] == ["AE", "RU", "CN", "CN", "HK"]


def test_authorities_map_to_jurisdictions() -> None:
    text = "The Office of Foreign Assets Control, the Council of the European Union, the FCDO and the Security Council."
    assert [(m.code, m.text) for m in authorities(text)] == [
        ("US", "Office of Foreign Assets Control"),
        ("EU", "Council of the European Union"),
        ("GB", "Foreign, Commonwealth and Development Office"),
        ("UN", ""),
    ]


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("Today OFAC designated 12 individuals.", Status.IMPOSED),
        (
            "The United States will impose additional sanctions on Iran in the coming days.",
            Status.ANNOUNCED,
        ),
        ("Iran would face further sanctions if it sends missiles.", Status.THREATENED),
        ("The Commission proposed an 18th package of sanctions.", Status.PROPOSED),
        ("OFAC today removed three companies from the SDN List.", Status.LIFTED),
        ("OFAC issued General License 44 authorizing transactions.", Status.EASED),
        ("The Council extended the sectoral sanctions by six months.", Status.EXTENDED),
    ],
)
def test_status_cues(sentence: str, status: Status) -> None:
    assert status_of(sentence) is status


def test_background_negation_and_other_senses() -> None:
    assert is_background("Radiotekhsnab LLC, which OFAC designated in November 2023, was involved.")
    assert is_background("No new sanctions were announced.")
    assert is_background(
        "Today's action brings the total to more than 500 targets, bringing the total sanctioned."
    )
    assert not is_background("Today OFAC designated 12 individuals.")
    assert is_other_sense("The disciplinary commission also sanctioned both clubs.")


def test_measures() -> None:
    assert measures_in("They face an asset freeze and a travel ban.") == [
        Measure.ASSET_FREEZE,
        Measure.TRAVEL_BAN,
    ]
    assert measures_in("The package bans imports of Russian LNG and lowers the price cap.") == [
        Measure.IMPORT_RESTRICTIONS,
        Measure.PRICE_CAP,
    ]
    assert measures_in("Gangs control Port-au-Prince.") == []


@pytest.mark.parametrize(
    ("sentence", "value", "qualifier"),
    [
        ("OFAC designated 11 individuals and 29 entities today.", 40, CountQualifier.EXACT),
        (
            "Treasury plans more than 500 new sanctions against Russia.",
            500,
            CountQualifier.MORE_THAN,
        ),
        ("It added nearly 300 people to the list.", 300, CountQualifier.ABOUT),
        (
            "designated four entities and identified five vessels as blocked property",
            9,
            CountQualifier.EXACT,
        ),
        ("The Council listed twelve persons.", 12, CountQualifier.EXACT),
        ("Russia closed its borders to 227 U.S. citizens.", 227, CountQualifier.EXACT),
        ("The new listings cover 69 individuals and 47 entities.", 116, CountQualifier.EXACT),
        ("The Security Council 2653 Committee added four individuals.", 4, CountQualifier.EXACT),
        (
            "The decree renews for ten years sanctions against 68 legal entities.",
            68,
            CountQualifier.EXACT,
        ),
        (
            "Treasury sanctioned a Hong Kong company and two Chinese nationals.",
            3,
            CountQualifier.EXACT,
        ),
        (
            "China sanctioned 10 individuals and four entities, among them five members of parliament.",
            14,
            CountQualifier.EXACT,
        ),
        (
            "OFAC designated 12 individuals, including three Iranian officials.",
            12,
            CountQualifier.EXACT,
        ),
    ],
)
def test_counts(sentence: str, value: int, qualifier: CountQualifier) -> None:
    found = count_in(sentence)
    assert found is not None and (found.value, found.qualifier) == (value, qualifier)


@pytest.mark.parametrize(
    ("sentence", "written"),
    [
        ("OFAC designated 22 individuals and entities in Iran.", "22 individuals and entities"),
        (
            "It named more than 30 individuals, entities, and vessels.",
            "more than 30 individuals, entities, and vessels",
        ),
        ("OFAC designated 11 individuals and 29 entities.", "11 individuals and 29 entities"),
        ("It designated four individuals and the companies they own.", "four individuals"),
    ],
)
def test_a_count_is_written_with_the_nouns_that_share_its_number(
    sentence: str, written: str
) -> None:
    found = count_in(sentence)
    assert found is not None and found.text == written


def test_the_parts_a_second_verb_adds_are_written_apart() -> None:
    found = count_in(
        "It imposed travel bans on 55 individuals and froze the assets of 37 entities."
    )
    assert found is not None and (found.value, found.text, found.also) == (
        92,
        "55 individuals",
        ("37 entities",),
    )
    found = count_in(
        "Treasury is sanctioning 22 individuals and entities and identifying 13 vessels."
    )
    assert found is not None and (found.value, found.also) == (35, ("13 vessels",))
    found = count_in("OFAC designated 11 individuals and 29 entities.")
    assert found is not None and found.also == ()


def test_member_states_are_no_count_of_targets() -> None:
    assert count_in("It needs the approval of all 27 member states.") is None


def test_cumulative_totals_are_not_counts() -> None:
    assert count_in("bringing the total to more than 1,000 individuals and entities") is None
    assert count_in("Treasury has now sanctioned over 500 vessels since 2022.") is None


def test_legal_bases_and_dates() -> None:
    text = "pursuant to Executive Order (E.O.) 14024 and Council Regulation (EU) No 269/2014, and Decision 2014/145/CFSP."
    assert [f.value for f in legal_bases(text)] == [
        "E.O. 14024",
        "Regulation (EU) 269/2014",
        "Decision (CFSP) 2014/145",
    ]
    assert [d for d, *_ in dates("On 24 February 2025 and March 3, 2024; 2023-05-01.")] == [
        date(2025, 2, 24),
        date(2024, 3, 3),
        date(2023, 5, 1),
    ]
    assert effective_date("The measures take effect on 12 June 2024.") == date(2024, 6, 12)


def test_targets_in_designation_paragraphs() -> None:
    text = (
        "Today OFAC designated the following.\n\n"
        "Aurum Parts Trading FZE (Aurum Parts) is a Dubai-based company run by Artem Lomov, a Russian national.\n\n"
        "The tanker KASHTI STAR (IMO 9283760), flagged in Panama, carried oil.\n\n"
        "Also designated were: Alpha Bank JSC; Beta Group LLC; and Ivan Petrov."
    )
    found = {t.name: t for t in targets(split_sentences(text), text, {0, 3})}
    assert found["Aurum Parts Trading FZE"].kind is TargetKind.ORGANIZATION
    assert found["Aurum Parts Trading FZE"].country == "AE"
    assert (found["Artem Lomov"].kind, found["Artem Lomov"].country) == (TargetKind.PERSON, "RU")
    assert found["KASHTI STAR"].kind is TargetKind.VESSEL
    assert {"Alpha Bank JSC", "Beta Group LLC", "Ivan Petrov"} <= set(found)
    assert "Aurum Parts" not in found  # an alias, not another target


def test_speakers() -> None:
    text = (
        '"We act today," said Deputy Secretary of the Treasury Wally Adeyemo. '
        "Mexico's ambassador, Juan Ramón de la Fuente, said the text was fair. "
        "President Joe Biden warned Russian President Vladimir Putin on Tuesday."
    )
    found = {s.name: s.title for s in speakers(split_sentences(text))}
    assert found == {
        "Wally Adeyemo": "Deputy Secretary of the Treasury",
        "Juan Ramón de la Fuente": None,
        "Joe Biden": "President",
    }


def test_build_the_worked_example(article: str) -> None:
    fields = summary_fields(build(article))
    actions = [(a["imposer"], a["status"], a["target_count"]) for a in fields["actions"]]
    assert actions == [
        ("US", "announced", None),
        ("US", "threatened", None),
        ("US", "announced", 500),
    ]
    assert fields["actions"][0]["target_countries"] == ["IR"]
    assert fields["actions"][2]["target_countries"] == ["RU"]
    assert fields["published_date"] == "2022-10-18"
    assert [o["name"] for o in fields["officials"]] == ["John Kirby"]
    for action in fields["actions"]:
        assert all(quote in article for quote in action["evidence"])


def test_build_negative_sport() -> None:
    text = (
        "The league's disciplinary commission banned the striker for six matches on Tuesday and fined "
        "the club 50,000 euros. The commission also sanctioned both clubs for crowd trouble at the stadium."
    )
    fields = summary_fields(build(text))
    assert (
        fields["is_sanctions_news"] is False
        and fields["actions"] == []
        and fields["officials"] == []
    )


def test_a_number_inside_an_identifier_is_no_count() -> None:
    assert count_in("CDi.039 Name: 1: WILLY NGOMA") is None
    assert count_in("Reference 039 names the group") is None
    found = count_in("The committee added 39 individuals to the list.")
    assert found is not None and found.value == 39


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        (
            "OFAC designated 29 entities in Russia, China and the United Arab Emirates that help "
            "Moscow acquire machine tools, the Treasury said.",
            "help Moscow acquire machine tools",
        ),
        (
            "The United States will impose sanctions on Iran over its supply of attack drones to "
            "Russia, a White House spokesman told reporters.",
            "its supply of attack drones to Russia",
        ),
        (
            "OFAC sanctioned Aeza Group for providing bulletproof hosting services to ransomware "
            "gangs, pursuant to E.O. 13694.",
            "providing bulletproof hosting services to ransomware gangs",
        ),
        ("The Council listed one person who has died.", None),
        ("It set out the legal basis for imposing sanctions on Iran.", None),
        ("The Department for Combating Organized Crime was listed.", None),
    ],
)
def test_the_reason_is_read_as_written_and_cut_where_the_sentence_moves_on(
    sentence: str, reason: str | None
) -> None:
    assert reason_in(sentence) == reason


def test_a_describing_sentence_gives_no_relative_clause_reason() -> None:
    sentence = "Treasury also named two companies that supply drone parts to Kupol."
    assert reason_in(sentence) == "supply drone parts to Kupol"
    assert reason_in(sentence, own=False) is None


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Sofia Sapega was detained with him.", []),
        ("Victoria Nuland said the talks had failed.", []),
        ("He was arrested in Sofia, Bulgaria.", ["BG", "BG"]),
        ("It trades on the Moscow Exchange.", ["RU"]),
        ("A logo at a fair in Shanghai. File photo", ["CN"]),
        ("Beijing Lingyun Technology was listed.", ["CN"]),
    ],
)
def test_a_city_that_opens_a_persons_name_is_no_place(text: str, codes: list[str]) -> None:
    assert [m.code for m in countries(text)] == codes


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ANNEX", False),
        ("Isfahan Province", False),
        ("Rezvanshahr County", False),
        ("of Amol", False),
        ("Law Enforcement Forces of Isfahan Province", True),
        ("Majid Kazemi", True),
        ("Ouest Department", False),
        ("Accordingly", False),
        ("Haiti Passport", False),
    ],
)
def test_headings_places_and_lower_case_runs_are_no_names(name: str, expected: bool) -> None:
    assert plausible(name) is expected


def test_a_reason_cut_inside_an_aside_drops_the_open_aside() -> None:
    sentence = (
        "OFAC sanctioned five companies that arranged the sale of Iranian petroleum and "
        "petrochemical products worth hundreds of millions of dollars on behalf of the National "
        "Iranian Oil Company (NIOC, the state oil firm, which Washington has long targeted), "
        "under E.O. 13846."
    )
    reason = reason_in(sentence)
    assert reason is not None and reason.count("(") == reason.count(")")
