"""Small inline-SVG charts built with ElementTree: no JavaScript, no CDN, text escaped by the XML writer.

Each function returns one ``<svg class="chart">`` element as a string, with a ``<title>`` (hover
text) on every mark. Values are expected in [0, 1] unless a chart says otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, SubElement, tostring

SERIES = ("#1f5fa8", "#e07b00", "#2a9d4a", "#8e44ad", "#8c564b", "#17becf")
RED, GREY, INK, GRID, EMPTY = "#c62828", "#8a8a8a", "#222", "#e3e3e3", "#f0f0f0"
FONT = "font-family:system-ui,sans-serif;font-size:12px"


def _svg(width: float, height: float, label: str) -> Element:
    return Element("svg", {
        "xmlns": "http://www.w3.org/2000/svg", "class": "chart", "role": "img",
        "aria-label": label, "width": f"{width:.0f}", "height": f"{height:.0f}",
        "viewBox": f"0 0 {width:.0f} {height:.0f}", "style": FONT,
    })  # fmt: skip


def _el(parent: Element, tag: str, tip: str | None = None, **attrs: float | str) -> Element:
    node = SubElement(
        parent, tag, {k.rstrip("_").replace("_", "-"): _attr(v) for k, v in attrs.items()}
    )
    if tip:
        SubElement(node, "title").text = tip
    return node


def _attr(value: float | str) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _text(
    parent: Element, x: float, y: float, text: str, tip: str | None = None, **attrs: float | str
) -> None:
    _el(parent, "text", tip, x=x, y=y, fill=attrs.pop("fill", INK), **attrs).text = text


def _done(svg: Element) -> str:
    return tostring(svg, encoding="unicode")


def _legend(svg: Element, x: float, y: float, names: Sequence[str]) -> None:
    for k, name in enumerate(names):
        _el(svg, "circle", name, cx=x + 5, cy=y + 18 * k - 4, r=5.0, fill=SERIES[k % len(SERIES)])
        _text(svg, x + 14, y + 18 * k, name)


def _axis(
    svg: Element,
    x0: float,
    width: float,
    top: float,
    bottom: float,
    ticks: Sequence[tuple[float, str]],
) -> None:
    for pos, label in ticks:
        x = x0 + pos * width
        _el(svg, "line", x1=x, x2=x, y1=top, y2=bottom, stroke=GRID)
        _text(svg, x, bottom + 14, label, text_anchor="middle", fill=GREY)


@dataclass(frozen=True)
class Point:
    """A value with its interval; None when there is nothing to measure."""

    value: float | None
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class IntervalRow:
    label: str
    tip: str
    points: Sequence[Point]


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _point_tip(row: IntervalRow, series: str, p: Point) -> str:
    interval = "" if p.low is None or p.high is None else f" (95% CI {p.low:.3f} to {p.high:.3f})"
    return f"{row.label} — {series}: {_fmt(p.value)}{interval}\n{row.tip}"


def interval_chart(
    rows: Sequence[IntervalRow], series: Sequence[str], *, label: str = "metrics"
) -> str:
    """Dot-and-whisker chart on [0, 1]: one row per metric, one coloured dot per series."""
    left, width, step = 170.0, 420.0, 10.0 + 9.0 * len(series)
    top = 14.0 + 18.0 * len(series)
    svg = _svg(left + width + 70, top + step * len(rows) + 24, label)
    _legend(svg, left, 16, series)
    _axis(
        svg, left, width, top - 4, top + step * len(rows), [(t / 4, f"{t / 4:g}") for t in range(5)]
    )
    for r, row in enumerate(rows):
        y = top + step * r + 10
        _text(svg, left - 8, y + 4, row.label, row.tip, text_anchor="end")
        for k, (name, p) in enumerate(zip(series, row.points, strict=True)):
            yk, colour, tip = (
                y + 9 * (k - (len(series) - 1) / 2),
                SERIES[k % len(SERIES)],
                _point_tip(row, name, p),
            )
            if p.value is None:
                _text(svg, left + 4, yk + 4, "n/a", tip, fill=GREY)
                continue
            if p.low is not None and p.high is not None:
                _el(
                    svg,
                    "line",
                    tip,
                    x1=left + p.low * width,
                    x2=left + p.high * width,
                    y1=yk,
                    y2=yk,
                    stroke=colour,
                    stroke_width=2.0,
                )
            _el(svg, "circle", tip, cx=left + p.value * width, cy=yk, r=4.0, fill=colour)
        last = row.points[0].value if row.points else None
        _text(svg, left + width + 14, y + 4, _fmt(last), row.tip)
    return _done(svg)


@dataclass(frozen=True)
class DeltaRow:
    label: str
    tip: str
    delta: float | None
    low: float | None
    high: float | None
    regression: bool = False


NICE_SPANS = (0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0)


def _span(rows: Sequence[DeltaRow]) -> float:
    """Half-width of the x axis: the smallest round figure covering every delta and bound."""
    found = [abs(v) for r in rows for v in (r.delta, r.low, r.high) if v is not None]
    biggest = max(found, default=0.0)
    return next((s for s in NICE_SPANS if s >= biggest), math.ceil(biggest))


def _delta_tip(row: DeltaRow) -> str:
    shown = "n/a" if row.delta is None else f"{row.delta:+.3f}"
    ci = (
        ""
        if row.low is None or row.high is None
        else f" (95% CI {row.low:+.3f} to {row.high:+.3f})"
    )
    return f"{row.label}: Δ {shown}{ci}{' — regression' if row.regression else ''}\n{row.tip}"


def _whisker(svg: Element, tip: str, x1: float, x2: float, y: float, colour: str) -> None:
    _el(svg, "line", tip, x1=x1, x2=x2, y1=y, y2=y, stroke=colour, stroke_width=2.0)


def _forest_row(
    svg: Element, row: DeltaRow, y: float, x: Callable[[float], float], right: float
) -> None:
    colour, tip = RED if row.regression else SERIES[0], _delta_tip(row)
    _text(svg, x(-math.inf) - 8, y + 4, row.label, row.tip, text_anchor="end",
          fill=RED if row.regression else INK)  # fmt: skip
    if row.delta is None:
        _text(svg, x(0.0) + 4, y + 4, "n/a", tip, fill=GREY)
        return
    if row.low is not None and row.high is not None:
        _whisker(svg, tip, x(row.low), x(row.high), y, colour)
    _el(svg, "rect", tip, x=x(row.delta) - 4, y=y - 4, width=8.0, height=8.0, fill=colour)
    _text(svg, right + 8, y + 4, f"{row.delta:+.3f}", tip, fill=colour)


def forest_chart(rows: Sequence[DeltaRow], *, label: str = "deltas") -> str:
    """Forest plot of deltas with their intervals around zero; regressions in red."""
    left, width, step, top = 170.0, 420.0, 22.0, 10.0
    span, bottom = _span(rows), top + step * len(rows)
    svg = _svg(left + width + 80, bottom + 26, label)
    _axis(
        svg, left, width, top, bottom, [((t + 2) / 4, f"{t * span / 2:+.2f}") for t in range(-2, 3)]
    )
    _el(svg, "line", x1=left + width / 2, x2=left + width / 2, y1=top, y2=bottom, stroke=INK)

    def x(v: float) -> float:  # clamped: -inf gives the left edge
        return left + (max(-span, min(span, v)) + span) / (2 * span) * width

    for r, row in enumerate(rows):
        _forest_row(svg, row, top + step * r + 11, x, left + width)
    return _done(svg)


def _blend(a: str, b: str, t: float) -> str:
    pa, pb = (tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in (a, b))
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(pa, pb, strict=True))


def unit_colour(value: float) -> str:
    """Red (0) through yellow (0.5) to green (1)."""
    value = min(1.0, max(0.0, value))
    return (
        _blend("#d73027", "#fee08b", value * 2)
        if value < 0.5
        else _blend("#fee08b", "#1a9850", value * 2 - 1)
    )


@dataclass(frozen=True)
class Heatmap:
    rows: Sequence[str]
    cols: Sequence[str]
    cells: Mapping[tuple[str, str], float | None]
    counts: bool = False  # counts (shaded by share of the largest) rather than values in [0, 1]
    row_tips: Mapping[str, str] = field(default_factory=dict)
    col_tips: Mapping[str, str] = field(default_factory=dict)
    corner: str = ""


def _cell(h: Heatmap, value: float | None, biggest: float) -> tuple[str, str]:
    if value is None:
        return EMPTY, "n/a"
    if h.counts:
        return (_blend("#ffffff", SERIES[0], value / biggest) if value else "#ffffff"), f"{value:g}"
    return unit_colour(value), f"{value:.2f}"


def _heat_cell(
    svg: Element,
    h: Heatmap,
    key: tuple[str, str],
    box: tuple[float, float, float, float],
    biggest: float,
) -> None:
    x, y, w, ht = box
    value = h.cells.get(key)
    fill, shown = _cell(h, value, biggest)
    tip = f"{key[0]} · {key[1]}: {shown}"
    _el(svg, "rect", tip, x=x, y=y, width=w - 2, height=ht - 2, fill=fill, stroke=GRID)
    dark = not h.counts and value is not None and (value < 0.2 or value > 0.85)
    shade = "#fff" if dark or (h.counts and value and value / biggest > 0.6) else INK
    _text(svg, x + w / 2 - 1, y + ht / 2 + 3, shown, tip, text_anchor="middle", fill=shade)


def heatmap(h: Heatmap, *, label: str = "heatmap") -> str:
    """A grid of coloured cells with their values; n/a cells grey."""
    left, cw, ch, angle = 150.0, 58.0, 24.0, math.radians(40)
    reach = 7.0 * max((len(c) for c in h.cols), default=0)  # a rotated label's length in pixels
    top = 16 + reach * math.sin(angle)
    width = left + cw * len(h.cols) + reach * math.cos(angle)
    svg = _svg(width, top + ch * len(h.rows) + 10, label)
    biggest = max((v for v in h.cells.values() if v is not None), default=1.0) or 1.0
    _text(svg, 4, top - 6, h.corner, fill=GREY)
    for c, col in enumerate(h.cols):
        x = left + cw * c + cw / 2
        _text(svg, x, top - 8, col, h.col_tips.get(col, col),
              transform=f"rotate(-40 {x:.1f} {top - 8:.1f})")  # fmt: skip
    for r, row in enumerate(h.rows):
        y = top + ch * r
        _text(svg, left - 8, y + ch / 2 + 4, row, h.row_tips.get(row, row), text_anchor="end")
        for c, col in enumerate(h.cols):
            _heat_cell(svg, h, (row, col), (left + cw * c, y, cw, ch), biggest)
    return _done(svg)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


def _tick(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _edges(values: Sequence[float], bins: int) -> list[float]:
    low, high = min(values), max(values)
    if high <= low:
        high = low + 1.0
    return [low + (high - low) * k / bins for k in range(bins + 1)]


def _bin_counts(values: Sequence[float], edges: Sequence[float]) -> list[int]:
    last = len(edges) - 2
    return [
        sum(edges[b] <= v < edges[b + 1] or (b == last and v == edges[-1]) for v in values)
        for b in range(last + 1)
    ]


def _bars(
    svg: Element,
    series: Sequence[Series],
    edges: Sequence[float],
    box: tuple[float, float, float, float],
    unit: str,
) -> None:
    left, top, width, height = box
    counts = [_bin_counts(s.values, edges) for s in series]
    tallest = max(sum(column) for column in zip(*counts, strict=True)) or 1
    bw = width / (len(edges) - 1)
    _text(svg, left - 6, top + 8, str(tallest), text_anchor="end", fill=GREY)
    for b in range(len(edges) - 1):
        base = top + height
        for k, s in enumerate(series):
            if not counts[k][b]:
                continue
            h = height * counts[k][b] / tallest
            tip = (
                f"{s.name}: {counts[k][b]} run(s) from {edges[b]:.3g} to {edges[b + 1]:.3g} {unit}"
            )
            _el(svg, "rect", tip, x=left + bw * b + 1, y=base - h, width=bw - 2, height=h,
                fill=SERIES[k % len(SERIES)])  # fmt: skip
            base -= h


def histogram(
    series: Sequence[Series], *, unit: str, label: str = "histogram", bins: int = 12
) -> str:
    """Stacked histogram of several series over shared bins (e.g. model calls and cached answers)."""
    left, width, height, top = 46.0, 440.0, 150.0, 10.0 + 18.0 * len(series)
    svg = _svg(left + width + 20, top + height + 34, label)
    _legend(svg, left + 10, 16, [f"{s.name} ({len(s.values)})" for s in series])
    every = [v for s in series for v in s.values]
    if not every:
        _text(svg, left, top + height / 2, "no runs to show", fill=GREY)
        return _done(svg)
    edges = _edges(every, bins)
    _el(svg, "line", x1=left, x2=left + width, y1=top + height, y2=top + height, stroke=INK)
    _bars(svg, series, edges, (left, top, width, height), unit)
    for b in range(0, bins + 1, 3):
        _text(svg, left + width * b / bins, top + height + 14, _tick(edges[b]),
              text_anchor="middle", fill=GREY)  # fmt: skip
    _text(svg, left + width, top + height + 28, unit, text_anchor="end", fill=GREY)
    return _done(svg)
