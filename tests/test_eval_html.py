"""The HTML report in headless Chromium: charts drawn, filter working, no console errors."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from typing import Any

import pytest

from summarizer.cli import main
from tests.browser import Chromium, find_chromium
from tests.conftest import ROOT
from tests.synthetic_predictions import write_predictions

DEV = ROOT / "evals" / "datasets" / "dev.jsonl"
CHARTS = (
    "metrics with 95% intervals",
    "deltas against the baseline",
    "status confusion",
    "metrics by category",
    "seconds per run",
    "tokens per run",
)
# per chart: its size, and how many marks (dots, bars, cells) it draws
PROBE = """JSON.stringify([...document.querySelectorAll('svg.chart')].map(svg => {
  const box = svg.getBoundingClientRect();
  return {label: svg.getAttribute('aria-label'), width: box.width, height: box.height,
          marks: svg.querySelectorAll('circle, rect, line').length,
          titles: [...svg.querySelectorAll('title')].map(t => t.textContent)};
}))"""
VISIBLE = "[...document.querySelectorAll('.articles details')].filter(d => d.offsetParent).length"


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scored run on dev with mistakes, failures, rules and cache hits, against a perfect baseline."""
    root = tmp_path_factory.mktemp("html")
    base = write_predictions(DEV, root / "base.jsonl", mistakes=False, fail_every=0)
    new = write_predictions(DEV, root / "new.jsonl")
    assert (
        main(["score", str(DEV), str(base), "--out", str(root / "base"), "--bootstrap", "200"]) == 0
    )
    args = ["score", str(DEV), str(new), "--out", str(root / "new"), "--bootstrap", "200"]
    assert main([*args, "--baseline", str(root / "base")]) == 0
    return root / "new"


def test_the_page_is_self_contained(report_dir: Path) -> None:
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script" not in html  # the filter is CSS, the charts SVG
    assert html.count("<svg") == len(CHARTS)
    # hover text: every metric's definition is on its chart row and in the table
    assert "Predicted evidence quotes found in the source" in html
    assert 'title="Predicted evidence quotes found in the source' in html
    assert 'class="src"' in html and '<mark class="gp">' in html  # the evidence highlighter


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.skipif(
    find_chromium() is None,
    reason="Chromium is not installed (apt-get install chromium; .ci/run installs it)",
)
def test_charts_are_drawn_in_chromium(report_dir: Path) -> None:
    pytest.importorskip(
        "websocket", reason="websocket-client is not installed (pip install -e '.[dev]')"
    )
    executable = find_chromium()
    assert executable is not None
    report = json.loads((report_dir / "report.json").read_text())
    with Chromium(executable) as browser:
        browser.open(report_dir / "report.html")
        charts: list[dict[str, Any]] = json.loads(browser.evaluate(PROBE))
        shot = browser.screenshot(report_dir / "report.png")
        total = browser.evaluate(VISIBLE)
        browser.evaluate("document.getElementById('show-failed').click()")
        failed_only = browser.evaluate(VISIBLE)
        errors = browser.errors()
    assert [c["label"] for c in charts] == list(CHARTS)
    for chart in charts:
        assert chart["width"] > 200 and chart["height"] > 100, chart["label"]
        assert chart["marks"] >= 10 and chart["titles"], chart["label"]
    assert errors == []
    width, height = _png_size(shot)
    assert width >= 1000 and height > 3000 and shot.stat().st_size > 50_000
    assert total == len(report["per_article"])
    assert failed_only == sum(a["failed"] > 0 for a in report["per_article"]) > 0
