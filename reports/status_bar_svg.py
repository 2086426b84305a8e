"""The dashboard's status-by-sector figure (dashboard.charts.status_bars) drawn as inline SVG.

The PDF renderer runs no JavaScript, so it cannot run plotly.js. This reads the same Plotly
figure spec the city page hands to plotly.js (the same counts, order, status names and colours)
and draws it as stacked horizontal bars, so the report and the dashboard look alike. Every text
is escaped here; the result can be marked safe in a template.
"""

from __future__ import annotations

from html import escape

from reports.svg_chart import FONT

LABEL_WIDTH = 96  # px for the category names (wrapped Chinese sector names fit on one or two lines)
ROW = 26  # px per bar
LEGEND_ROW = 17
LINE = 12  # px between the lines of a wrapped label


def _legend(traces: list[dict], width: int) -> tuple[list[str], int]:
    parts, x, y = [], 0.0, 12
    for trace in traces:
        name = str(trace["name"])
        # text width estimated: a CJK character is about the font size, a Latin one about 0.6 of it
        step = 16 + sum(6.5 if ch.isascii() else 11 for ch in name) + 10
        if x and x + step > width:
            x, y = 0.0, y + LEGEND_ROW
        colour = escape(trace["marker"]["color"])
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 10}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16:.1f}" y="{y}">{escape(name)}</text>'
        )
        x += step
    return parts, y + 10


def status_bars_svg(figure: dict, *, title: str, width: int = 360) -> str:
    """The figure as an <svg> element; "" when it has no bars."""
    traces = [trace for trace in figure.get("data", []) if any(trace.get("x", ()))]
    if not traces:
        return ""
    labels = [str(label) for label in traces[0]["y"]]
    totals = [sum(values) for values in zip(*(trace["x"] for trace in traces), strict=True)]
    largest = max(totals) or 1
    legend, top = _legend(traces, width)
    plot = width - LABEL_WIDTH - 28
    height = top + ROW * len(labels) + 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="status-bars" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f"font-family='{FONT}' font-size=\"11\">",
        f"<title>{escape(title)}</title>",
        *legend,
    ]
    for index, label in enumerate(labels):
        y = top + index * ROW
        lines = label.split("<br>")
        first = y + ROW / 2 + 4 - (len(lines) - 1) * LINE / 2
        for number, line in enumerate(lines):
            parts.append(
                f'<text x="{LABEL_WIDTH - 6}" y="{first + number * LINE:.1f}" text-anchor="end">{escape(line)}</text>'
            )
        x = float(LABEL_WIDTH)
        for trace in traces:
            value = trace["x"][index]
            if not value:
                continue
            w = value / largest * plot
            colour = escape(trace["marker"]["color"])
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{ROW - 6}" fill="{colour}">'
                f"<title>{escape(str(trace['name']))}: {value}</title></rect>"
            )
            if w >= 12:
                middle = f'x="{x + w / 2:.1f}" y="{y + ROW / 2 + 4:.1f}" text-anchor="middle"'
                parts.append(f'<text {middle} fill="#fff">{value}</text>')
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + ROW / 2 + 4:.1f}">{totals[index]}</text>')
    parts.append("</svg>")
    return "".join(parts)
