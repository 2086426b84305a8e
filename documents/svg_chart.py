"""Plotly figure specs drawn as SVG on the server, for the PDF and the Word report.

The report renderers run no JavaScript, so they cannot use plotly.js, and plotly's own static
export (kaleido) drives a Chrome of its own that does not start here. So this draws the very
spec the pages hand to plotly.js (reporting.charts): scatter traces (lines, dashes, circle, star
and diamond markers) and horizontal stacked bars, in the spec's colours, legend names and order,
on the same kind of axes. A chart in a report therefore looks like the one on the page.
Every piece of text is escaped here, so the result can be marked safe in a template.

Horizontal bars are in reports.svg_bars, and documents.figure_svg picks the renderer for a spec.
`target_chart_svg` (ChartData in, SVG out) is kept for callers that assemble points
themselves: it builds a spec with reporting.charts and draws that.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from typing import SupportsFloat

from reporting.charts import OBSERVED_COLOUR, PATH_COLOUR, TARGET_COLOUR, figure, scatter

OBSERVED = OBSERVED_COLOUR
PATH = PATH_COLOUR
TARGET = TARGET_COLOUR
LEGEND_STEP = 108  # px per legend entry: room for an English label such as "Straight path"
# The fonts the server has come first: the PDF and PNG renderers use the first one installed.
FONT = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif'
FONT_SIZE = 11
DASHES = {"dot": "2 3", "dash": "6 4", "dashdot": "6 3 2 3", "longdash": "10 4"}
INK, GRID = "#1b1f24", "#eaeef2"


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str = ""


@dataclass(frozen=True)
class ChartLabels:
    """Translated texts: the caller's language, escaped by the builder."""

    title: str
    x_axis: str
    y_axis: str
    observed: str
    path: str
    target: str


@dataclass
class ChartData:
    observations: list[Point] = field(default_factory=list)
    path: tuple[Point, Point] | None = None
    targets: list[Point] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.observations or self.path or self.targets)

    def points(self) -> list[Point]:
        return [*self.observations, *(self.path or ()), *self.targets]


