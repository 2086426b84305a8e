"""Figures: Plotly figure specs built on the server, one builder per kind of chart.

The same spec is drawn twice: by the local plotly.js on the pages, and by documents.svg_chart
(which draws a spec as SVG, for the PDF and the Word report, where no JavaScript runs), so a
chart looks the same on a page and in a report.

The specs are plain dicts in plotly.js's JSON schema. plotly.py's graph objects validate every
attribute, which cost more than the rest of a page; these figures use a handful of attributes,
and the browser tests check that plotly.js draws them. plotly.py validates the one thing shared
by all of them, the site's template (once per process), supplies the palettes, and serialises
the specs (`figure_json`: plotly's encoder, which also turns numpy values, Decimal and NaN into
JSON).
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from functools import cache

import plotly.io as pio
from django.utils.translation import gettext as _
from plotly.colors import qualitative

from reporting.models import ProgressSnapshot
from reporting.statuses import STATUS_COLOURS, status_styles
from targets.models import Target
from targets.units import unit_label

# The site's chart template: the page's fonts and colours, so a chart reads as part of the page.
FONT = 'system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif'
CITY_PALETTE = qualitative.D3
TEMPLATE_NAME = "plan_tracker"
SITE_LOOK = {
    "layout": {
        "font": {"family": FONT, "size": 13, "color": "#1b1f24"},
        "paper_bgcolor": "#fff",
        "plot_bgcolor": "#fff",
        "colorway": CITY_PALETTE,
        "hoverlabel": {"font": {"family": FONT}},
    }
}
# The lines of a target's chart (the projection takes its status's colour).
OBSERVED_COLOUR = "#0969da"
PATH_COLOUR = "#6e7781"
TARGET_COLOUR = "#8250df"


@cache
def site_template() -> dict:
    """The site's look as a plotly template, validated by plotly.py once per process and
    registered as `pio.templates["plan_tracker"]`. Every spec carries it in `layout.template`,
    so plotly.js and the report's SVG renderer read the same fonts and colours."""
    import plotly.graph_objects as go  # its validators load in a quarter second: only when a chart is built

    pio.templates[TEMPLATE_NAME] = go.layout.Template(SITE_LOOK)
    return pio.templates[TEMPLATE_NAME].to_plotly_json()


def figure_json(figure: dict) -> str:
    """A spec as JSON, through plotly's encoder without validating the spec again."""
    return pio.to_json(figure, validate=False)


def city_colour(code: str) -> str:
    """A city's colour on every chart of the site: a stable hash of its code into Plotly's D3
    palette (CRC32, not hash(), which Python salts per process)."""
    return CITY_PALETTE[zlib.crc32(code.encode()) % len(CITY_PALETTE)]


def status_bars(
    categories: Sequence[str], counts: Mapping[str, Sequence[int]], *, links: Sequence[str] = (), x_title: str = ""
) -> dict:
    """Horizontal bars, one per category (a city, a sector), stacked by status in the status
    colours. `counts[status][i]` is category i's count. A click on a bar follows `links[i]`."""
    labels = [wrap_label(name) for name in categories]
    traces = []
    for style in status_styles():
        values = list(counts.get(style.code, ()))
        if not any(values):
            continue
        traces.append(
            {"type": "bar", "orientation": "h", "name": str(style.label), "x": values, "y": labels,
             "marker": {"color": style.colour}, "customdata": list(links) or None,
             "hovertemplate": "%{y}: %{x}<extra>" + str(style.label) + "</extra>"}
        )  # fmt: skip
    lines = sum(label.count("<br>") + 1 for label in labels)
    layout = _layout(height=70 + 18 * lines + 10 * len(labels), x_title=x_title)
    # counts need no zoom: a drag would only get in the way of a click on a bar
    layout.update(barmode="stack", bargap=0.25, dragmode=False)
    # the legend above the bars, in status order, clear of the axis title at any width
    layout["legend"] = {"orientation": "h", "traceorder": "normal", "x": 0, "y": 1, "yanchor": "bottom"}
    layout["margin"] = {"l": 8, "r": 8, "t": 36, "b": 36 if x_title else 24}
    layout["yaxis"] = {"autorange": "reversed", "automargin": True, "fixedrange": True}
    layout["xaxis"] = {"title": {"text": x_title}, "rangemode": "tozero", "tickformat": "d", "automargin": True,
                       "fixedrange": True}  # fmt: skip
    totals = [sum(values) for values in zip(*(trace["x"] for trace in traces), strict=True)] if traces else []
    if max(totals, default=0) <= 10:
        layout["xaxis"]["dtick"] = 1  # counts: no ticks between whole numbers
    return {"data": traces, "layout": layout}


