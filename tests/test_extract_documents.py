"""Whole-article behaviour of the rules: genres, dates, imposers, targets, counts, officials."""

from __future__ import annotations

from typing import Any

import pytest

from summarizer.extract.draft import build, summary_fields
from summarizer.extract.facts import count_in
from summarizer.extract.targets import _country_near


def _actions(text: str) -> list[dict[str, Any]]:
    return list(summary_fields(build(text))["actions"])


def _action_of(text: str, imposer: str) -> dict[str, Any]:
    """The first action of ``imposer`` in ``text``."""
    return next(a for a in _actions(text) if a["imposer"] == imposer)


def test_an_enforcement_settlement_is_not_sanctions_news() -> None:
    text = (
        "OFAC Settles with Acme Coatings for $1,092,000 Related to Apparent Violations of Iran Sanctions\n\n"
        "Acme Coatings has agreed to pay $1,092,000 to settle its potential civil liability for 37 "
        "apparent violations. OFAC designated the distributor in 2019."
    )
    draft = build(text)
    assert not draft.is_sanctions_news
    assert draft.genre == "genre.negative.enforcement_settlement"


def test_a_designation_in_the_lead_overrides_a_penalty_word() -> None:
    text = (
        "WASHINGTON — Today, OFAC designated three companies that helped Iran evade a civil penalty "
        "regime. The companies are based in the United Arab Emirates."
    )
    assert build(text).genre is None
    assert [a["imposer"] for a in _actions(text)] == ["US"]


def test_developments_dated_well_before_the_article_are_background() -> None:
    text = (
        "LONDON, 10 September 2025 — The UK today sanctioned five Russian banks. In June, Canada "
        "and Australia froze the assets of the two ministers. On 1 March 2025 the Council adopted "
        "its 16th package."
    )
    assert [(a["imposer"], a["status"]) for a in _actions(text)] == [("GB", "imposed")]


def test_any_country_named_as_a_government_can_impose() -> None:
    text = (
        "BEIJING, Dec 5, 2024 -- China on Thursday froze the assets of 13 American military "
        "companies and six executives, the foreign ministry said."
    )
    (action,) = _actions(text)
    assert action["imposer"] == "CN" and action["target_countries"] == ["US"]
    assert action["target_count"] == 19


def test_the_agent_of_a_passive_is_the_imposer() -> None:
    text = (
        "Russian citizen Aleksandr Ermakov, whom Australian agencies linked to the hack, has today "
        "been made subject to a targeted financial sanction and a travel ban by the Australian "
        "Government."
    )
    (action,) = _actions(text)
    assert action["imposer"] == "AU"
    assert action["measures"] == ["asset_freeze", "travel_ban"]


def test_the_council_of_a_un_text_is_the_security_council() -> None:
    text = (
        "The Security Council this morning adopted resolution 2664 creating a humanitarian "
        "exemption. The Council decided that the provision of funds for humanitarian assistance "
        "is permitted and not a violation of the asset freezes it imposes."
    )
    assert {a["imposer"] for a in _actions(text)} == {"UN"}


def test_sdn_style_entries_and_vessel_flags_are_targets() -> None:
    text = (
        "OFAC today removed the following persons from the SDN List:\n\n"
        "CHASDAI, David Chai, Israel; nationality Israel (individual) [WEST-BANK-EO14115].\n"
        "AMANA, Israel [WEST-BANK-EO14115].\n\n"
        "OFAC also identified Panama-flagged crude oil tanker KASHTI STAR (IMO 9154323) as blocked "
        "property."
    )
    names = {(t["name"], t["kind"], t["country"]) for a in _actions(text) for t in a["targets"]}
    assert ("CHASDAI, David Chai", "person", "IL") in names
    assert ("KASHTI STAR", "vessel", "PA") in names


def test_counts_sum_parts_across_an_aside_and_skip_identifiers() -> None:
    aside = count_in(
        "In all, four entities -- Aeza Group, two subsidiaries and a front company -- and four "
        "individuals who lead it were designated."
    )
    assert aside is not None and aside.value == 8
    assert count_in("under Presidential Proclamation 9931 on Maduro-aligned individuals") is None
    words = count_in("The Council listed sixty-nine individuals and forty-seven entities.")
    assert words is not None and words.value == 116
    assert count_in("bringing the total number of listings to 2,200 individuals") is None


def test_a_victim_is_not_a_programme_country() -> None:
    text = (
        "The Council today imposed restrictive measures on four individuals over Russia's war of "
        "aggression against Ukraine and the deportation of Ukrainian children."
    )
    (action,) = _actions(text)
    assert action["imposer"] == "EU" and "UA" not in action["target_countries"]  # type: ignore[operator]


def test_officials_who_announce_but_not_commentators() -> None:
    text = (
        '"These sanctions cut off the network," said Deputy Secretary of the Treasury Wally '
        'Adeyemo. "The regime matters less for the money it freezes," said Jana Hruba, who follows '
        "Russian influence operations at a research institute. Today OFAC designated 12 firms."
    )
    assert [o["name"] for o in summary_fields(build(text))["officials"]] == ["Wally Adeyemo"]  # type: ignore[index]


def test_an_order_signed_by_the_president_names_him() -> None:
    text = (
        "Sec. 1. All property and interests in property of the persons listed in the Annex are "
        "hereby blocked and may not be transferred.\n\nJOSEPH R. BIDEN JR.\n\nTHE WHITE HOUSE,\n"
        "March 11, 2022."
    )
    officials = summary_fields(build(text))["officials"]
    assert [o["name"] for o in officials] == ["Joseph R. Biden Jr."]  # type: ignore[index]


def test_every_action_records_the_rules_that_made_it() -> None:
    draft = build("WASHINGTON — Today, OFAC designated 11 individuals pursuant to E.O. 14024.")
    (action,) = draft.actions
    assert "sentence.designation" in action.rules
    assert "status.default_imposed" in action.rules
    assert "authority.us.ofac" in action.rules
    assert "measure.asset_freeze" in action.rules


def test_hostile_shapes_give_bounded_results_not_errors() -> None:
    from bench.bench_extract import SHAPES

    for name, make in SHAPES.items():
        fields = summary_fields(build(make(20 * 1024)))
        assert len(fields["actions"]) <= 20, name
        assert all(len(a["targets"]) <= 400 for a in fields["actions"]), name


def test_an_annex_longer_than_the_schema_allows_is_cut_with_a_note() -> None:
    lines = "".join(
        f"{i}. IVANOV{i}, Petr, Moscow, Russia; nationality Russia (individual) [RUSSIA-EO14024].\n"
        for i in range(450)
    )
    draft = build("WASHINGTON — Today, OFAC designated the following persons:\n\n" + lines)
    (action,) = summary_fields(draft)["actions"]
    assert len(action["targets"]) == 400
    assert draft.notes == ["action 1 targets: 450 found, the first 400 kept"]


def test_a_nationality_before_targets_is_a_target_country_not_an_imposer() -> None:
    (barred,) = _actions(
        "MOSCOW, March 14, 2024 -- Russia's Foreign Ministry said on Thursday it had closed the "
        "country's borders to 227 U.S. citizens."
    )
    assert (barred["imposer"], barred["target_countries"]) == ("RU", ["US"])
    (adopted,) = _actions(
        "U.S. officials welcomed the move. The Council of the European Union today imposed "
        "restrictive measures on eight Iranian officials."
    )
    assert (adopted["imposer"], adopted["target_countries"]) == ("EU", ["IR"])


def test_nationals_aimed_at_keep_their_country_when_it_imposes_too() -> None:
    """A country that imposes another action of the article stays a target country where the
    action's sentence aims at its nationals ("sanctioned nine Japanese citizens")."""
    text = (
        "MOSCOW, March 3, 2025 — Russia has sanctioned nine Japanese citizens, barring them from "
        "entering the country, the Foreign Ministry said. Japan, for its part, imposed asset "
        "freezes on three Russian banks on Friday."
    )
    by_imposer = {a["imposer"]: a["target_countries"] for a in _actions(text)}
    assert by_imposer["RU"] == ["JP"] and by_imposer["JP"] == ["RU"]


def test_a_capital_in_the_possessive_names_its_country() -> None:
    (action,) = _actions(
        "TOKYO, Dec. 2, 2022 -- Japan's Cabinet approved an asset freeze on three organisations "
        "linked to Pyongyang's weapons programmes."
    )
    assert (action["imposer"], action["target_countries"]) == ("JP", ["KP"])


def test_nationals_named_after_the_measures_stay_in_the_imposers_part() -> None:
    """A sentence is cut at another jurisdiction's mention, but not at the nationals aimed at."""
    text = (
        "BEIJING, Aug. 10, 2020 — China said on Monday it had decided to impose sanctions on 11 "
        "Americans, striking back after Washington penalised Hong Kong's leader."
    )
    by_imposer = {a["imposer"]: a["target_countries"] for a in _actions(text)}
    assert by_imposer["CN"] == ["US"]


def test_an_undated_sentence_that_goes_on_with_a_dated_past_story_is_background() -> None:
    text = (
        "LONDON, 14 July 2025 — The UK today sanctioned five Iranian officials over the "
        "crackdown on protesters.\n\n"
        "The nuclear deal took effect in January 2016 after inspectors verified Iran's steps. "
        "That evening, the EU terminated most of its nuclear-related economic measures."
    )
    assert [(a["imposer"], a["status"]) for a in _actions(text)] == [("GB", "imposed")]
    # the same sentence after one that tells today's news is an action
    today = text.replace("took effect in January 2016", "was discussed in Vienna today")
    assert ("EU", "lifted") in [(a["imposer"], a["status"]) for a in _actions(today)]