@dataclass(frozen=True)
class Frame:
    """The drawing area and the data range it maps."""

    width: int
    height: int
    left: int = 58
    right: int = 18
    top: int = 34
    bottom: int = 38

    def x(self, value: float, low: float, high: float) -> float:
        return self.left + (value - low) / (high - low) * (self.width - self.left - self.right)

    def y(self, value: float, low: float, high: float) -> float:
        return self.height - self.bottom - (value - low) / (high - low) * (self.height - self.top - self.bottom)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (steps of 1, 2 or 5 × 10^n) that cover [low, high]."""
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError("tick bounds must be finite numbers")
    if high < low:
        low, high = high, low
    if high == low:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    ticks = []
    value = first
    while value <= last + step / 2:
        ticks.append(round(value, 10))
        value += step
    return ticks


def year_ticks(low: float, high: float, most: int = 8) -> list[int]:
    """Whole years from low to high, thinned to at most `most` labels."""
    first, last = math.floor(low), math.ceil(high)
    if last == first:
        first, last = first - 1, last + 1
    step = max(1, math.ceil((last - first) / (most - 1)))
    # The last tick may pass `high`: every point must fall inside the axis.
    return [first + i * step for i in range(math.ceil((last - first) / step) + 1)]


def tick_text(value: float, ticks: list[float]) -> str:
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    decimals = max(0, -math.floor(math.log10(step))) if step > 0 else 0
    return f"{value:,.{decimals}f}"


def target_chart_svg(data: ChartData, labels: ChartLabels, *, width: int = 560, height: int = 250) -> str:
    """The chart as an <svg> element, or "" when there is nothing to draw."""
    if data.is_empty():
        return ""
    traces = []
    if data.observations:
        traces.append(
            scatter(x=[p.x for p in data.observations], y=[p.y for p in data.observations],
                    hovertext=[p.label for p in data.observations], mode="lines+markers", name=labels.observed,
                    line={"color": OBSERVED})
        )  # fmt: skip
    if data.path:
        traces.append(
            scatter(x=[p.x for p in data.path], y=[p.y for p in data.path], mode="lines", name=labels.path,
                    line={"color": PATH, "dash": "dot"})
        )  # fmt: skip
    if data.targets:
        traces.append(
            scatter(x=[p.x for p in data.targets], y=[p.y for p in data.targets], mode="markers", name=labels.target,
                    hovertext=[p.label for p in data.targets], marker={"symbol": "star", "size": 14, "color": TARGET})
        )  # fmt: skip
    spec = figure(traces, height=height, x_title=labels.x_axis, y_title=labels.y_axis)
    return scatter_svg(spec, width=width, height=height, title=labels.title)


def pairs_of(trace: dict) -> list[tuple[float, float]]:
    """The trace's drawable (x, y) pairs: both numbers (a bar's category is its y)."""
    xs, ys = trace.get("x") or [], trace.get("y") or []
    if trace.get("type") == "bar":
        return [(float(x), 0.0) for x in xs if _finite(x)]
    return [(float(x), float(y)) for x, y in zip(xs, ys, strict=False) if _finite(x) and _finite(y)]


def _finite(value: object) -> bool:
    """A number to draw: None, NaN and text (a bar's category) are not."""
    return isinstance(value, SupportsFloat) and not isinstance(value, str) and math.isfinite(float(value))


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """Roughly how wide a text is drawn: a CJK character is square, a Latin one about 0.6 of it."""
    return sum(size if ord(char) >= 0x2E80 else size * 0.6 for char in text)


def open_svg(css_class: str, width: int, height: int, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f"font-family='{FONT}' font-size=\"{FONT_SIZE}\">",
        f"<title>{escape(title)}</title>",
    ]


def axis_title(layout: dict, axis: str) -> str:
    title = (layout.get(axis) or {}).get("title") or {}
    return str(title.get("text", "") if isinstance(title, dict) else title)


def colour_of(trace: dict, index: int, layout: dict) -> str:
    """The trace's colour as plotly.js picks it: its own, else the template's colorway in turn."""
    own = (trace.get("line") or {}).get("color") or (trace.get("marker") or {}).get("color")
    if isinstance(own, str):
        return own
    template = (layout.get("template") or {}).get("layout") or {}
    colorway = template.get("colorway") or [OBSERVED]
    return str(colorway[index % len(colorway)])


def scatter_svg(spec: dict, *, width: int = 560, height: int = 250, title: str = "") -> str:
    """A spec of scatter traces (lines, markers or both) as an <svg> element; "" without a point."""
    traces = [trace for trace in spec.get("data", []) if pairs_of(trace)]
    if not traces:
        return ""
    layout = spec.get("layout") or {}
    points = [pair for trace in traces for pair in pairs_of(trace)]
    low_x, high_x = min(x for x, _y in points), max(x for x, _y in points)
    low_y, high_y = min(y for _x, y in points), max(y for _x, y in points)
    years = (layout.get("xaxis") or {}).get("dtick") == 1
    xs: list[float] = list(year_ticks(low_x, high_x)) if years else nice_ticks(low_x, high_x)
    ys = nice_ticks(low_y, high_y)
    y_title = axis_title(layout, "yaxis")
    shown = [(trace, colour_of(trace, i, layout)) for i, trace in enumerate(traces)]
    legend = [(t, c) for t, c in shown if t.get("name") and t.get("showlegend", True)]
    frame = Frame(width, height)
    if frame.left + text_width(y_title) + 10 > width - frame.right - LEGEND_STEP * len(legend):
        frame = Frame(width, height, top=52)  # a long unit: the legend gets a row of its own above it

    def at(x: float, y: float) -> tuple[float, float]:
        return frame.x(x, xs[0], xs[-1]), frame.y(y, ys[0], ys[-1])

    parts = open_svg("target-chart", width, height, title)
    parts += _axes(frame, xs, ys, axis_title(layout, "xaxis"), y_title, years=years)
    parts += _legend(frame, legend)
    for index, (trace, colour) in enumerate(shown):
        mode = trace.get("mode") or ("lines+markers" if len(pairs_of(trace)) < 20 else "lines")
        pairs = pairs_of(trace)
        parts.append(f'<g class="trace trace-{index}">')
        if "lines" in mode and len(pairs) > 1:
            line = trace.get("line") or {}
            coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y in (at(*pair) for pair in pairs))
            parts.append(
                f'<polyline points="{coordinates}" fill="none" stroke="{escape(colour)}" '
                f'stroke-width="{line.get("width", 2)}"{_dash(line.get("dash"))}/>'
            )
        if "markers" in mode:
            marker = trace.get("marker") or {}
            for (x, y), tip in zip(pairs, _tips(trace, pairs), strict=True):
                parts.append(
                    _marker(
                        *at(x, y),
                        symbol=marker.get("symbol", "circle"),
                        size=marker.get("size", 6),
                        colour=colour,
                        tip=tip,
                    )
                )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def _tips(trace: dict, pairs: list[tuple[float, float]]) -> Iterable[str]:
    """Each point's tooltip: its hovertext, else its text (a period) and value, else x and y."""
    texts = trace.get("hovertext") or trace.get("text")
    for i, (x, y) in enumerate(pairs):
        if isinstance(texts, list) and i < len(texts) and texts[i] is not None:
            yield str(texts[i]) if trace.get("hovertext") else f"{texts[i]}: {y:g}"
        else:
            yield f"{x:g}: {y:g}"


