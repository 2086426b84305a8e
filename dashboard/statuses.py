"""The one definition of how a progress status looks: its order, label and colour.

The pills (site.css, checked against this by tests/test_dashboard_city_sector.py), the Plotly charts,
the Excel fills and the annual report all read their colours from here. Every colour carries
white text at a contrast of at least 4.5:1, and neighbouring statuses differ in hue, so a
stacked bar stays legible.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from reporting.models import ProgressSnapshot

# Worst-to-best is not the order a leader reads a verdict in; the engine's order is: final
# verdicts, then the trend statuses, then what has no verdict yet.
STATUSES = [
    "achieved",
    "missed",
    "on_track",
    "needs_acceleration",
    "off_track",
    "deteriorating",
    "no_data",
    "manual",
]

STATUS_COLOURS = {
    "achieved": "#1a7f37",
    "missed": "#cf222e",
    "on_track": "#0a7b83",
    "needs_acceleration": "#9a6700",
    "off_track": "#bc4c00",
    "deteriorating": "#82071e",
    "no_data": "#6e7781",
    "manual": "#0969da",
}

# Statuses that call for a leader's attention, most urgent first.
ATTENTION_STATUSES = ("missed", "deteriorating", "off_track", "needs_acceleration")

# `missed` is the engine's final verdict for a target year that passed without the target met;
# until the engine's Status carries it, its label is kept here.
_EXTRA_LABELS = {"missed": gettext_lazy("未完成")}


_ENGINE_LABELS = dict(ProgressSnapshot.Status.choices)


def status_label(code: str) -> str | Promise:
    return _ENGINE_LABELS.get(code) or _EXTRA_LABELS.get(code, code)


@dataclass(frozen=True)
class StatusStyle:
    code: str
    label: str | Promise
    colour: str


def status_styles() -> list[StatusStyle]:
    """Every status in display order (labels are lazy: they follow the request's language)."""
    return [StatusStyle(code, status_label(code), STATUS_COLOURS[code]) for code in STATUSES]


# For lists a leader reads worst first: final failures, worsening and lagging trends, then what
# cannot be judged yet, then what is fine.
WORST_FIRST = {
    code: rank
    for rank, code in enumerate(
        ["missed", "deteriorating", "off_track", "needs_acceleration", "no_data", "manual", "on_track", "achieved"]
    )
}