def wrap_label(text: str, width: int = 9) -> str:
    """An axis label broken into lines (Plotly's <br>) so long indicator names leave room for
    the bars on a phone: Chinese every `width` characters, other text at spaces."""
    if len(text) <= width or "<br>" in text:
        return text
    if text.isascii():
        lines, line = [], ""
        for word in text.split():
            if line and len(line) + len(word) >= width * 2:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        return "<br>".join([*lines, line])
    return "<br>".join(text[i : i + width] for i in range(0, len(text), width))


def sparkline_points(values: list[float], width: int = 80, height: int = 20) -> str:
    """SVG polyline points for a small trend; empty for fewer than two values."""
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    spread = (high - low) or 1.0
    step = width / (len(values) - 1)
    return " ".join(f"{i * step:.1f},{height - (v - low) / spread * height:.1f}" for i, v in enumerate(values))


def target_figure(
    target: Target,
    snapshot: ProgressSnapshot | None,
    observations: Sequence[tuple[float, float | None, str]],
    targets: list[Target],
) -> dict:
    """Observations, the straight path from the start to the target, the projection to the
    target year, and the indicator's 2025/2030 targets. `observations` is (t, value, period)."""
    unit = unit_label(target.indicator.unit)
    # A flow's cumulative target is a sum over years: on the axis of yearly values it would mislead.
    same_axis = not (target.kind == Target.Kind.CUMULATIVE and target.indicator.nature == "flow")
    traces: list[dict] = []
    if observations:
        traces.append(
            scatter(
                x=[point[0] for point in observations], y=[point[1] for point in observations],
                text=[point[2] for point in observations], mode="lines+markers", name=_("观测值"),
                hovertemplate="%{text}: %{y}<extra></extra>", line={"color": OBSERVED_COLOUR},
            )
        )  # fmt: skip
    if (
        same_axis
        and snapshot
        and snapshot.target_level is not None
        and snapshot.baseline_value is not None
        and observations
    ):
        start = _start_time(target, observations)
        traces.append(
            scatter(
                x=[start, target.target_year], y=[snapshot.baseline_value, snapshot.target_level], mode="lines",
                name=_("直线路径"), line={"color": PATH_COLOUR, "dash": "dot"},
            )
        )  # fmt: skip
    if same_axis and snapshot and snapshot.projected_value is not None and observations:
        last_t, last_v = observations[-1][0], observations[-1][1]
        if last_t < target.target_year:
            traces.append(
                scatter(
                    x=[last_t, target.target_year], y=[last_v, snapshot.projected_value], mode="lines",
                    name=_("趋势预测"), line={"color": STATUS_COLOURS.get(snapshot.status, PATH_COLOUR),
                                             "dash": "dash"},
                )
            )  # fmt: skip
    levels = [(t.target_year, _level(t, snapshot if t.pk == target.pk else None)) for t in targets]
    levels = [(year, level) for year, level in levels if level is not None and same_axis]
    if levels:
        traces.append(
            scatter(
                x=[pair[0] for pair in levels], y=[pair[1] for pair in levels], mode="markers", name=_("目标"),
                marker={"symbol": "star", "size": 14, "color": TARGET_COLOUR},
            )
        )  # fmt: skip
    return figure(traces, height=360, x_title=_("年份"), y_title=unit)


def scatter(**attributes: object) -> dict:
    return {"type": "scatter", **attributes}


def figure(traces: list[dict], *, height: int, x_title: str = "", y_title: str = "") -> dict:
    layout = _layout(height=height, x_title=x_title)
    layout["xaxis"]["dtick"] = 1
    layout["yaxis"] = {"title": {"text": y_title}, "automargin": True}
    return {"data": traces, "layout": layout}


def _layout(*, height: int, x_title: str) -> dict:
    return {
        # the legend above the plot: below it, it ran into the x-axis title on a phone
        "margin": {"l": 50, "r": 20, "t": 36, "b": 40}, "height": height,
        "legend": {"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom"},
        "xaxis": {"title": {"text": x_title}, "automargin": True},
        "template": site_template(),
    }  # fmt: skip


def _start_time(target: Target, observations: Sequence[tuple[float, float | None, str]]) -> float:
    if target.baseline_year:
        return float(target.baseline_year)
    if target.period_start:
        return float(target.period_start - 1)
    return observations[0][0]


def _level(target: Target, snapshot: ProgressSnapshot | None) -> float | None:
    if snapshot is not None and snapshot.target_level is not None:
        return snapshot.target_level
    if target.kind == Target.Kind.LEVEL and target.value is not None:
        return float(target.value)
    return None
