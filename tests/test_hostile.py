"""Hostile inputs: each gets a valid summary or a clear error naming the problem, and the good
articles in the same batch are untouched."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summarizer import InputError, Summarizer, load_batch, run_batch
from summarizer.retry import transient_policy
from tests import synthetic
from tests.fakeserver import FakeOpenAIServer

OK = "ok"


def line(**fields: Any) -> bytes:
    return json.dumps(fields).encode()


def hostile(tmp_path: Path) -> list[tuple[str, bytes, str]]:
    """(name, raw input line, expected: OK or a phrase the error message must contain)."""
    (tmp_path / "page.html").write_text(
        "<html><head><title>x</title></head><body><article><p>"
        + synthetic.article(900)
        + "</p><p>Officials gave no further details about the company.</p></article></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "latin1.txt").write_bytes(
        "Sanctions visées à la Société Générale".encode("latin-1")
    )
    (tmp_path / "folder").mkdir()
    ten_mb = "Sanctions were discussed. " * 400_000
    long_line = ("word " * 40_000).strip() + "."
    sentences = " ".join(f"Sentence {k} of a long article says nothing new." for k in range(4000))
    return [
        ("empty text", line(id="h1", text=""), "empty"),
        ("whitespace", line(id="h2", text=" \n\t \u00a0 "), "empty"),
        ("NUL bytes", line(id="h3", text="abc\u0000\u0001def"), "binary"),
        ("invalid UTF-8 line", b'{"id": "h4", "text": "caf\xe9 \xff"}', "not valid UTF-8"),
        ("10 MB of text", line(id="h5", text=ten_mb), "input limit"),
        (
            "boilerplate-only HTML",
            line(
                id="h6",
                html="<html><body><nav>Home | About | Contact</nav><footer>(c) 2025</footer></body></html>",
            ),
            "no article text",
        ),
        ("HTML page", line(id="h7", path="page.html"), OK),
        (
            "Russian",
            line(id="h8", text="Евросоюз обсуждает новые меры. Решение пока не принято."),
            OK,
        ),
        (
            "Farsi",
            line(id="h9", text="اتحادیه اروپا درباره تحریم‌های جدید گفتگو کرد. تصمیمی گرفته نشد."),
            OK,
        ),
        ("Chinese", line(id="h10", text="欧盟讨论了新的制裁措施。目前尚未作出决定。"), OK),
        ("emoji", line(id="h11", text="Sanctions news 🚢🛢️💰 today: nothing was decided 🤷."), OK),
        (
            "right-to-left override",
            line(id="h12", text="\u202eSanctions\u202c were \u200fdiscussed."),
            OK,
        ),
        (
            "zero-width characters",
            line(id="h13", text=synthetic.article(901).replace("Ocean", "Oc\u200bean")),
            OK,
        ),
        ("200 kB single line", line(id="h14", text=long_line), OK),
        ("200 kB of sentences", line(id="h15", text=sentences), OK),
        ("lone surrogate", b'{"id": "h16", "text": "Sanctions \\ud800 were discussed."}', OK),
        (
            "control characters",
            line(id="h17", text="\x1b[31mSanctions\x1b[0m were \x07discussed."),
            OK,
        ),
        ("CR line endings", line(id="h18", text="Sanctions were\rdiscussed.\r\rNothing new."), OK),
        ("only punctuation", line(id="h19", text="... !!! ???"), OK),
        ("broken JSON", b'{"id": "h20", "text": "unterminated', "not valid JSON"),
        ("JSON array", b'["h21", "text"]', "expected a JSON object"),
        ("JSON string", b'"just a string"', "expected a JSON object"),
        ("missing id", line(text="no id here"), "missing or empty 'id'"),
        ("empty id", line(id="  ", text="blank id"), "missing or empty 'id'"),
        ("null id", line(id=None, text="null id"), "missing or empty 'id'"),
        ("boolean id", line(id=True, text="boolean id"), "missing or empty 'id'"),
        ("duplicate id", line(id="good1", text=synthetic.article(999)), "duplicate id"),
        ("text and html", line(id="h28", text="a", html="<p>b</p>"), "exactly one of"),
        ("no source", line(id="h29", title="no text"), "exactly one of"),
        ("text not a string", line(id="h30", text=42), "must be a string"),
        ("missing file", line(id="h31", path="nope.txt"), "file not found"),
        ("a folder", line(id="h32", path="folder"), "not a regular file"),
        ("binary file", line(id="h33", path="blob.bin"), "binary"),
        ("Latin-1 file", line(id="h34", path="latin1.txt"), "not valid UTF-8"),
        ("integer id", line(id=35, text=synthetic.article(935)), OK),
    ]


def test_every_hostile_input_gets_a_summary_or_a_named_error(tmp_path: Path) -> None:
    cases = hostile(tmp_path)
    assert len(cases) >= 30
    good = [line(id=f"good{i}", text=synthetic.article(i)) for i in range(1, 4)]
    rows = [good[0], *(raw for _, raw, _ in cases), *good[1:]]
    inputs, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inputs.write_bytes(b"\n".join(rows) + b"\n")
    with FakeOpenAIServer(default=synthetic.respond) as server:
        summarizer = Summarizer(
            model="fake-model",
            base_url=server.base_url,
            api_key="sk-test",
            retrying=transient_policy(initial=0.01, maximum=0.05),
        )
        report = run_batch(summarizer, inputs, output, concurrency=4)
    by_line = {r["line"]: r for r in load_batch(output)}
    assert sorted(by_line) == list(range(1, len(rows) + 1))  # one record per line, none lost
    assert report.total == len(rows)
    for offset, (name, _, expected) in enumerate(cases, start=2):
        record = by_line[offset]
        if expected == OK:
            assert record["ok"], f"{name}: {record.get('error')}"
        else:
            assert not record["ok"], f"{name} should fail"
            assert expected in record["error"]["message"], f"{name}: {record['error']}"
            assert record["error"]["type"] in {"InputError", "BadInputLine"}, name
    for number in (1, len(rows) - 1, len(rows)):
        assert by_line[number]["ok"]
        assert by_line[number]["summary"]["actions"][0]["targets"][0]["name"].startswith("Ocean")
    # the HTML page was reduced to its article; zero-width characters no longer split a name
    assert by_line[8]["summary"]["actions"][0]["targets"][0]["name"] == "Ocean Star 900 Shipping"
    assert by_line[14]["summary"]["actions"][0]["targets"][0]["name"] == "Ocean Star 901 Shipping"


@pytest.mark.parametrize(
    ("source", "phrase"),
    [
        (b"", "empty"),
        (b"\xff\xfe\x00\x00binary", "binary"),
        ("x" * 5_000_001, "input limit"),
        ("<html><body><nav>menu</nav></body></html>", "no article text"),
    ],
)
def test_the_api_refuses_bad_sources_before_any_model_call(
    source: str | bytes, phrase: str
) -> None:
    with FakeOpenAIServer(default=synthetic.respond) as server:
        summarizer = Summarizer(model="fake-model", base_url=server.base_url, api_key="sk-test")
        with pytest.raises(InputError, match=phrase):
            summarizer.summarize(source)
        assert not server.requests
