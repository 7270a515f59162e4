"""Inline SVG charts: well-formed, escaped, n/a shown as such, regressions in red."""

from __future__ import annotations

from xml.etree.ElementTree import fromstring

from summarizer.charts import (
    RED,
    DeltaRow,
    Heatmap,
    IntervalRow,
    Point,
    Series,
    forest_chart,
    heatmap,
    histogram,
    interval_chart,
    unit_colour,
)

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> object:
    return fromstring(svg)  # raises on malformed XML


def test_interval_chart_escapes_text_and_shows_na() -> None:
    rows = [
        IntervalRow(
            "a<b>", "defines <script>alert(1)</script>", [Point(0.5, 0.4, 0.6), Point(0.7)]
        ),
        IntervalRow("empty", "nothing to measure", [Point(None), Point(None)]),
    ]
    svg = interval_chart(rows, ["run", "baseline"])
    root = parse(svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    circles = root.findall(f".//{NS}circle")
    assert len(circles) == 2 + 2  # two legend dots, two value dots (n/a rows draw none)
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert texts.count("n/a") == 3  # two n/a points and the value column of the empty row
    assert any("95% CI 0.400 to 0.600" in (t.text or "") for t in root.iter(f"{NS}title"))


def test_forest_chart_marks_regressions_red() -> None:
    rows = [DeltaRow("worse", "", -0.2, -0.3, -0.1, True), DeltaRow("same", "", 0.0, -0.05, 0.04)]
    root = parse(forest_chart(rows))
    fills = [r.get("fill") for r in root.iter(f"{NS}rect")]
    assert fills[0] == RED and fills[1] != RED
    labels = [t.text for t in root.iter(f"{NS}text")]
    assert "-0.30" in labels and "+0.30" in labels  # a round axis covering every bound


def test_heatmap_cells_and_na() -> None:
    chart = Heatmap(["r1", "r2"], ["c1"], {("r1", "c1"): 0.0, ("r2", "c1"): None})
    root = parse(heatmap(chart))
    rects = list(root.iter(f"{NS}rect"))
    assert (
        len(rects) == 2
        and rects[0].get("fill") == unit_colour(0.0)
        and rects[1].get("fill") == "#f0f0f0"
    )
    assert unit_colour(0.0) != unit_colour(1.0)


def test_histogram_stacks_series_and_says_when_empty() -> None:
    root = parse(histogram([Series("model", [1.0, 1.1, 5.0]), Series("cached", [0.01])], unit="s"))
    bars = [r for r in root.iter(f"{NS}rect")]
    assert sum(int(r.find(f"{NS}title").text.split(": ")[1].split()[0]) for r in bars) == 4  # type: ignore[union-attr]
    empty = histogram([Series("model", [])], unit="s")
    assert "no runs to show" in empty