@pytest.mark.parametrize(
    ("text", "imposers"),
    [
        (
            "WASHINGTON — Working in coordination with the European Union, the United Kingdom, "
            "Canada and Australia, Treasury also designated 12 Russian companies today.",
            ["US"],
        ),
        (
            "WASHINGTON — Today, alongside the United Kingdom and Canada, OFAC designated 12 "
            "Russian companies.",
            ["US"],
        ),
        (
            "WASHINGTON — Today, OFAC, in close coordination with the United Kingdom, designated "
            "12 Russian companies.",
            ["US"],
        ),
        (
            "LONDON — Together with the United States, the UK today sanctioned 12 Russian "
            "companies.",
            ["GB"],
        ),
        (
            "The United States, Britain and Canada imposed sanctions on 12 Russian companies "
            "today.",
            ["US", "GB", "CA"],
        ),
    ],
)
def test_partners_named_in_passing_impose_nothing(text: str, imposers: list[str]) -> None:
    assert [a["imposer"] for a in _actions(text)] == imposers


def test_first_person_sentences_of_a_joint_statement_are_every_signatorys_actions() -> None:
    text = (
        "Joint statement\n\n"
        "The foreign ministers of France, Germany and the United Kingdom respond to Iran's "
        "transfer of ballistic missiles to Russia.\n\n"
        "France, Germany and the United Kingdom condemn the transfer. Our governments will "
        "impose sanctions on Iran Air without delay."
    )
    actions = _actions(text)
    assert [(a["imposer"], a["status"]) for a in actions] == [
        ("FR", "announced"),
        ("DE", "announced"),
        ("GB", "announced"),
    ]
    assert all(a["target_countries"] == ["IR"] for a in actions)
    # the same sentence outside a joint statement names no imposer of its own
    plain = text.replace("Joint statement", "Statement").replace(
        "France, Germany and the United Kingdom condemn", "The ministers condemn"
    )
    assert [a["imposer"] for a in _actions(plain)] != ["FR", "DE", "GB"]


def test_a_sentence_that_states_the_whole_count_gives_it() -> None:
    (action,) = _actions(
        "WASHINGTON — Today, OFAC sanctioned two Russian companies that run a ransomware "
        "network. Their leaders are Russian nationals. In all, the action covers two entities and "
        "four individuals."
    )
    assert (action["target_count"], action["count_qualifier"]) == (6, "exact")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "BRUSSELS, 5 August 2024 — The Council today imposed restrictive measures on two people "
            "responsible for repression in Belarus. The list of persons follows:\n\n"
            "1. Aliaksandr Ivanavich HRYNKEVICH / Aleksandr Ivanovich GRINKEVICH\n"
            "Position(s): Deputy Head of the Main Directorate\n\n"
            "2. Volha Mikhailauna SAVITSKAYA / Olga Mikhailovna SAVITSKAYA\n"
            "Position(s): Judge of the Minsk City Court\n",
            {"Aliaksandr Ivanavich HRYNKEVICH", "Volha Mikhailauna SAVITSKAYA"},
        ),
        (
            "CANBERRA, 24 February 2024 — Australia today imposed targeted financial sanctions on "
            "two Russian individuals, listed in the attachment:\n\n"
            "Name | Date of birth | Citizenship\n"
            "Anna Viktorovna KUZNETSOVA | 12/03/1979 | Russia\n"
            "Sergei Alekseyevich POPOV | 05/11/1968 | Russia\n",
            {"Anna Viktorovna KUZNETSOVA", "Sergei Alekseyevich POPOV"},
        ),
    ],
)
def test_numbered_entries_with_transliterations_and_table_rows_are_targets(
    text: str, names: set[str]
) -> None:
    (action,) = _actions(text)
    assert names <= {t["name"] for t in action["targets"]}


def test_the_imposer_is_never_a_target_country() -> None:
    (action,) = _actions(
        "LONDON, 12 July 2023 — The UK today sanctioned Alpha Logistics Ltd, a British company "
        "based in London, and two Sudanese firms, Zafir Trading and Nile Gold, over the conflict "
        "in Sudan."
    )
    assert action["imposer"] == "GB" and "GB" not in action["target_countries"]
    assert all(t["country"] != "GB" for t in action["targets"])


def test_an_annex_entry_gives_its_targets_country_from_its_own_lines() -> None:
    assert (
        _country_near("\u2013 Address: Room 1809, Futian District, Shenzhen, China. Supplier")
        == "CN"
    )
    assert _country_near("DOB: 7.6.1980\nNationality: Belarusian\nGender: male") == "BY"
    assert _country_near("Anna KUZNETSOVA | Citizenship: Russia | Deputy") == "RU"
    text = (
        "LONDON, 7 November 2024 — The UK today sanctioned two individuals:\n\n"
        "1. Ivan Petrovich SOKOLOV \u2013 DOB: 12.3.1970.\n"
        "2. Aliaksandr Ivanavich HRYNKEVICH \u2013 DOB: 7.6.1980. Nationality: Belarusian.\n"
    )
    (action,) = _actions(text)
    by_name = {t["name"]: t["country"] for t in action["targets"]}
    assert by_name.get("Aliaksandr Ivanavich HRYNKEVICH") == "BY"
    assert by_name.get("Ivan Petrovich SOKOLOV") != "BY"  # the next entry's lines are not his


def test_a_not_that_does_not_deny_keeps_the_threat() -> None:
    text = (
        "WASHINGTON, Feb. 19, 2023 -- If Beijing arms Moscow, the United States will not hesitate "
        "to impose sanctions on Chinese companies, the State Department said on Sunday."
    )
    assert [(a["imposer"], a["status"]) for a in _actions(text)] == [("US", "threatened")]
    denied = text.replace("will not hesitate to impose", "will not impose")
    assert _actions(denied) == []


def test_a_quoted_threat_that_opens_with_if_is_a_threat() -> None:
    text = (
        "WASHINGTON, Feb. 19, 2023 -- Secretary of State Antony Blinken said the United States had "
        'information that China was considering supplying weapons to Russia. "If China provides '
        "lethal support to Russia's war, we will impose sanctions on the Chinese companies "
        'involved," Blinken told reporters.'
    )
    assert [(a["imposer"], a["status"]) for a in _actions(text)] == [("US", "threatened")]


def test_a_headline_in_capitals_is_read_but_a_section_head_is_not() -> None:
    body = (
        "BRUSSELS, 17 June 2024 — European Union governments on Monday extended the bloc's "
        "economic restrictions on Crimea and Sevastopol until 23 June 2025."
    )
    title = "EU ROLLS OVER CRIMEA SANCTIONS FOR ANOTHER YEAR, TEN YEARS AFTER FIRST MEASURES"
    assert [(a["imposer"], a["status"]) for a in _actions(f"{title}\n\n{body}")] == [
        ("EU", "extended")
    ]
    assert _actions(f"EU SANCTIONS EXTENDED\n\n{body}") == []


