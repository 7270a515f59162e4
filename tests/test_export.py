"""Exports: FollowTheMoney entities the followthemoney model accepts, and CSV a spreadsheet opens."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from followthemoney import model

from summarizer.cli import main
from summarizer.export.csv import COLUMNS, write_csv
from summarizer.export.ftm import ftm_entities
from summarizer.records import Record, read_records
from summarizer.schema import SanctionsSummary
from tests.analyst_data import SUMMARIES, write_results


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_results(tmp_path_factory.mktemp("results"))


def export(results: Path, out: Path, *flags: str) -> list[str]:
    assert main(["export", str(results), *flags, "-o", str(out)]) == 0
    return out.read_text(encoding="utf-8").splitlines()


def test_ftm_entities_are_valid_and_typed_per_target(results: Path, tmp_path: Path) -> None:
    entities = [json.loads(line) for line in export(results, tmp_path / "e.ftm", "--format", "ftm")]
    for data in entities:
        proxy = model.get_proxy(data, cleaned=False)  # values parsed again by the model
        proxy.schema.validate({"properties": proxy.properties})
        assert proxy.properties == data["properties"]  # nothing was dropped or changed
        assert data["datasets"] == ["sanctions_summarizer"] and data["caption"]
    by_schema = Counter(e["schema"] for e in entities)
    # 4 articles; 6 + 2 named targets; 2 programme countries (IR, RU) for the target-less actions
    assert by_schema == Counter(
        Article=4, Person=3, Company=2, Organization=1, Vessel=2, Territory=2, Sanction=11
    )
    names = {e["properties"]["name"][0]: e for e in entities if "name" in e["properties"]}
    assert names["ADRIATIC DAWN"]["properties"]["imoNumber"] == ["IMO9187629"]
    assert names["SEA ORCHID"]["properties"]["imoNumber"] == ["IMO9321483"]
    assert names["Northern Star Shipping LLC"]["schema"] == "Company"  # legal form found by rigour
    assert names["Tabriz Petro Trading Company"]["schema"] == "Organization"
    ids = {e["id"] for e in entities}
    sanctions = [e["properties"] for e in entities if e["schema"] == "Sanction"]
    assert all(p["entity"][0] in ids and p["proof"][0] in ids for p in sanctions)
    eu = [p for p in sanctions if p["country"] == ["eu"]]
    assert {tuple(p["summary"]) for p in eu} == {
        ("Status: imposed. Measures: asset freeze, travel ban.",),
        ("Status: extended.",),
    }
    imposed = next(p for p in eu if "program" in p)
    assert imposed["program"] == ["Regulation (EU) 269/2014"]
    assert imposed["listingDate"] == ["2025-02-24"]
    assert imposed["description"] == SUMMARIES["eu"]["actions"][0]["evidence"]


def test_followthemoneys_own_validator_accepts_the_export(results: Path, tmp_path: Path) -> None:
    lines = export(results, tmp_path / "e.ftm", "--format", "ftm")
    ftm = Path(sys.executable).with_name("ftm")  # the followthemoney package's command
    done = subprocess.run([str(ftm), "validate", "-i", str(tmp_path / "e.ftm"), "-o",
                           str(tmp_path / "checked.ftm")], capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    checked = [json.loads(line) for line in (tmp_path / "checked.ftm").read_text().splitlines()]
    assert [(e["id"], e["schema"], e["properties"]) for e in checked] == [
        (e["id"], e["schema"], e["properties"]) for e in map(json.loads, lines)
    ]


def test_ftm_ids_are_stable_and_a_target_named_twice_is_one_entity(results: Path) -> None:
    records = read_records(results).records
    first = ftm_entities(records)
    again = ftm_entities(list(reversed(records)))
    assert sorted(json.dumps(e, sort_keys=True) for e in first) == sorted(
        json.dumps(e, sort_keys=True) for e in again
    )
    summary = records[0].summary
    twice = ftm_entities([Record("a", summary), Record("b", summary.model_copy())])
    targets = [e for e in twice if e["schema"] in ("Person", "Company", "Organization", "Vessel")]
    assert len(targets) == len({e["id"] for e in targets})
    articles = {e["id"] for e in twice if e["schema"] == "Article"}
    assert len(articles) == 2
    assert all(set(e["properties"]["proof"]) == articles for e in targets)


def test_an_action_without_targets_or_countries_is_a_sanction_of_the_article() -> None:
    data: dict[str, Any] = {
        **SUMMARIES["kirby"],
        "actions": [{**SUMMARIES["kirby"]["actions"][0], "target_countries": []}],
    }
    plane = {"name": "EP-FQA", "kind": "aircraft", "country": "IR"}
    with_plane = {**data, "actions": [{**data["actions"][0], "targets": [plane]}]}
    entities = ftm_entities([Record("k", SanctionsSummary.model_validate(data))])
    article = next(e for e in entities if e["schema"] == "Article")
    sanction = next(e for e in entities if e["schema"] == "Sanction")
    assert sanction["properties"]["entity"] == [article["id"]]
    planes = ftm_entities([Record("k", SanctionsSummary.model_validate(with_plane))])
    assert [e["schema"] for e in planes if e["schema"] not in ("Article", "Sanction")] == [
        "Airplane"
    ]


def test_csv_has_a_row_per_action_and_target(results: Path, tmp_path: Path) -> None:
    lines = export(results, tmp_path / "out.csv", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == 6 + 2 + 1 + 2  # the sport article reports no action: no row
    assert {r["record_id"] for r in rows} == {"treasury", "eu", "kirby"}
    bare = [r for r in rows if not r["target_name"]]
    assert {(r["record_id"], r["status"]) for r in bare} == {
        ("eu", "extended"), ("kirby", "announced"), ("kirby", "threatened")
    }  # fmt: skip
    extended = next(r for r in bare if r["status"] == "extended")
    assert (extended["effective_date"], extended["published_date"]) == ("2025-07-31", "2025-02-24")
    vessel = next(r for r in rows if r["target_name"] == "ADRIATIC DAWN")
    assert (vessel["target_kind"], vessel["measures"], vessel["target_count"]) == (
        "vessel", "asset_freeze", "6"
    )  # fmt: skip
    assert vessel["target_countries"] == "AE; IR; RU"


def test_csv_bom_and_formula_cells(results: Path, tmp_path: Path) -> None:
    out = tmp_path / "bom.csv"
    export(results, out, "--format", "csv", "--bom")
    assert out.read_bytes().startswith(b"\xef\xbb\xbfrecord_id,")
    data = {**SUMMARIES["kirby"]}
    data["actions"] = [{**data["actions"][0], "reason": '=HYPERLINK("http://x")'}]
    buffer = io.StringIO(newline="")
    write_csv([Record("k", SanctionsSummary.model_validate(data))], buffer)
    row = next(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert row["reason"] == '\'=HYPERLINK("http://x")'  # shown as text, never run


def test_ftm_export_without_the_extra_is_a_one_line_usage_error(results: Path) -> None:
    code = (
        "import sys; sys.modules['followthemoney'] = None\n"
        "from summarizer.cli import main\n"
        f"sys.exit(main(['export', {str(results)!r}, '--format', 'ftm']))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=120, check=False)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "summarizer: error: summarizer export --format ftm needs the 'followthemoney' package, "
        "which is not installed (pip install 'sanctions-summarizer[analyst]')"
    ]
