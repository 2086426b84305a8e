"""Figures for the pages: Plotly figure specs built on the server, drawn by the local plotly.js.

The specs are plain dicts in plotly.js's JSON schema. plotly.py's graph objects validate every
attribute, which cost more than the rest of a page; these figures use a handful of attributes,
and the browser tests check that plotly.js draws them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from dashboard.units import unit_label
from reporting.models import ProgressSnapshot
from reporting.statuses import STATUS_COLOURS
from targets.models import Target


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
    observations: list[tuple[float, float, str]],
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
                hovertemplate="%{text}: %{y}<extra></extra>", line={"color": "#0969da"},
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
                name=_("直线路径"), line={"color": "#6e7781", "dash": "dot"},
            )
        )  # fmt: skip
    if same_axis and snapshot and snapshot.projected_value is not None and observations:
        last_t, last_v = observations[-1][0], observations[-1][1]
        if last_t < target.target_year:
            traces.append(
                scatter(
                    x=[last_t, target.target_year], y=[last_v, snapshot.projected_value], mode="lines",
                    name=_("趋势预测"), line={"color": STATUS_COLOURS.get(snapshot.status, "#6e7781"), "dash": "dash"},
                )
            )  # fmt: skip
    levels = [(t.target_year, _level(t, snapshot if t.pk == target.pk else None)) for t in targets]
    levels = [(year, level) for year, level in levels if level is not None and same_axis]
    if levels:
        traces.append(
            scatter(
                x=[pair[0] for pair in levels], y=[pair[1] for pair in levels], mode="markers", name=_("目标"),
                marker={"symbol": "star", "size": 14, "color": "#8250df"},
            )
        )  # fmt: skip
    return figure(traces, height=360, x_title=_("年份"), y_title=unit)


def scatter(**attributes: object) -> dict:
    return {"type": "scatter", **attributes}


def figure(traces: list[dict], *, height: int, x_title: str = "", y_title: str = "") -> dict:
    return {
        "data": traces,
        "layout": {
            "margin": {"l": 50, "r": 20, "t": 20, "b": 40}, "height": height, "legend": {"orientation": "h"},
            "xaxis": {"title": {"text": x_title}, "dtick": 1}, "yaxis": {"title": {"text": y_title}},
            "paper_bgcolor": "#fff", "plot_bgcolor": "#fff",
        },
    }  # fmt: skip


def _start_time(target: Target, observations: list[tuple[float, float, str]]) -> float:
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
