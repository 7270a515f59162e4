"""The result viewer: one offline page; in headless Chromium the quotes are highlighted, a card's
click marks its own quotes, and the filters hide what does not match."""

from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import Any

import pytest

from summarizer import Summarizer
from summarizer.cli import main
from summarizer.records import Record, read_records
from summarizer.schema import SanctionsSummary
from summarizer.view import render_view, segments
from tests.analyst_data import SUMMARIES, write_results
from tests.browser import Chromium as Browser
from tests.browser import find_chromium
from tests.conftest import as_json
from tests.fakeserver import FakeOpenAIServer, Step


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("view")
    results = write_results(folder)
    out = folder / "review.html"
    assert main(["view", str(results), "-o", str(out)]) == 0
    return out


def test_segments_cover_the_text_and_anchor_every_quote() -> None:
    text = "abcdefghij"
    cut = segments(text, [("q1", 2, 6), ("q2", 4, 8), ("q3", 4, 8)])
    assert "".join(s.text for s in cut) == text
    assert [(s.text, s.quotes, s.anchors) for s in cut] == [
        ("ab", (), ()),
        ("cd", ("q1",), ("q1",)),
        ("ef", ("q1", "q2", "q3"), ("q2", "q3")),
        ("gh", ("q2", "q3"), ()),
        ("ij", (), ()),
    ]


def test_the_page_is_self_contained_and_escapes_the_text(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "<link" not in html and "@import" not in html
    data = {**SUMMARIES["kirby"], "headline": "<script>alert(1)</script> headline"}
    rendered = render_view([Record("x", SanctionsSummary.model_validate(data))])
    assert "<script>alert(1)" not in rendered and "&lt;script&gt;alert(1)" in rendered
    assert "source text is not in these results" in rendered


def test_result_to_html(
    server: FakeOpenAIServer, good_summary: dict[str, Any], article: str
) -> None:
    server.push(Step(as_json(good_summary)))
    summarizer = Summarizer(model="m", base_url=server.base_url, api_key="sk-test", max_reasks=0)
    html = summarizer.summarize(article).to_html(title="Kirby")
    assert "<title>Kirby</title>" in html
    assert html.count('class="anchor"') == 3  # one anchor per evidence quote
    assert html.count('class="card ') == 3


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


VISIBLE = "Array.from(document.querySelectorAll('article')).filter(a => !a.hidden).map(a => a.id)"
ACTIVE = "Array.from(document.querySelectorAll('mark.q.active')).map(m => m.dataset.q)"


def choose(browser: Browser, name: str, value: str) -> list[str]:
    browser.evaluate(
        f"(() => {{ const s = document.getElementById('filter-{name}'); s.value = '{value}';"
        " s.dispatchEvent(new Event('change')); })()"
    )
    visible: list[str] = browser.evaluate(VISIBLE)
    return visible


@pytest.mark.skipif(
    find_chromium() is None,
    reason="Chromium is not installed (apt-get install chromium; .ci/run installs it)",
)
def test_highlights_clicks_and_filters_in_chromium(page: Path) -> None:
    pytest.importorskip(
        "websocket", reason="websocket-client is not installed (pip install -e '.[dev]')"
    )
    executable = find_chromium()
    assert executable is not None
    records = {r.id: r for r in read_records(page.parent / "results.jsonl")}
    order = [r.id for r in read_records(page.parent / "results.jsonl")]
    article = {name: f"article-{order.index(name)}" for name in order}
    quotes = sum(len(a.evidence) for r in records.values() for a in r.summary.actions)
    with Browser(executable) as browser:
        browser.open(page)
        shot = browser.screenshot(page.with_suffix(".png"))
        anchors = browser.evaluate("document.querySelectorAll('.src .anchor').length")
        marked = browser.evaluate(
            "Array.from(document.querySelectorAll('mark.q')).map(m => m.textContent).join('|')"
        )
        browser.click(f"#{article['eu']} .card.extended")
        active = browser.evaluate(ACTIVE)
        target = browser.evaluate(
            "(() => { const r = document.querySelector('mark.q.active').getBoundingClientRect();"
            " return [r.top, window.innerHeight]; })()"
        )
        all_shown = browser.evaluate(VISIBLE)
        eu_only = choose(browser, "imposer", "EU")
        announced = (choose(browser, "imposer", ""), choose(browser, "status", "announced"))[1]
        hidden_cards = browser.evaluate(
            f"document.querySelectorAll('#{article['kirby']} .card[hidden]').length"
        )
        uae = (choose(browser, "status", ""), choose(browser, "country", "AE"))[1]
        shown_text = browser.evaluate("document.getElementById('shown').textContent")
        errors = browser.errors()
    assert errors == []
    width, height = _png_size(shot)
    assert width >= 1000 and height > 1500 and shot.stat().st_size > 50_000
    assert anchors == quotes == 6
    assert "prolong the existing sectoral measures against Russia until 31 July 2025" in marked
    assert len(active) == 1 and active[0].startswith(f"q-{order.index('eu')}-1-"), active
    assert 0 <= target[0] <= target[1]  # scrolled into view
    assert len(all_shown) == 4  # the failed record has no article; the sport one shows
    assert eu_only == [article["eu"]]
    assert announced == [article["kirby"]] and hidden_cards == 1  # the threatened card is hidden
    assert uae == [article["treasury"]] and shown_text == "1 of 4 articles"
