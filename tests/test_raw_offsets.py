"""Evidence offsets a reader can use on the input exactly as given, and the source text in records."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer import Summarizer, load_batch, run_batch
from summarizer.cli import main
from summarizer.ingest import RawMap, clean
from tests.conftest import EXAMPLE, as_json
from tests.fakeserver import FakeOpenAIServer, Step

ARTICLE = EXAMPLE.read_text(encoding="utf-8")
# what a user's text may carry that cleaning removes or folds; a combining accent composes in NFC
EXTRAS = ["\r\n", "\r", "\ufeff", "\u200b", "\u200e", "\u2060", "\u202e", "\x07", "\x1b", "\u0301"]
DROPPED = "\ufeff\u200b\u200e\u2060\u202e\x07\x1b"


def fold(raw: str) -> str:
    """What cleaning makes of a slice of raw text: CRLF folded, NFC, invisible characters dropped."""
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(c for c in text if c not in DROPPED)


def _cuts_a_composed_run(text: str, start: int, end: int) -> bool:
    """True when ``[start, end)`` starts on, or stops just before, a combining mark that NFC left
    standing beside a composed character (two accents on one letter): the map gives the whole run."""
    return bool(unicodedata.combining(text[start])) or (
        end < len(text) and bool(unicodedata.combining(text[end]))
    )


def dirty(text: str, insertions: list[tuple[int, str]], bom: bool) -> str:
    chars = list(text)
    for position, extra in sorted(insertions, reverse=True):
        chars.insert(position % (len(chars) + 1), extra)
    return ("\ufeff" if bom else "") + "".join(chars)


@settings(max_examples=300, deadline=None)
@given(
    insertions=st.lists(
        st.tuples(st.integers(0, len(ARTICLE)), st.sampled_from(EXTRAS)), max_size=40
    ),
    bom=st.booleans(),
    spans=st.lists(st.tuples(st.integers(0, 2000), st.integers(1, 200)), min_size=1, max_size=8),
)
def test_a_clean_span_maps_back_to_the_same_text_in_the_raw_input(
    insertions: list[tuple[int, str]], bom: bool, spans: list[tuple[int, int]]
) -> None:
    raw = dirty(ARTICLE, insertions, bom)
    text = clean(raw)
    mapping = RawMap(raw)
    for offset, length in spans:
        start = offset % len(text)
        end = min(len(text), start + length)
        raw_start, raw_end = mapping.span(start, end)
        if _cuts_a_composed_run(text, start, end):  # the whole run of marks is in the raw span
            assert text[start:end] in fold(raw[raw_start:raw_end])
        else:
            assert fold(raw[raw_start:raw_end]) == text[start:end]
        # tight: the raw span starts and ends on characters that survive cleaning
        assert fold(raw[raw_start]) and raw[raw_end - 1] not in DROPPED


def test_the_map_of_clean_text_is_the_identity() -> None:
    mapping = RawMap(ARTICLE.strip())
    assert mapping.identity and mapping.span(5, 40) == (5, 40)


def quotes_back(raw: str, result_dict: dict[str, Any]) -> list[tuple[str, str]]:
    """(quote, the raw slice its raw offsets select) for every span of a result as JSON."""
    return [
        (span["quote"], raw[span["raw_start"] : span["raw_end"]])
        for action in result_dict["summary"]["actions"]
        for span in action["evidence_spans"]
    ]


def messy_article() -> str:
    """The example with a BOM, CRLF line ends and a zero-width space inside the first quote."""
    text = ARTICLE.replace("\n", "\r\n").replace(
        "additional sanctions", "additional\u200b sanctions"
    )
    return "\ufeff" + text


def test_summaries_of_text_give_offsets_into_the_input_as_given(
    server: FakeOpenAIServer, good_summary: dict[str, Any], tmp_path: Path
) -> None:
    raw = messy_article()
    path = tmp_path / "article.txt"
    path.write_bytes(raw.encode("utf-8"))
    summarizer = Summarizer(model="m", base_url=server.base_url, api_key="sk-test", max_reasks=0)
    for source in (raw, raw.encode("utf-8"), path):
        server.push(Step(as_json(good_summary)))
        result = summarizer.summarize(source)
        pairs = quotes_back(raw, result.as_dict())
        assert len(pairs) == 3
        for quote, piece in pairs:
            assert fold(piece) == quote
        assert "\u200b" in pairs[0][1]  # the zero-width space inside the quote is in the raw slice
        assert not result.reduced and "source" not in result.as_dict()
        assert (
            result.as_dict()["source_sha256"] == hashlib.sha256(result.source.encode()).hexdigest()
        )


HTML = (
    "<!DOCTYPE html><html><head><title>Treasury</title></head><body><nav>Home | Press</nav>"
    "<article><h1>Sanctions on drones</h1>"
    + "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n"))
    + "</article><footer>Privacy policy</footer></body></html>"
)


def test_batch_records_carry_the_source_their_offsets_index(
    server: FakeOpenAIServer, good_summary: dict[str, Any], tmp_path: Path
) -> None:
    raw = messy_article()
    (tmp_path / "crlf.txt").write_bytes(raw.encode("utf-8"))
    lines = [
        {"id": "text", "text": raw},
        {"id": "html", "html": HTML},
        {"id": "path", "path": "crlf.txt"},
    ]
    inputs = tmp_path / "in.jsonl"
    inputs.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    for _ in lines:
        server.push(Step(as_json(good_summary)))
    summarizer = Summarizer(model="m", base_url=server.base_url, api_key="sk-test", max_reasks=0)
    report = run_batch(summarizer, inputs, tmp_path / "out.jsonl", concurrency=1)
    assert report.ok == 3, load_batch(tmp_path / "out.jsonl")
    records = {r["id"]: r for r in load_batch(tmp_path / "out.jsonl")}
    for name in ("text", "path"):
        assert "source" not in records[name]
        assert all(fold(piece) == quote for quote, piece in quotes_back(raw, records[name]))
    html = records["html"]
    assert hashlib.sha256(html["source"].encode()).hexdigest() == html["source_sha256"]
    for action in html["summary"]["actions"]:
        for span in action["evidence_spans"]:
            assert span["raw_start"] is None and span["raw_end"] is None
            assert html["source"][span["start"] : span["end"]] == span["quote"]

    for _ in lines:
        server.push(Step(as_json(good_summary)))
    kept = tmp_path / "kept.jsonl"
    run_batch(summarizer, inputs, kept, concurrency=1, keep_source=True)
    assert all("source" in record for record in load_batch(kept))


def test_summarize_meta_prints_the_hash_and_the_source_of_html(
    server: FakeOpenAIServer, good_summary: dict[str, Any], tmp_path: Path, capsys: Any
) -> None:
    page = tmp_path / "page.html"
    page.write_text(HTML, encoding="utf-8")
    for path, has_source in ((EXAMPLE, False), (page, True)):
        server.push(Step(as_json(good_summary)))
        argv = ["summarize", str(path), "--model", "m", "--base-url", server.base_url, "--meta"]
        assert main(argv) == 0
        out = json.loads(capsys.readouterr().out)
        assert len(out["source_sha256"]) == 64
        assert ("source" in out) is has_source
