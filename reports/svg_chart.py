"""A target's chart as inline SVG, built on the server.

The PDF renderer runs no JavaScript, so the report cannot use the Plotly charts of the pages.
This draws the same story with plain SVG: the observations, the straight path from the start
to the target, and the target itself, with labelled axes. Every piece of text is escaped here,
so the result can be marked safe in a template.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape

OBSERVED = "#0969da"
PATH = "#57606a"
TARGET = "#8250df"
LEGEND_STEP = 108  # px per legend entry: room for an English label such as "Straight path"
FONT = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif'


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
    points = data.points()
    xs, ys = (
        year_ticks(min(p.x for p in points), max(p.x for p in points)),
        nice_ticks(min(p.y for p in points), max(p.y for p in points)),
    )
    x_low, x_high, y_low, y_high = xs[0], xs[-1], ys[0], ys[-1]
    frame = Frame(width, height)

    def at(point: Point) -> tuple[float, float]:
        return frame.x(point.x, x_low, x_high), frame.y(point.y, y_low, y_high)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="target-chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(labels.title)}" '
        f"font-family='{FONT}' font-size=\"11\">",
        f"<title>{escape(labels.title)}</title>",
        *_axes(frame, xs, ys, labels),
        *_legend(frame, labels, data),
    ]
    if data.path:
        (x1, y1), (x2, y2) = at(data.path[0]), at(data.path[1])
        parts.append(
            f'<line class="path" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{PATH}" '
            'stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
    if data.observations:
        coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y in map(at, data.observations))
        parts.append(
            f'<polyline class="observed" points="{coordinates}" fill="none" stroke="{OBSERVED}" stroke-width="2"/>'
        )
        for point in data.observations:
            x, y = at(point)
            tip = f"<title>{escape(point.label)}</title>"
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{OBSERVED}">{tip}</circle>')
    for point in data.targets:
        x, y = at(point)
        diamond = f"{x:.1f},{y - 7:.1f} {x + 7:.1f},{y:.1f} {x:.1f},{y + 7:.1f} {x - 7:.1f},{y:.1f}"
        parts.append(
            f'<polygon class="target" points="{diamond}" fill="{TARGET}"><title>{escape(point.label)}</title></polygon>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _axes(frame: Frame, xs: list[int], ys: list[float], labels: ChartLabels) -> list[str]:
    bottom, left = frame.height - frame.bottom, frame.left
    right = frame.width - frame.right
    parts = [
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#1b1f24"/>',
        f'<line x1="{left}" y1="{frame.top}" x2="{left}" y2="{bottom}" stroke="#1b1f24"/>',
    ]
    for year in xs:
        x = frame.x(year, xs[0], xs[-1])
        parts.append(f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 4}" stroke="#1b1f24"/>')
        parts.append(f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">{year}</text>')
    for value in ys:
        y = frame.y(value, ys[0], ys[-1])
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#eaeef2"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(tick_text(value, ys))}</text>')
    parts.append(
        f'<text class="x-title" x="{(left + right) / 2:.1f}" y="{frame.height - 4}" '
        f'text-anchor="middle">{escape(labels.x_axis)}</text>'
    )
    parts.append(
        f'<text class="y-title" x="{left}" y="{frame.top - 8}" text-anchor="start">{escape(labels.y_axis)}</text>'
    )
    return parts


def _legend(frame: Frame, labels: ChartLabels, data: ChartData) -> list[str]:
    entries = []
    if data.observations:
        entries.append(
            (f'<line x1="0" y1="-4" x2="16" y2="-4" stroke="{OBSERVED}" stroke-width="2"/>', labels.observed)
        )
    if data.path:
        entries.append(
            (f'<line x1="0" y1="-4" x2="16" y2="-4" stroke="{PATH}" stroke-width="1.5" stroke-dasharray="4 3"/>',
             labels.path)
        )  # fmt: skip
    if data.targets:
        entries.append((f'<polygon points="8,-10 14,-4 8,2 2,-4" fill="{TARGET}"/>', labels.target))
    parts, x = [], frame.width - frame.right - LEGEND_STEP * len(entries)
    for swatch, text in entries:
        parts.append(
            f'<g transform="translate({x},{frame.top - 8})">{swatch}<text x="20" y="0">{escape(text)}</text></g>'
        )
        x += LEGEND_STEP
    return parts
