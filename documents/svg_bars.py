"""Horizontal stacked bars (reporting.charts.status_bars) drawn as SVG from their Plotly spec.

Laid out as plotly.js lays out the page's bars: the legend above the plot in trace order,
the first category on top (the spec's reversed axis), category labels broken where the spec
breaks them (<br>), counts on a whole-number axis from zero.
"""

from __future__ import annotations

import math
from html import escape

from documents.svg_chart import (
    GRID,
    INK,
    axis_title,
    colour_of,
    nice_ticks,
    open_svg,
    pairs_of,
    text_width,
    tick_text,
)

ROW = 14  # px per line of a category label
GAP = 8  # px between bars
SWATCH = 12


def bars_svg(spec: dict, *, width: int = 560, title: str = "") -> str:
    """The stacked bars as an <svg> element, or "" with nothing to draw."""
    layout = spec.get("layout") or {}
    traces = [trace for trace in spec.get("data", []) if trace.get("type") == "bar" and pairs_of(trace)]
    if not traces:
        return ""
    categories = [str(label) for label in traces[0].get("y") or []]
    # plotly.js puts the first category at the bottom unless the axis is reversed
    flip = (layout.get("yaxis") or {}).get("autorange") != "reversed"
    if flip:
        categories = categories[::-1]
    lines = [label.split("<br>") for label in categories]
    left = 8 + max((text_width(line) for label in lines for line in label), default=0)
    legend, legend_height = _legend(traces, layout, width)
    top = legend_height + 6
    heights = [max(1, len(label)) * ROW + GAP for label in lines]
    x_title = axis_title(layout, "xaxis")
    height = int(top + sum(heights) + 22 + (16 if x_title else 0))
    totals = [0.0] * len(categories)
    for trace in traces:
        for i, value in enumerate(_values(trace, len(categories), flip=flip)):
            totals[i] += value
    ticks = _count_ticks(max(totals, default=0))
    right = width - 10
    span = right - left

    def x_at(value: float) -> float:
        return left + value / ticks[-1] * span

    bottom = top + sum(heights)
    parts = open_svg("status-chart", width, height, title)
    for tick in ticks:
        x = x_at(tick)
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="{GRID}"/>')
        parts.append(f'<text x="{x:.1f}" y="{bottom + 14}" text-anchor="middle">{tick_text(tick, ticks)}</text>')
    parts.append(f'<line x1="{left:.1f}" y1="{top}" x2="{left:.1f}" y2="{bottom}" stroke="{INK}"/>')
    parts += legend
    y = float(top)
    for i, label in enumerate(lines):
        middle = y + heights[i] / 2
        first = middle - (len(label) - 1) * ROW / 2 + 4
        for n, line in enumerate(label):
            parts.append(f'<text x="{left - 6:.1f}" y="{first + n * ROW:.1f}" text-anchor="end">{escape(line)}</text>')
        start = 0.0
        for index, trace in enumerate(traces):
            value = _values(trace, len(categories), flip=flip)[i]
            if value <= 0:
                continue
            whole = (" " if categories[i].isascii() else "").join(label)  # the label unbroken
            name = escape(f"{whole}: {value:g} {trace.get('name', '')}".strip())
            parts.append(
                f'<rect x="{x_at(start):.1f}" y="{y + GAP / 2:.1f}" width="{x_at(start + value) - x_at(start):.1f}" '
                f'height="{heights[i] - GAP:.1f}" fill="{escape(colour_of(trace, index, layout))}">'
                f"<title>{name}</title></rect>"
            )
            start += value
        y += heights[i]
    if x_title:
        parts.append(
            f'<text class="x-title" x="{(left + right) / 2:.1f}" y="{height - 4}" '
            f'text-anchor="middle">{escape(x_title)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _values(trace: dict, count: int, *, flip: bool) -> list[float]:
    """The trace's value for each category (the traces share one category list), in drawing order."""
    values = [float(v) if v is not None and math.isfinite(float(v)) else 0.0 for v in (trace.get("x") or [])]
    values = (values + [0.0] * count)[:count]
    return values[::-1] if flip else values


def _count_ticks(high: float) -> list[float]:
    """Whole counts from zero: every one up to 10, else round steps."""
    if high <= 10:
        return [float(n) for n in range(int(max(high, 1)) + 1)]
    return [tick for tick in nice_ticks(0, high) if tick >= 0]


def _legend(traces: list[dict], layout: dict, width: int) -> tuple[list[str], int]:
    """The legend in trace order, flowed over as many rows as the width needs, and its height."""
    parts, x, row = [], 0.0, 0
    for index, trace in enumerate(traces):
        name = str(trace.get("name", ""))
        entry = SWATCH + 4 + text_width(name) + 12
        if x and x + entry > width:
            x, row = 0.0, row + 1
        y = row * 18
        parts.append(
            f'<g transform="translate({x:.1f},{y})"><rect x="0" y="3" width="{SWATCH}" height="{SWATCH}" '
            f'fill="{escape(colour_of(trace, index, layout))}"/><text x="{SWATCH + 4}" y="13">{escape(name)}</text></g>'
        )
        x += entry
    return parts, (row + 1) * 18