def _dash(dash: object) -> str:
    pattern = DASHES.get(str(dash)) if dash else None
    return f' stroke-dasharray="{pattern}"' if pattern else ""


def _marker(x: float, y: float, *, symbol: str, size: float, colour: str, tip: str) -> str:
    fill, title = escape(colour), f"<title>{escape(tip)}</title>"
    radius = float(size) / 2
    if symbol == "star":
        corners = []
        for k in range(10):
            r = radius if k % 2 == 0 else radius * 0.4
            angle = math.pi * k / 5 - math.pi / 2
            corners.append(f"{x + r * math.cos(angle):.1f},{y + r * math.sin(angle):.1f}")
        return f'<polygon class="marker-star" points="{" ".join(corners)}" fill="{fill}">{title}</polygon>'
    if symbol == "diamond":
        r = radius
        diamond = f"{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"
        return f'<polygon class="marker-diamond" points="{diamond}" fill="{fill}">{title}</polygon>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:g}" fill="{fill}">{title}</circle>'


def _axes(frame: Frame, xs: list[float], ys: list[float], x_title: str, y_title: str, *, years: bool) -> list[str]:
    bottom, left = frame.height - frame.bottom, frame.left
    right = frame.width - frame.right
    parts = [
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{INK}"/>',
        f'<line x1="{left}" y1="{frame.top}" x2="{left}" y2="{bottom}" stroke="{INK}"/>',
    ]
    for value in xs:
        x = frame.x(value, xs[0], xs[-1])
        text = str(int(value)) if years else tick_text(value, xs)
        parts.append(f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 4}" stroke="{INK}"/>')
        parts.append(f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">{escape(text)}</text>')
    for value in ys:
        y = frame.y(value, ys[0], ys[-1])
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(tick_text(value, ys))}</text>')
    parts.append(
        f'<text class="x-title" x="{(left + right) / 2:.1f}" y="{frame.height - 4}" '
        f'text-anchor="middle">{escape(x_title)}</text>'
    )
    parts.append(f'<text class="y-title" x="{left}" y="{frame.top - 8}" text-anchor="start">{escape(y_title)}</text>')
    return parts


def _legend(frame: Frame, entries: list[tuple[dict, str]]) -> list[str]:
    """Above the plot at the right, as the pages' legend: a swatch of each trace and its name."""
    parts, x = [], frame.width - frame.right - LEGEND_STEP * len(entries)
    for trace, colour in entries:
        mode = trace.get("mode") or "lines"
        if "lines" in mode:
            dash = _dash((trace.get("line") or {}).get("dash"))
            swatch = f'<line x1="0" y1="-4" x2="16" y2="-4" stroke="{escape(colour)}" stroke-width="2"{dash}/>'
        else:
            marker = trace.get("marker") or {}
            swatch = _marker(
                8, -4, symbol=marker.get("symbol", "circle"), size=min(marker.get("size", 6), 12), colour=colour, tip=""
            )
        parts.append(
            f'<g transform="translate({x},{min(frame.top - 8, 26)})">{swatch}'
            f'<text x="20" y="0">{escape(str(trace["name"]))}</text></g>'
        )
        x += LEGEND_STEP
    return parts