#: one-paragraph releases and wire leads across the genres, vocabularies and jurisdictions the
#: rules are written for, and texts that use "sanctions" otherwise: (text, [(imposer, status)])
RELEASES = [
    (
        "WASHINGTON — Today, the Department of the Treasury's Office of Foreign Assets Control identified four vessels as blocked property in which Sovcomflot has an interest.",
        [("US", "imposed")],
    ),
    (
        "WASHINGTON — OFAC today imposed correspondent and payable-through account sanctions on two Chinese banks for facilitating transactions for Russia's military-industrial base.",
        [("US", "imposed")],
    ),
    (
        "WASHINGTON — Treasury today removed 14 individuals and entities from the SDN List after a review of their conduct.",
        [("US", "lifted")],
    ),
    ("WASHINGTON — OFAC delisted three Venezuelan officials on Tuesday.", [("US", "lifted")]),
    (
        "WASHINGTON — Treasury today issued General License 8L, authorizing certain energy-related transactions with Russian banks until March 12.",
        [("US", "eased")],
    ),
    (
        "WASHINGTON — The President today signed a notice continuing the national emergency with respect to Iran for one year.",
        [("US", "extended")],
    ),
    (
        "By the authority vested in me as President, I hereby order that all property and interests in property of the following persons are blocked: the International Criminal Court prosecutor.",
        [("US", "imposed")],
    ),
    (
        "BRUSSELS — The Council today adopted a port access ban on 27 vessels of Russia's shadow fleet and listed them in Annex XLII.",
        [("EU", "imposed")],
    ),
    (
        "BRUSSELS — The European Commission today put forward a proposal for a 17th package of restrictive measures against Russia.",
        [("EU", "proposed")],
    ),
    (
        "LONDON — The Foreign Secretary today announced a ban on trust and professional services to Russian companies, under the Russia (Sanctions) (EU Exit) Regulations 2019.",
        [("GB", "imposed")],
    ),
    (
        "LONDON — OFSI today issued a general licence allowing payments for legal services to designated persons.",
        [("GB", "eased")],
    ),
    (
        "OTTAWA — Canada today imposed sanctions under the Justice for Victims of Corrupt Foreign Officials Act on five Iranian officials.",
        [("CA", "imposed")],
    ),
    (
        "OTTAWA — Minister Joly announced that Canada is listing 14 individuals under the Special Economic Measures (Russia) Regulations.",
        [("CA", "imposed")],
    ),
    (
        "TOKYO — Japan's Ministry of Finance said on Tuesday it would freeze the assets of 11 individuals and 35 entities linked to Russia's war in Ukraine.",
        [("JP", "announced")],
    ),
    (
        "CANBERRA — Australia has imposed targeted financial sanctions and travel bans on three Russian cyber actors under the Autonomous Sanctions Regulations 2011.",
        [("AU", "imposed")],
    ),
    (
        "NEW YORK — The Security Council Committee established pursuant to resolution 1718 (2006) today added two entities to its sanctions list.",
        [("UN", "imposed")],
    ),
    (
        "BERN — Switzerland has adopted the European Union's latest sanctions against Russia, the State Secretariat for Economic Affairs (SECO) said on Friday.",
        [("CH", "imposed")],
    ),
    (
        "WASHINGTON — The United States is prepared to impose severe sanctions on Russia if it invades Ukraine, the White House said on Friday.",
        [("US", "threatened")],
    ),
    (
        "WASHINGTON — The Biden administration plans to sanction more than a dozen Chinese companies next week, officials said.",
        [("US", "announced")],
    ),
    (
        "WASHINGTON — The Treasury Department blacklisted three Hezbollah financiers on Thursday.",
        [("US", "imposed")],
    ),
    (
        "LONDON — Britain on Monday slapped sanctions on two Russian oil majors, Rosneft and Lukoil.",
        [("GB", "imposed")],
    ),
    (
        "BRUSSELS — EU ambassadors agreed on Wednesday to prolong economic sanctions against Russia for another six months.",
        [("EU", "extended")],
    ),
    (
        "WASHINGTON — The United States lifted sanctions on Syria's central bank on Friday.",
        [("US", "lifted")],
    ),
    (
        "WASHINGTON — Washington eased some oil sanctions on Venezuela on Wednesday, issuing a six-month license.",
        [("US", "eased")],
    ),
    (
        "WASHINGTON — The United States on Tuesday hit Iran's oil minister with sanctions.",
        [("US", "imposed")],
    ),
    (
        "WASHINGTON — Treasury sanctioned a network of 20 companies that shipped Iranian oil to China.",
        [("US", "imposed")],
    ),
    (
        "LONDON — The UK has frozen the assets of a Russian oligarch and banned him from travelling to Britain.",
        [("GB", "imposed")],
    ),
    (
        "WASHINGTON — The State Department is imposing visa restrictions on 250 Nicaraguan officials.",
        [("US", "imposed")],
    ),
    (
        "BRUSSELS — The EU suspended sanctions on Syria's energy sector for one year.",
        [("EU", "eased")],
    ),
    (
        "WASHINGTON — President Trump on Monday revoked the executive order that imposed sanctions on Syria.",
        [("US", "lifted")],
    ),
    (
        "WASHINGTON — Three Iranian petrochemical brokers were sanctioned by the Treasury Department on Thursday.",
        [("US", "imposed")],
    ),
    (
        "LONDON — Sanctions were imposed on 25 Russian officials by the British government on Monday.",
        [("GB", "imposed")],
    ),
    (
        "BRUSSELS — New listings under the EU's global human rights regime were agreed by foreign ministers today.",
        [("EU", "imposed")],
    ),
    (
        "WASHINGTON — The European Commission fined Apple 500 million euros on Monday under the Digital Markets Act.",
        [],
    ),
    (
        "ZURICH — FIFA sanctioned the Mexican football federation over discriminatory chants by fans.",
        [],
    ),
    (
        "WASHINGTON — A Virginia man pleaded guilty on Tuesday to exporting aircraft parts to Russia in violation of U.S. sanctions.",
        [],
    ),
    (
        "WASHINGTON — OFAC announced a $2.1 million settlement with a U.S. software company for apparent violations of Iran sanctions.",
        [],
    ),
    (
        "WASHINGTON — The United States imposed 25% tariffs on Indian goods on Wednesday over New Delhi's purchases of Russian oil.",
        [],
    ),
    (
        "WASHINGTON — In 2019, the Treasury Department designated Venezuela's state oil company PDVSA. On Tuesday, it issued a license allowing Chevron to resume limited operations.",
        [("US", "eased")],
    ),
    (
        "TOKYO — The Japanese government on Friday approved additional sanctions on Russia, freezing the assets of 36 individuals and 11 entities.",
        [("JP", "imposed")],
    ),
    (
        "SEOUL — South Korea on Thursday designated 11 North Korean individuals involved in the regime's illicit IT worker schemes.",
        [("KR", "imposed")],
    ),
    (
        "WELLINGTON — New Zealand has imposed travel bans and asset freezes on 20 more Russian individuals, Foreign Minister Winston Peters said.",
        [("NZ", "imposed")],
    ),
    (
        "KYIV — President Volodymyr Zelensky signed a decree on Saturday imposing sanctions on 56 Russian companies.",
        [("UA", "imposed")],
    ),
    (
        "BEIJING — China's Commerce Ministry said on Friday it had added 10 U.S. defence firms to its unreliable entity list.",
        [("CN", "imposed")],
    ),
    (
        "MOSCOW — Russia's Foreign Ministry on Wednesday banned 500 Americans, including former President Barack Obama, from entering the country.",
        [("RU", "imposed")],
    ),
    (
        "WASHINGTON — The Biden administration warned on Monday that it could sanction Chinese banks that help Russia's war machine.",
        [("US", "threatened")],
    ),
    (
        "WASHINGTON — The House of Representatives passed a bill on Thursday that would sanction officials of the International Criminal Court.",
        [("US", "proposed")],
    ),
    (
        "WASHINGTON — Treasury today published a Russia-related general license authorizing the wind-down of transactions with Gazprom Neft until February 27.",
        [("US", "eased")],
    ),
    (
        "GENEVA — The UN human rights chief on Monday urged governments to review the impact of unilateral sanctions on civilians in Syria.",
        [],
    ),
    (
        "WASHINGTON — The U.S. Treasury Department on Friday renewed for another year the national emergency with respect to Belarus.",
        [("US", "extended")],
    ),
    (
        "OTTAWA — Canada today announced sanctions on 10 individuals and two entities in Haiti, under the Special Economic Measures Act.",
        [("CA", "imposed")],
    ),
    (
        "CANBERRA — Foreign Minister Penny Wong announced targeted financial sanctions on two Iranian entities on Wednesday.",
        [("AU", "imposed")],
    ),
    (
        "BRUSSELS — EU member states on Friday adopted a 14th package of sanctions against Russia, targeting LNG transshipment for the first time.",
        [("EU", "imposed")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), RELEASES)
def test_a_release_of_any_genre_gives_its_actions(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(a["imposer"], a["status"]) for a in _actions(text)] == expected


#: wire leads with counts, running totals and background, and texts about sanctions that announce
#: none: (text, [(imposer, status, target_count)])
COUNTED = [
    (
        "WASHINGTON, Oct. 18, 2023 — OFAC issued General License (GL) 44 authorizing U.S. persons to deal with PdVSA for six months.",
        [("US", "eased", None)],
    ),
    (
        "WASHINGTON, April 15, 2025 — OFAC removed Antal Rogan from its Specially Designated Nationals list on Tuesday. The listing froze any assets he held under U.S. jurisdiction and barred Americans from dealing with him.",
        [("US", "lifted", None)],
    ),
    (
        "LONDON, 31 July 2025 — The Office of Financial Sanctions Implementation has imposed a monetary penalty on a UK fiduciary services firm. On 19 February 2018 a person designated under The Ukraine (European Union Financial Sanctions) (No.2) Regulations 2014 paid money to a company that was a client of the firm.",
        [],
    ),
    (
        "LONDON, 23 July 2025 — 25 targets at the centre of the networks driving irregular migration to the UK have been sanctioned today. Those named will have any assets in the UK frozen and will be banned from entering the country.",
        [("GB", "imposed", 25)],
    ),
    (
        "LONDON, 21 February 2024 — When Western governments froze roughly half of Russia's foreign currency reserves, many economists expected a collapse. Two years on, the economy has grown.",
        [],
    ),
    (
        "BEIJING/VILNIUS, Aug 12, 2022 \u2013 China said on Friday it had placed sanctions on Lithuania's deputy minister of transport over her visit to Taiwan this week.",
        [("CN", "imposed", None)],
    ),
    (
        "NEW YORK, 30 July 2024 — The Security Council today lifted the arms embargo on the Government of the Central African Republic. The representative of Algeria welcomed the lifting of the embargo. The updated List is available on the Committee's website, and the consolidated Sanctions List has been updated accordingly.",
        [("UN", "lifted", None)],
    ),
    (
        "WASHINGTON, Sept. 10, 2024 — The Treasury Department's Office of Foreign Assets Control sanctioned 10 individuals and six entities based in Iran and Russia and identified four vessels as blocked property.",
        [("US", "imposed", 20)],
    ),
    (
        "BRUSSELS, 16 December 2024 — The package adds 54 individuals and 30 entities to the EU's asset-freeze and travel-ban list and bars 52 more vessels from European ports.",
        [("EU", "imposed", 136)],
    ),
    (
        "WASHINGTON, Oct. 23, 2019 — OFAC today removed from the SDN List two ministries and three senior officials of Turkey that were designated on October 14, 2019.",
        [("US", "lifted", 5)],
    ),
    (
        "NEW YORK, 14 March 2024 — The Security Council Committee concerning ISIL (Da'esh) and Al-Qaida removed one entry from its sanctions list. Accordingly, the assets freeze, travel ban and arms embargo set out in paragraph 1 of resolution 2610 (2021) no longer apply to him. The ISIL (Da'esh) and Al-Qaida Sanctions List currently contains 255 individuals and 89 entities.",
        [("UN", "lifted", 1)],
    ),
    (
        "WELLINGTON, 25 August 2023 — The New Zealand Government has imposed sanctions on a further 21 Russian individuals and entities. The designations are made under the Russia Sanctions Act 2022 and will be given effect through an amendment to the Russia Sanctions Regulations 2022, which will come into force next week.",
        [("NZ", "imposed", 21)],
    ),
    (
        "LONDON, 30 January 2025 — The Foreign, Commonwealth and Development Office has removed the entry for Nikolay Bortsov from the consolidated list.\n\nWhat you must do\n\nii. consider whether funds or economic resources that you have frozen in respect of this person may now be released;\n\niii. continue to freeze the funds and economic resources of any other designated persons.",
        [("GB", "lifted", None)],
    ),
    (
        "BELGRADE, Dec 31 — The U.S. Treasury has issued Serbian oil company NIS a licence to operate until Jan. 23, Serbia's energy minister said on Wednesday.",
        [("US", "eased", None)],
    ),
    (
        "LONDON, 24 April 2025 — The Iran (Sanctions) (Nuclear) (EU Exit) Regulations 2019 carried over into UK law the measures the EU had adopted in connection with Iran's nuclear programme. Today the UK designated the Foxtrot network and its leader Rawa Majid.",
        [("GB", "imposed", None)],
    ),
    (
        "WASHINGTON — The Treasury Department's Office of Foreign Assets Control (OFAC) today issued a determination under Executive Order (E.O.) 14071 that bars the supply of certain information technology (IT) and software services to Russia.",
        [("US", "imposed", None)],
    ),
    (
        "THE WHITE HOUSE — For this reason, the national emergency declared in Executive Order 13405 and the measures adopted to deal with that emergency must continue in effect beyond June 16, 2023.",
        [("US", "extended", None)],
    ),
    (
        "NEW YORK, 8 December 2023 — The Security Council Committee established pursuant to resolution 2653 (2022) concerning Haiti approved the addition of four entries to its Sanctions List of individuals subject to the measures imposed by resolution 2653 (2022), as renewed by resolution 2700 (2023). Member States are required to freeze without delay the funds of the listed individuals.",
        [("UN", "imposed", 4)],
    ),
    (
        "NEW YORK, 28 March 2024 — A draft resolution that would have prolonged for another year the work of the Panel of Experts assisting the Security Council's sanctions committee on the Democratic People's Republic of Korea was vetoed by a permanent member.",
        [],
    ),
    (
        "LUXEMBOURG, April 22, 2024 — European Union foreign ministers agreed in principle on Monday to widen the bloc's sanctions on Iran's drone industry to cover missiles.",
        [("EU", "announced", None)],
    ),
    (
        "LONDON/WASHINGTON, Sept 10 — Britain, France and Germany said on Tuesday they would cancel their bilateral air services agreements with Iran and work towards sanctioning Iran Air.",
        [("GB", "announced", None), ("FR", "announced", None), ("DE", "announced", None)],
    ),
    (
        "G7 Foreign Ministers' Meeting Communiqué\n\n1. We, the G7 Foreign Ministers of Canada, France, Germany, Italy, Japan, the United Kingdom and the United States of America, condemn Iran's attack on Israel.\n\n2. We stand ready to impose additional sanctions on Iran in response to further destabilizing steps.",
        [(code, "threatened", None) for code in ("CA", "FR", "DE", "IT", "JP", "GB", "US")],
    ),
    (
        "BRUSSELS, 11 August 2020 — Since polling day, the authorities have answered peaceful protest with violence, leaving at least one person dead and many injured. The EU will review its relations with Belarus. This review may lead, among other steps, to restrictive measures against the individuals responsible.",
        [("EU", "threatened", None)],
    ),
    (
        "KYIV, March 3 (Wire) - Ukraine's allies have spent three years tightening the screws on Moscow's economy, and on Monday Canada added another turn.\n\nOttawa said it was imposing sanctions on 76 individuals and entities, among them suppliers of drone components and operators of tankers that carry Russian oil above the G7 price cap.\n\nThe move comes a week after the European Union adopted its 16th package of sanctions, and as U.S. officials signal a possible easing of their own measures in peace talks.\n\n\"We will keep up the pressure for as long as it takes,\" Foreign Minister Melanie Joly told reporters in Ottawa.\n\nRussia's embassy in Ottawa did not respond to a request for comment. Moscow has repeatedly said Western sanctions are illegal and have failed.",
        [("CA", "imposed", 76)],
    ),
    (
        "TOKYO, Jan 10 (Wire) - Japan will freeze the assets of 11 more Russian individuals and ban exports of advanced semiconductors to 22 entities, Chief Cabinet Secretary Yoshimasa Hayashi said on Friday.\n\nTokyo has followed Washington and Brussels in penalising Moscow since the 2022 invasion, freezing the assets of President Vladimir Putin and more than 800 others.\n\nThe new measures take effect on Jan. 20.",
        [("JP", "announced", 11)],
    ),
    (
        "WASHINGTON, Nov 2 (Wire) - The U.S. Treasury on Thursday sanctioned a Hong Kong company and two Chinese nationals it accused of supplying Iran's drone program, the latest in a string of actions aimed at Tehran's military supply chain.\n\nThe Treasury imposed similar sanctions in September on a network of firms in China and Turkey.\n\nIran's foreign ministry spokesman called the sanctions \"illegal\" and said they would not affect Iran's defence industry.",
        [("US", "imposed", 3)],
    ),
    (
        "BRUSSELS — The Council today decided to impose restrictive measures on nine individuals responsible for serious human rights violations in Iran.",
        [("EU", "imposed", 9)],
    ),
    (
        "LONDON — The UK has today (14 March) sanctioned 16 individuals linked to Russia's Wagner Group.",
        [("GB", "imposed", 16)],
    ),
    (
        "LONDON — HM Treasury's Office of Financial Sanctions Implementation has added five entries to the consolidated list under the Libya regime.",
        [("GB", "imposed", 5)],
    ),
    (
        "TOKYO — The Government of Japan decided at the Cabinet meeting today to implement asset-freezing measures against 11 individuals and 4 entities related to Russia.",
        [("JP", "imposed", 15)],
    ),
    (
        "BERN — The Federal Council decided on Wednesday to adopt the EU's latest sanctions against Belarus.",
        [("CH", "imposed", None)],
    ),
    (
        "BRUSSELS — The Council prolonged the restrictive measures against Iran for a further 12 months.",
        [("EU", "extended", None)],
    ),
    (
        "BRUSSELS — The Council decided to delist two persons from the sanctions list concerning Ukraine.",
        [("EU", "lifted", 2)],
    ),
    (
        "WELLINGTON — New Zealand's Russia Sanctions Regulations were amended on Tuesday to add 37 individuals.",
        [("NZ", "imposed", 37)],
    ),
    (
        "SEOUL — South Korea's foreign ministry said on Friday it had designated four North Korean entities involved in cyber theft.",
        [("KR", "imposed", 4)],
    ),
    (
        "NEW YORK — The Security Council Committee pursuant to resolutions 1267 (1999), 1989 (2011) and 2253 (2015) removed one entry from its ISIL (Da'esh) and Al-Qaida Sanctions List.",
        [("UN", "lifted", 1)],
    ),
    (
        "CANBERRA — Australia will impose targeted financial sanctions on 12 Iranian officials, Foreign Minister Penny Wong said on Monday.",
        [("AU", "announced", 12)],
    ),
    (
        "OTTAWA — Global Affairs Canada announced today that Canada is imposing sanctions on 7 Russian individuals under the Special Economic Measures (Russia) Regulations.",
        [("CA", "imposed", 7)],
    ),
    (
        "LONDON — The Foreign Secretary today announced an asset freeze and travel ban on two Israeli ministers.",
        [("GB", "imposed", 2)],
    ),
    (
        "WASHINGTON — Treasury's Office of Foreign Assets Control (OFAC) today took action against 5 individuals and 1 entity for their roles in the fentanyl trade.",
        [("US", "imposed", 6)],
    ),
    (
        "WASHINGTON — The Treasury Department on Tuesday sanctioned six people and three companies it said helped Hezbollah move money.",
        [("US", "imposed", 9)],
    ),
    (
        "BRUSSELS — The EU on Monday added 19 people and 12 entities to its Belarus sanctions list, bringing the total to 261 individuals and 37 entities.",
        [("EU", "imposed", 31)],
    ),
    (
        "LONDON — Britain sanctioned a further 50 individuals and businesses on Thursday. More than 2,000 individuals and entities are now designated under the Russia regime.",
        [("GB", "imposed", 50)],
    ),
    (
        "WASHINGTON — OFAC designated two Iranian nationals and identified four vessels as blocked property.",
        [("US", "imposed", 6)],
    ),
    (
        "TOKYO — Japan will freeze the assets of a dozen Russian officials, the government said on Tuesday.",
        [("JP", "announced", 12)],
    ),
    (
        "OTTAWA — Canada is imposing sanctions on some 20 Iranian officials, Foreign Minister Mélanie Joly said.",
        [("CA", "imposed", 20)],
    ),
    (
        "WASHINGTON — The United States sanctioned Russia's two biggest oil companies on Wednesday. Washington first imposed sanctions on Russia in 2014 after it annexed Crimea.",
        [("US", "imposed", 2)],
    ),
    (
        "MOSCOW (Reuters) — Russia's economy has weathered Western sanctions better than expected, the central bank governor said on Friday, as exports of oil to India and China surged.",
        [],
    ),
    (
        "WASHINGTON — Treasury Secretary Janet Yellen said on Monday that the sanctions imposed on Russia since 2022 had degraded its military supply chains.",
        [],
    ),
    (
        "BRUSSELS — EU foreign ministers failed on Monday to agree new sanctions on Russia after Hungary blocked the package.",
        [],
    ),
    (
        "WASHINGTON — A federal judge on Friday blocked the administration's sanctions on International Criminal Court staff, ruling they violated free speech protections.",
        [],
    ),
    (
        "LONDON — The Office of Financial Sanctions Implementation fined a UK bank £465,000 for breaching Russia sanctions.",
        [],
    ),
    (
        "BRUSSELS — The Council today extended the sectoral economic sanctions against Russia until 31 January 2026.",
        [("EU", "extended", None)],
    ),
    (
        "WASHINGTON — The United States on Friday lifted sanctions on three former Venezuelan officials who broke with Maduro.",
        [("US", "lifted", 3)],
    ),
    (
        "WASHINGTON — OFAC today sanctioned 16 entities and individuals and identified 14 vessels as blocked property in connection with Iran's shadow fleet.",
        [("US", "imposed", 30)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), COUNTED)
def test_a_lead_gives_its_actions_with_their_counts(
    text: str, expected: list[tuple[str, str, int | None]]
) -> None:
    found = [(a["imposer"], a["status"], a["target_count"]) for a in _actions(text)]
    assert found == expected


#: several imposers, partners named in passing, reactions, legal register, terminations, proposals,
#: countersanctions, renewals and texts that announce nothing: (text, sorted [(imposer, status)])
STORIES = [
    (
        "KYIV — The European Union and Britain on Tuesday announced new sanctions on Russia, a day after Ukraine struck a Russian airbase.",
        [("EU", "imposed"), ("GB", "imposed")],
    ),
    (
        "MOSCOW — Russia on Friday banned entry to 24 Canadians in retaliation for Ottawa's sanctions.",
        [("RU", "imposed")],
    ),
    (
        "WASHINGTON — In response to China's sanctions on U.S. defence firms, the State Department on Monday imposed visa restrictions on Chinese officials.",
        [("US", "imposed")],
    ),
    (
        "BEIJING — China imposed countermeasures on nine U.S. defence companies on Friday, a day after Washington approved an arms sale to Taiwan.",
        [("CN", "imposed")],
    ),
    (
        "LONDON — British Foreign Secretary David Lammy announced sanctions on Russian intelligence officers on Monday.",
        [("GB", "imposed")],
    ),
    (
        "WASHINGTON — U.S. Secretary of State Marco Rubio said on Tuesday that Washington had imposed sanctions on a judge of the International Criminal Court.",
        [("US", "imposed")],
    ),
    (
        "BRUSSELS — EU ambassadors on Wednesday reached political agreement on a 16th package of sanctions against Russia, which ministers are expected to adopt next week.",
        [("EU", "announced")],
    ),
    (
        "BRUSSELS — The European Commission presented a proposal for a 19th sanctions package on Friday, including a ban on Russian LNG imports.",
        [("EU", "proposed")],
    ),
    (
        "WASHINGTON — Senators introduced a bill on Tuesday that would impose sanctions on countries buying Russian oil.",
        [("US", "proposed")],
    ),
    (
        "LONDON — Britain is considering sanctions on Israeli ministers, the foreign secretary told parliament on Tuesday.",
        [("GB", "threatened")],
    ),
    (
        "WASHINGTON — The United States will lift sanctions on Syria, President Trump said on Tuesday.",
        [("US", "announced")],
    ),
    (
        "WASHINGTON — Treasury on Friday extended a waiver allowing Iraq to pay Iran for electricity for another 120 days.",
        [("US", "eased")],
    ),
    (
        "BRUSSELS — The Council today renewed the EU's human rights sanctions regime for one more year, until 8 December 2026.",
        [("EU", "extended")],
    ),
    (
        "WASHINGTON — The United States suspended some sanctions on Syria for 180 days on Friday.",
        [("US", "eased")],
    ),
    (
        "WASHINGTON — The White House said on Thursday that sanctions on Russia would be announced on Friday.",
        [("US", "announced")],
    ),
    (
        "TOKYO — Japan's government said on Friday it would consider additional sanctions against Russia if the situation worsened.",
        [("JP", "threatened")],
    ),
    (
        "WASHINGTON — Treasury today revoked General License 8L, ending the authorization for energy transactions with Russian banks.",
        [("US", "imposed")],
    ),
    (
        "LONDON — The UK today unfroze the assets of a former Abramovich associate after a court ruling.",
        [("GB", "lifted")],
    ),
    (
        "LONDON — Britain and Canada on Tuesday jointly sanctioned 14 individuals linked to Iran's Revolutionary Guards.",
        [("CA", "imposed"), ("GB", "imposed")],
    ),
    (
        "WASHINGTON — The United States, the European Union and Japan announced coordinated sanctions on Russian banks on Friday.",
        [("EU", "imposed"), ("JP", "imposed"), ("US", "imposed")],
    ),
    (
        "LONDON — The UK today sanctioned 10 Russian generals, acting alongside the United States and the EU.",
        [("GB", "imposed")],
    ),
    (
        "WASHINGTON — The Treasury Department sanctioned three Chinese firms on Monday for supplying drone parts to Russia. China's foreign ministry condemned the move and vowed to take countermeasures.",
        [("US", "imposed")],
    ),
    (
        "Sec. 1. All property and interests in property that are in the United States of the following persons are blocked and may not be transferred, paid, exported, withdrawn, or otherwise dealt in: any person determined by the Secretary of the Treasury to operate in the technology sector of the Russian Federation economy.",
        [("US", "imposed")],
    ),
    (
        "WASHINGTON — President Trump on Monday signed an executive order terminating the Syria sanctions program, effective July 1.",
        [("US", "lifted")],
    ),
    (
        "BRUSSELS — The European Commission on Wednesday proposed banning imports of Russian liquefied natural gas by the end of 2027.",
        [("EU", "proposed")],
    ),
    (
        "ANALYSIS — Why Western sanctions have failed to stop Russia's war machine: a look at the data three years on.",
        [],
    ),
    (
        "BEIJING — China said on Friday it would sanction Lockheed Martin and two other U.S. defence firms over arms sales to Taiwan.",
        [("CN", "announced")],
    ),
    (
        "WASHINGTON — President Biden on Tuesday extended for one year the national emergency with respect to Nicaragua.",
        [("US", "extended")],
    ),
    (
        "NEW YORK — The United Nations Security Council on Friday renewed the arms embargo on South Sudan for another year.",
        [("UN", "extended")],
    ),
    (
        "WASHINGTON — The Commerce Department on Monday tightened rules on exports of advanced chips to China, without naming any companies.",
        [],
    ),
    (
        "BRUSSELS — 'Russia will face further sanctions if it does not agree to a ceasefire,' EU foreign policy chief Kaja Kallas said on Monday.",
        [("EU", "threatened")],
    ),
]


#: orders, fact sheets, notices and licences in their own register: (text, sorted [(imposer, status)])
ORDERS = [
    (
        "Executive Order on Imposing Sanctions on the International Criminal Court\n\nBy the authority vested in me as President by the Constitution and the laws of the United States of America, including the International Emergency Economic Powers Act, I hereby find that the ICC's actions constitute an unusual and extraordinary threat. I hereby order: Sec. 1. All property and interests in property of the persons listed in the Annex to this order are blocked.",
        [("US", "imposed")],
    ),
    (
        "FACT SHEET: President Biden Renews the National Emergency With Respect to Hong Kong\n\nToday, President Biden continued for one year the national emergency declared in Executive Order 13936.",
        [("US", "extended")],
    ),
    (
        "Executive Order 14148 revokes Executive Order 14115 of February 1, 2024, which imposed sanctions on persons undermining peace in the West Bank.",
        [("US", "lifted")],
    ),
    (
        "Sec. 2. The entry into the United States of aliens determined to meet one or more of the criteria in section 1 of this order is hereby suspended.",
        [("US", "imposed")],
    ),
    (
        "FACT SHEET: The United States will impose sanctions on Russian entities and individuals involved in the war, the White House said.",
        [("US", "announced")],
    ),
    (
        "Notice of OFAC Sanctions Actions\n\nOn June 12, 2024, OFAC designated the following persons pursuant to E.O. 14024. Their property and interests in property subject to U.S. jurisdiction are blocked.",
        [("US", "imposed")],
    ),
    (
        "WASHINGTON — The Department of the Treasury's Office of Foreign Assets Control is issuing Syria General License 25, which authorizes transactions prohibited by the Syrian Sanctions Regulations.",
        [("US", "eased")],
    ),
    (
        "WASHINGTON — The Secretary of State is designating Tren de Aragua as a Foreign Terrorist Organization and a Specially Designated Global Terrorist.",
        [("US", "imposed")],
    ),
    (
        "WASHINGTON — OFAC removed Oleg Deripaska's companies En+, Rusal and EuroSibEnergo from the SDN List today.",
        [("US", "lifted")],
    ),
    ("Read more: EU agrees 14th package of sanctions against Russia", []),
    (
        "NEW YORK — The Security Council today extended the arms embargo on South Sudan for a year. Speaking after the vote, the representative of the Russian Federation said sanctions had outlived their usefulness and should be lifted. The delegate of China said the Council should ease the measures as the situation improves.",
        [("UN", "extended")],
    ),
    (
        "WASHINGTON — Washington has not ruled out sanctions on Chinese banks that help Russia evade export controls, a senior official said on Tuesday.",
        [("US", "threatened")],
    ),
    (
        "LONDON — The UK, France and Canada said they would take concrete actions, including targeted sanctions, if Israel did not halt its renewed military offensive.",
        [("CA", "threatened"), ("FR", "threatened"), ("GB", "threatened")],
    ),
    (
        "WASHINGTON — The United States sanctioned three firms in Canada, Russia and Iran on Tuesday.",
        [("US", "imposed")],
    ),
    (
        "MOSCOW — Russia banned 227 U.S. citizens from entry on Friday. Moscow has retaliated for previous rounds by barring entry to dozens of American officials.",
        [("RU", "imposed")],
    ),
    (
        "BRUSSELS — EU governments on Wednesday approved a 17th package of sanctions against Russia.",
        [("EU", "imposed")],
    ),
    (
        "LONDON — Fresh British sanctions target 20 ships of Russia's shadow fleet, the Foreign Office said on Monday.",
        [("GB", "imposed")],
    ),
    (
        "Her Majesty's Treasury has added 14 entries to the consolidated list.",
        [("GB", "imposed")],
    ),
    (
        "MOSCOW, March 15, 2022 (Wire) — Russia on Tuesday banned U.S. President Joe Biden and 12 other American officials from entering the country.\n\nHours earlier the ministry announced entry bans on 313 Canadians, among them Prime Minister Justin Trudeau.",
        [("RU", "imposed")],
    ),
    (
        'LONDON — The leaders of Britain, France and Canada warned Israel on Monday that they would take "concrete actions" against it, including targeted sanctions, if it did not halt its offensive and lift its restrictions on humanitarian aid. The three said they would "not hesitate" to take further action.',
        [("CA", "threatened"), ("FR", "threatened"), ("GB", "threatened")],
    ),
    (
        "LONDON — The UK today sanctioned 20 firms. Dozens of companies based in third countries, including in Thailand, India and China, are sanctioned for supplying machine tools.",
        [("GB", "imposed")],
    ),
    (
        "WASHINGTON — President Donald Trump warned on Monday that countries buying Russian oil would face punishing penalties unless Moscow agrees to a deal within 50 days.",
        [("US", "threatened")],
    ),
    (
        "WASHINGTON — President Trump on Monday threatened secondary sanctions on buyers of Russian oil. A White House official said Trump would impose secondary sanctions on countries that buy Russian oil, not merely tariffs.",
        [("US", "announced"), ("US", "threatened")],
    ),
    (
        "BRUSSELS — The European Union will review its relations with Belarus. This review may lead, among other steps, to restrictive measures against the individuals responsible for the violence.\n\nPress contacts\n\nRelated press releases\n\nBelarus: Council prolongs arms embargo and restrictive measures against four individuals for one more year (February 2020)",
        [("EU", "threatened")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), STORIES + ORDERS)
def test_a_story_or_order_gives_each_imposers_action(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert sorted((a["imposer"], a["status"]) for a in _actions(text)) == expected


#: targets named in running text behind their descriptions ("Russian businessman …", "the
#: Moscow-based bank …", "Co., Ltd."), vessels with IMO numbers, and the measures the text names:
#: (text, imposer, names among the targets, measures among the measures)
NAMED = [
    (
        "WASHINGTON — OFAC today designated Hong Kong-based Sino Star Trading Limited and UAE-based Gulf Horizon FZE for shipping Iranian oil.",
        "US",
        ["Gulf Horizon FZE", "Sino Star Trading Limited"],
        ["asset_freeze"],
    ),
    (
        "LONDON — The UK today sanctioned Russian businessman Ivan Petrov and his company, Petrov Holdings LLC, freezing their assets and banning him from the UK.",
        "GB",
        ["Ivan Petrov", "Petrov Holdings LLC"],
        ["asset_freeze", "travel_ban"],
    ),
    (
        "BRUSSELS — The Council today listed Mr Andrei Volkov, a senior officer of the Russian Armed Forces, and the Kalashnikov Concern.",
        "EU",
        ["Andrei Volkov", "Kalashnikov Concern"],
        [],
    ),
    (
        "WASHINGTON — Treasury sanctioned Chinese national Li Wei and his Shenzhen-based company, Bright Future Electronics Co., Ltd., for supplying drone parts to Iran.",
        "US",
        ["Bright Future Electronics Co., Ltd.", "Li Wei"],
        [],
    ),
    (
        "WASHINGTON — OFAC identified the vessels OCEAN DREAM (IMO 9123456) and SEA STAR (IMO 9234567), both flagged in Panama, as blocked property.",
        "US",
        ["OCEAN DREAM", "SEA STAR"],
        ["asset_freeze"],
    ),
    (
        "OTTAWA — Canada today imposed sanctions on Haitian gang leader Jimmy Cherizier, also known as Barbecue, banning dealings with him.",
        "CA",
        ["Jimmy Cherizier"],
        [],
    ),
    (
        "TOKYO — Japan froze the assets of Russian Deputy Defence Minister Alexei Krivoruchko and the Moscow-based bank Sovcombank.",
        "JP",
        ["Alexei Krivoruchko", "Sovcombank"],
        ["asset_freeze"],
    ),
    (
        "LONDON — The UK has imposed a travel ban and asset freeze on two Israeli settlers, Meir Ettinger and Elisha Yered.",
        "GB",
        ["Elisha Yered", "Meir Ettinger"],
        ["asset_freeze", "travel_ban"],
    ),
]


@pytest.mark.parametrize(("text", "imposer", "names", "measures"), NAMED)
def test_targets_are_named_without_their_descriptions(
    text: str, imposer: str, names: list[str], measures: list[str]
) -> None:
    action = _action_of(text, imposer)
    assert set(names) <= {t["name"] for t in action["targets"]}
    assert set(measures) <= set(action["measures"])


#: measures and legal bases as releases word them: (text, imposer, measures among the measures,
#: legal bases among the legal bases)
WORDED = [
    (
        "LONDON — The UK today sanctioned 14 suppliers of Russia's military.\n\nThe designations were made under the Russia (Sanctions) (EU Exit) Regulations 2019, which were made under the Sanctions and Anti-Money Laundering Act 2018.",
        "GB",
        ["asset_freeze"],
        [
            "Russia (Sanctions) (EU Exit) Regulations 2019",
            "Sanctions and Anti-Money Laundering Act 2018",
        ],
    ),
    (
        "CANBERRA — Australia imposed targeted financial sanctions and travel bans on 3 Iranian officials today.",
        "AU",
        ["asset_freeze", "travel_ban"],
        [],
    ),
    (
        "LONDON — Britain slapped visa bans on five Georgian officials on Monday.",
        "GB",
        ["travel_ban"],
        [],
    ),
    (
        "WASHINGTON — The United States imposed export restrictions on 12 Chinese companies on Monday, adding them to the Entity List.",
        "US",
        ["export_controls"],
        [],
    ),
    (
        "BRUSSELS — The EU banned Russian state broadcaster RT from broadcasting in the bloc on Wednesday.",
        "EU",
        [],
        [],
    ),
    ("BRUSSELS — The EU imposed an arms embargo on Niger on Monday.", "EU", ["arms_embargo"], []),
    (
        "WASHINGTON — Treasury barred U.S. persons from dealing in new sovereign debt issued by Russia's central bank.",
        "US",
        [],
        [],
    ),
    (
        "LONDON — The UK today prohibited the provision of IT consultancy services to Russia.",
        "GB",
        [],
        [],
    ),
    (
        "WASHINGTON — OFAC today imposed blocking sanctions on Russia's largest bank, Sberbank.",
        "US",
        ["asset_freeze"],
        [],
    ),
    (
        "BRUSSELS — The Council today adopted restrictive measures against 12 individuals: an asset freeze, a prohibition on making funds available to them, and a travel ban.",
        "EU",
        ["asset_freeze", "travel_ban"],
        [],
    ),
    (
        "WASHINGTON — OFAC today designated three banks pursuant to Executive Order (E.O.) 14024, as amended.",
        "US",
        ["asset_freeze"],
        ["E.O. 14024"],
    ),
    (
        "LONDON — The UK today sanctioned five companies under the Russia (Sanctions) (EU Exit) Regulations 2019, freezing their assets.",
        "GB",
        ["asset_freeze"],
        ["Russia (Sanctions) (EU Exit) Regulations 2019"],
    ),
    (
        "WASHINGTON — The State Department today imposed visa restrictions on 40 officials under Section 212(a)(3)(C) of the Immigration and Nationality Act.",
        "US",
        ["travel_ban"],
        [],
    ),
    (
        "BRUSSELS — The EU today banned the import of Russian diamonds and imposed an export ban on dual-use goods to 29 companies.",
        "EU",
        ["export_controls", "import_restrictions"],
        [],
    ),
    (
        "WASHINGTON — Treasury today lowered the price cap on Russian crude oil to $47.60 a barrel.",
        "US",
        ["price_cap"],
        [],
    ),
    (
        "LONDON — The UK banned 20 vessels of Russia's shadow fleet from its ports today.",
        "GB",
        [],
        [],
    ),
    (
        "OTTAWA — Canada today imposed sanctions under the Special Economic Measures Act on 15 individuals, prohibiting dealings in their property.",
        "CA",
        ["asset_freeze"],
        ["Special Economic Measures Act"],
    ),
    (
        "TOKYO — Japan today froze the assets of 11 individuals under the Foreign Exchange and Foreign Trade Act.",
        "JP",
        ["asset_freeze"],
        ["Foreign Exchange and Foreign Trade Act"],
    ),
    (
        "NEW YORK — The Security Council today imposed a targeted arms embargo on gang leaders in Haiti under resolution 2653 (2022).",
        "UN",
        ["arms_embargo"],
        [],
    ),
]


@pytest.mark.parametrize(("text", "imposer", "measures", "bases"), WORDED)
def test_measures_and_legal_bases_as_worded(
    text: str, imposer: str, measures: list[str], bases: list[str]
) -> None:
    action = _action_of(text, imposer)
    assert set(measures) <= set(action["measures"]) and set(bases) <= set(action["legal_basis"])


#: texts that speak of sanctions, fines or bans and announce no sanctions development
NOT_NEWS = [
    "BRUSSELS — The European Commission fined Meta 798 million euros on Thursday for abusing its dominance in online classified ads.",
    "DUBLIN — Ireland's Data Protection Commission sanctioned TikTok with a 530 million euro fine for transferring user data to China.",
    "WASHINGTON — A former U.S. Army officer was sentenced on Friday to 10 years in prison for conspiring to evade sanctions on Russia.",
    "NEW YORK — Federal prosecutors charged two Russian nationals on Tuesday with smuggling U.S. electronics to Russia in violation of export controls.",
    "WASHINGTON — OFAC today announced a settlement of $1.1 million with a Texas company for 42 apparent violations of the Cuban Assets Control Regulations.",
    "LONDON — Sanctions against Russia have cost European companies more than 100 billion euros, a report by the Kiel Institute found on Monday.",
    "OPINION — It is time for the West to rethink a sanctions policy that has hurt ordinary Iranians more than the regime.",
    "MOSCOW — Russia's central bank kept its key rate at 21% on Friday, saying Western sanctions continued to weigh on growth.",
    "LAUSANNE — The Court of Arbitration for Sport upheld a four-year ban on the skater on Monday.",
    "WASHINGTON — The Commerce Department on Tuesday imposed anti-dumping duties on Chinese solar panels.",
    "BRUSSELS — The EU General Court on Wednesday annulled the listing of a Russian businessman, ruling the Council had not proved his links to the Kremlin.",
    "WASHINGTON — Treasury Secretary Scott Bessent said on Monday that the United States had no plans to lift sanctions on Russia soon.",
    "GENEVA — Swiss banks hold about 7.4 billion francs of frozen Russian assets, the State Secretariat for Economic Affairs said in its annual update.",
    "LONDON — The Premier League sanctioned Chelsea with a 10 million pound fine for breaching financial rules.",
    "WASHINGTON — The university said on Monday it had sanctioned three students for violating its code of conduct.",
    "NEW YORK — Explaining his abstention, the representative of Algeria said the sanctions regime must be reviewed and the embargo lifted.",
    'WASHINGTON, Sept. 9, 2025 — The congressional watchdog\'s review, titled "Russia Sanctions and Export Controls: U.S. Agencies Should Establish Targets", found gaps. The report recommends that each department define measurable targets for its Russia sanctions and export control activities.',
    "BRUSSELS, March 4, 2024 \u2013 The European Commission fined Apple more than 1.8 billion euros on Monday for abusing its dominant position, sanctioning the company for rules that stopped developers from telling users about cheaper offers.",
]


@pytest.mark.parametrize("text", NOT_NEWS)
def test_a_text_that_announces_no_sanctions_is_not_news(text: str) -> None:
    draft = build(text)
    assert not draft.is_sanctions_news and draft.actions == []


#: wire stories: the announcement among background, reactions and conditions, several actions
WIRE = [
    (
        "BRUSSELS, June 24 (Wire) - European Union governments approved a 14th package of sanctions against Russia on Monday, targeting for the first time Moscow's lucrative liquefied natural gas trade.\n\nThe package bans the reloading of Russian LNG in EU ports for shipment to third countries and adds 116 individuals and entities to the bloc's asset-freeze list, diplomats said.\n\nHungary had held up the deal for weeks. Prime Minister Viktor Orban has repeatedly argued that sanctions hurt Europe more than Russia.\n\nThe EU first imposed sanctions on Russia in 2014 after it annexed Crimea.",
        [("EU", "imposed", 116)],
    ),
    (
        'LONDON, Feb 24 (Wire) - Britain announced its largest package of sanctions against Russia since the early months of the war on Monday, targeting 107 individuals and entities, including North Korean officials and Chinese suppliers.\n\nForeign Secretary David Lammy said the measures would "cut off the supply of military equipment".\n\nThe United States, which under President Donald Trump has sought a rapprochement with Moscow, did not announce new measures.',
        [("GB", "imposed", 107)],
    ),
    (
        "WASHINGTON, May 23 (Wire) - The United States on Friday eased sanctions on Syria, issuing a general license that authorizes transactions with the interim government, the Treasury said.\n\nThe move follows President Trump's pledge last week to lift all sanctions on the country.\n\nThe State Department also issued a 180-day waiver under the Caesar Act.",
        [("US", "eased", None)],
    ),
    (
        "MOSCOW, Aug 5 (Wire) - Russia's Foreign Ministry said on Tuesday it had banned 21 British nationals, including lawmakers and journalists, from entering the country in response to London's sanctions.\n\nThe ministry said the list would be expanded if Britain continued its \"hostile actions\".",
        [("RU", "imposed", 21), ("RU", "threatened", None)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), WIRE)
def test_a_wire_story_gives_its_actions_and_counts(
    text: str, expected: list[tuple[str, str, int | None]]
) -> None:
    found = [(a["imposer"], a["status"], a["target_count"]) for a in _actions(text)]
    assert sorted(found, key=str) == expected


#: annexes and lists: numbered entries with transliterations, bulleted entities, "NAME — role" lines
LISTS = [
    (
        "BRUSSELS — The Council today added three persons to the list of those subject to restrictive measures in view of Russia's actions destabilising Ukraine.\n\nAnnex\n\nPersons\n\n1. Ivan Sergeyevich PETROV (Иван Сергеевич ПЕТРОВ)\nDate of birth: 12.3.1971; Nationality: Russian\nPosition: Governor of the Kursk region\n\n2. Olga Viktorovna SMIRNOVA\nDate of birth: 4.5.1980; Nationality: Russian\n\n3. Aleksandr KUZNETSOV\nPosition: Commander of the 64th Motor Rifle Brigade",
        "EU",
        ["Ivan Sergeyevich PETROV", "Olga Viktorovna SMIRNOVA", "Aleksandr KUZNETSOV"],
    ),
    (
        "WASHINGTON — Today, OFAC designated the following entities:\n\n- Orion Marine Services FZE, based in Dubai, United Arab Emirates\n- Baltic Trading House LLC, based in St. Petersburg, Russia\n- Jade Harbour Shipping Co., Limited, based in Hong Kong",
        "US",
        [
            "Orion Marine Services FZE",
            "Baltic Trading House LLC",
            "Jade Harbour Shipping Co., Limited",
        ],
    ),
    (
        "LONDON — The Foreign Secretary has today designated:\n\nNikolai IVANOV — a Russian businessman who owns the Arctic Shipping Group;\nArctic Shipping Group LLC — a company that operates shadow-fleet tankers;\nMaria SOKOLOVA — a director of Arctic Shipping Group LLC.",
        "GB",
        ["Nikolai IVANOV", "Arctic Shipping Group LLC", "Maria SOKOLOVA"],
    ),
]


@pytest.mark.parametrize(("text", "imposer", "names"), LISTS)
def test_every_entry_of_a_list_is_a_target(text: str, imposer: str, names: list[str]) -> None:
    found = {t["name"] for a in _actions(text) if a["imposer"] == imposer for t in a["targets"]}
    assert set(names) <= found


#: the countries an action aims at: the programme's and its targets' (not victims, scenes or bases
#: the text names otherwise): (text, imposer, target_countries)
AIMED = [
    (  # a target's base ("Hong Kong-based") does not hide the programme
        "WASHINGTON — OFAC today designated Hong Kong-based Sino Star Trading Limited and "
        "UAE-based Gulf Horizon FZE for shipping Iranian oil.",
        "US",
        ["AE", "HK", "IR"],
    ),
    (
        "WASHINGTON — OFAC today sanctioned five Russian companies for supporting Russia's war against Ukraine.",
        "US",
        ["RU"],
    ),
    (
        "LONDON — The UK today sanctioned three Belarusian officials responsible for the repression of protesters in Minsk.",
        "GB",
        ["BY"],
    ),
    (
        "BRUSSELS — The EU today listed four Iranian drone suppliers based in China and the United Arab Emirates.",
        "EU",
        ["AE", "CN", "IR"],
    ),
    (
        "WASHINGTON — Treasury today designated two Hamas financiers based in Turkey under E.O. 13224.",
        "US",
        ["TR"],
    ),
    (
        "OTTAWA — Canada today imposed sanctions on six Sudanese generals over the war in Sudan.",
        "CA",
        ["SD"],
    ),
    (
        "WASHINGTON — OFAC sanctioned a North Korean bank and its representative in Russia.",
        "US",
        ["KP", "RU"],
    ),
    (
        "CANBERRA — Australia has sanctioned three Russian hackers behind the Medibank data breach, which exposed the records of 9.7 million Australians.",
        "AU",
        ["RU"],
    ),
    (
        "LONDON — The UK sanctioned four Israeli settlers for violence against Palestinian communities in the West Bank.",
        "GB",
        ["IL"],
    ),
]


@pytest.mark.parametrize(("text", "imposer", "countries"), AIMED)
def test_target_countries_are_the_programmes_and_the_targets(
    text: str, imposer: str, countries: list[str]
) -> None:
    assert _action_of(text, imposer)["target_countries"] == countries


def test_bulleted_names_are_targets_and_an_instruments_title_is_not() -> None:
    text = (
        "LONDON — The UK today designated sixteen individuals under the Cyber (Sanctions) (EU Exit) "
        "Regulations 2020.\n\n3. The following entries have been added to the Consolidated List and "
        "are now subject to an asset freeze:\n\n- Maksim Viktorovich YAKUBETS\n"
        "- Viktor Grigoryevich YAKUBETS\n- Igor Olegovich TURASHEV\n"
    )
    names = [t["name"] for t in _action_of(text, "GB")["targets"]]
    assert names == [
        "Maksim Viktorovich YAKUBETS",
        "Viktor Grigoryevich YAKUBETS",
        "Igor Olegovich TURASHEV",
    ]


def test_the_victims_a_text_names_are_no_targets_wherever_it_names_them() -> None:
    text = (
        "OTTAWA, Aug. 18, 2023 — Canada today imposed sanctions on 15 Russian judges and "
        "investigators, among them Eduard Kaburneev and Sergey Goryainov, involved in the "
        "persecution of Vladimir Kara-Murza. Russia has jailed critics of the Kremlin, including "
        "Vladimir Kara-Murza. The measures do not weaken the campaign against ISIS."
    )
    names = [t["name"] for t in _action_of(text, "CA")["targets"]]
    assert "Eduard Kaburneev" in names and "Vladimir Kara-Murza" not in names
    assert "ISIS" not in names


def test_testimony_of_victims_or_a_listed_subcommittee_make_no_hearing() -> None:
    text = (
        "Joint Statement on Xinjiang Sanctions\n\n"
        "We, the Foreign Ministers of Canada and the United Kingdom, are today taking coordinated "
        "action against those responsible for abuses in Xinjiang. The evidence includes satellite "
        "imagery and testimony from survivors. China's programme of repression takes in severe "
        "restrictions on religious freedom, forced labour and mass detention in internment camps. "
        "Acting together sends the clearest possible message about the abuses in Xinjiang. We call "
        "on Beijing to give journalists and UN investigators unhindered access to the region. "
        "We stand united, and will continue to stand up for human rights around the world, "
        "working with our partners in Europe, Asia and the Pacific. The abuses documented by "
        "independent researchers, by the media and by the victims themselves leave no room for "
        "doubt, and the international community has a duty to respond to them together.\n\n"
        "United Kingdom. Under its Global Human Rights Sanctions Regulations 2020, the UK has "
        "designated four senior officials and one entity."
    )
    draft = build(text)
    assert draft.genre is None and [a["imposer"] for a in _actions(text)] == ["GB"]
    hearing = "Treasury's sanctions chief testified before a House subcommittee on Tuesday."
    assert build(hearing).genre == "genre.negative.hearing_guidance"


def test_a_warning_of_secondary_tariffs_dated_now_is_a_threat() -> None:
    text = (
        "Trump threatens tariffs on buyers of Russian oil\n\n"
        "WASHINGTON, July 14, 2025 - President Donald Trump on Monday gave Russia 50 days to agree "
        "to a deal ending the war in Ukraine, warning that countries still buying Russian oil would "
        "otherwise face so-called secondary tariffs of around 100%, the sharpest economic threat he "
        "has aimed at Moscow since returning to office in January."
    )
    draft = build(text)
    assert draft.genre is None
    assert [(a["imposer"], a["status"]) for a in _actions(text)] == [("US", "threatened")]
    plain = "WASHINGTON, July 14, 2025 - The President on Monday raised tariffs on Canadian steel to 50%."
    assert build(plain).genre == "genre.negative.trade_defence"


def test_a_background_section_recaps_the_past_but_its_readiness_to_act_is_news() -> None:
    text = (
        "WASHINGTON, July 14, 2025 - The President on Monday warned that buyers of Russian oil "
        "would face secondary sanctions unless Moscow agreed to a ceasefire.\n\n"
        "BACKGROUND\n\n"
        "In its final days the Biden administration designated Gazprom Neft and Surgutneftegas "
        "along with scores of tankers. The Treasury stands ready to impose further sanctions if "
        "talks fail.\n\n"
        "MARKETS\n\n"
        "Oil prices rose. Separately, OFAC on Monday designated two Hong Kong trading companies."
    )
    statuses = [(a["status"], a["evidence"][0][:20]) for a in _actions(text)]
    assert ("imposed", "In its final days th") not in statuses
    assert [s for s, _ in statuses].count("threatened") >= 1
    assert ("imposed", "Separately, OFAC on ") in statuses  # the section ends at the next heading


def test_a_uk_notices_secretary_of_state_and_its_surname_first_entries() -> None:
    text = (
        "1. On 9 February 2023 the FCDO updated the UK Sanctions List. The Secretary of State has "
        "designated seven individuals under the Cyber (Sanctions) (EU Exit) Regulations 2020.\n\n"
        "3. The following entries are now subject to an asset freeze:\n"
        "- ISKRITSKIY, Mikhail\n- KOVALEV, Vitaliy Nikolayevich\n\n"
        "6. The prohibitions apply to every UK national and UK-incorporated body wherever it operates."
    )
    assert {a["imposer"] for a in _actions(text)} == {"GB"}
    names = [t["name"] for t in _action_of(text, "GB")["targets"]]
    assert names == ["ISKRITSKIY, Mikhail", "KOVALEV, Vitaliy Nikolayevich"]
    us = "Secretary of State Antony J. Blinken today designated two officials under E.O. 13818."
    assert [a["imposer"] for a in _actions(us)] == ["US"]


def test_an_orders_saving_clause_eases_nothing_and_its_section_titles_are_no_targets() -> None:
    text = (
        "EXECUTIVE ORDER 14065\n\nBlocking Property of Certain Persons\n\n"
        "I, JOSEPH R. BIDEN JR., President of the United States of America, hereby order:\n\n"
        "Section 1. Prohibited Dealings With the Covered Regions. (a) Except to the extent provided "
        "by statute or by regulations, orders, directives, or licenses issued under this order, the "
        "following are prohibited: the importation into the United States of any goods from the "
        "covered regions of Ukraine.\n\n"
        "Sec. 2. Blocking. (a) Property and interests in property of the persons described below "
        "are blocked and may not be transferred, paid, exported, withdrawn, or otherwise dealt in."
    )
    actions = _actions(text)
    assert "eased" not in {a["status"] for a in actions}
    names = {t["name"] for a in actions for t in a["targets"]}
    assert not any("Prohibited Dealings" in n for n in names)


def test_a_summits_conditions_veto_and_green_light() -> None:
    text = (
        "BRUSSELS, 2 October 2020 - European Union leaders met overnight in Brussels to discuss "
        "Turkey and Belarus.\n\n"
        "The 27 governments said that, in case of renewed provocations or drilling in waters "
        "claimed by Greece and Cyprus, the EU would use all the instruments and options at its "
        "disposal. Cyprus had for weeks refused to approve sanctions on Belarusian officials "
        "unless Turkey was addressed. Leaders then gave their political green light to asset "
        "freezes and travel bans on some 40 Belarusian officials."
    )
    found = [(a["imposer"], a["status"]) for a in _actions(text)]
    assert ("EU", "threatened") in found and ("EU", "announced") in found
    assert "extended" not in {s for _, s in found} and "CY" not in {i for i, _ in found}


def test_an_and_inside_a_semicolon_lists_name_parts_nothing() -> None:
    text = (
        "LONDON — Under its Global Human Rights Sanctions Regulations 2020, the UK today "
        "designated four senior officials and one entity in China: Zhu Hailun, a former Party "
        "Secretary of the Xinjiang Political and Legal Affairs Committee; Wang Junzheng, Party "
        "Secretary of the Corps; and the Xinjiang Production and Construction Corps Public "
        "Security Bureau."
    )
    names = [t["name"] for t in _action_of(text, "GB")["targets"]]
    assert "Legal Affairs Committee" not in names and "Xinjiang Production" not in names
    assert "Zhu Hailun" in names and "Wang Junzheng" in names
    two = "LONDON — The UK today designated two firms: Alkonost Maritime DMCC and Octane Group FZCO; and Ayub Kataev."
    assert {"Alkonost Maritime DMCC", "Octane Group FZCO"} <= {
        t["name"] for t in _action_of(two, "GB")["targets"]
    }


def test_what_a_government_did_over_the_past_year_is_background() -> None:
    text = (
        "WASHINGTON — OFAC today designated six North Korean nationals and two companies in Russia "
        "and the United Arab Emirates. South Korea has added its own names to the list over the "
        "past year, including people involved in weapons trade with Russia."
    )
    assert [a["imposer"] for a in _actions(text)] == ["US"]


def test_extending_support_extends_no_sanctions() -> None:
    text = (
        "TOKYO — The Government of Japan today froze the assets of ten Russian individuals. Japan "
        "will continue to extend support to Ukraine and to impose strong sanctions on Russia."
    )
    assert [(a["imposer"], a["status"]) for a in _actions(text)] == [("JP", "imposed")]


def test_what_the_targets_will_face_is_the_measures_of_the_action_before() -> None:
    text = (
        "BEIJING, March 22, 2021 - China on Monday imposed sanctions on 10 European individuals "
        "and four entities, within hours of the European Union adopting sanctions on Chinese "
        "officials.\n\nThe Chinese foreign ministry said those on its list had spread lies about "
        "Xinjiang. The individuals and their families will be barred from entering mainland "
        "China, Hong Kong and Macao, and they, together with companies and institutions linked "
        "to them, will be restricted from doing business with China, the ministry said.\n\nEarlier on Monday, EU foreign "
        "ministers meeting in Brussels had added four Chinese officials and one entity to the "
        "bloc's global human rights sanctions list."
    )
    actions = _actions(text)
    assert ("CN", "imposed") in [(a["imposer"], a["status"]) for a in actions]
    assert "announced" not in {a["status"] for a in actions}


def test_the_signatories_of_a_statement_are_its_officials() -> None:
    text = (
        "The following is the text of a joint statement by Secretary of State Antony J. Blinken, "
        "Canada's Minister of Foreign Affairs Marc Garneau, and the United Kingdom's Foreign "
        "Secretary Dominic Raab.\n\nWe are today imposing sanctions on four officials in China."
    )
    officials = summary_fields(build(text))["officials"]
    assert [o["name"] for o in officials] == ["Antony J. Blinken", "Marc Garneau", "Dominic Raab"]


def test_the_actor_a_company_and_a_sentence_adverb_are_no_targets_or_speakers() -> None:
    text = (
        "CANBERRA — The Albanese Government today imposed targeted financial sanctions and a "
        "travel ban on Dmitry Yuryevich Khoroshev, the leader of the LockBit ransomware group. "
        "Altogether, the Albanese Government has listed more than 1,000 persons and entities. "
        "The listing builds on Operation Cronos, which took control of LockBit's servers. "
        '"Spyware sales hurt everyone," said Cytrox AD. "We will act," said High Representative '
        "for Foreign Affairs and Security Policy Josep Borrell."
    )
    fields = summary_fields(build(text))
    names = {t["name"] for a in fields["actions"] for t in a["targets"]}
    assert "Dmitry Yuryevich Khoroshev" in names
    assert not names & {"Albanese Government", "Altogether", "Operation Cronos"}
    assert [o["name"] for o in fields["officials"]] == ["Josep Borrell"]
