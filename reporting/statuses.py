"""The progress status vocabulary: codes, labels and colours, defined once.

Everything that names or colours a status reads from here: the snapshot model's choices, the
API filters and schema, the pages' chips (dashboard/static/dashboard/statuses.css: a static
file, as the Content-Security-Policy allows no inline style; a test holds it to STATUS_COLOURS),
the charts, the Excel exports and the annual report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ProgressStatus(models.TextChoices):
    """In display order: final verdicts first, then the trend of running targets."""

    ACHIEVED = "achieved", _("已实现")
    MISSED = "missed", _("未完成")
    ON_TRACK = "on_track", _("按计划推进")
    NEEDS_ACCELERATION = "needs_acceleration", _("需加快")
    OFF_TRACK = "off_track", _("进度滞后")
    DETERIORATING = "deteriorating", _("趋势恶化")
    NO_DATA = "no_data", _("暂无数据")
    MANUAL = "manual", _("人工评估")


# Fills behind white text (every one at least 4.5:1 against white), distinct in a stacked bar:
# green for met, teal for on course, amber to orange to red as things get worse.
STATUS_COLOURS: dict[str, str] = {
    ProgressStatus.ACHIEVED: "#1a7f37",
    ProgressStatus.MISSED: "#cf222e",
    ProgressStatus.ON_TRACK: "#00736b",
    ProgressStatus.NEEDS_ACCELERATION: "#9a6700",
    ProgressStatus.OFF_TRACK: "#bc4c00",
    ProgressStatus.DETERIORATING: "#82071e",
    ProgressStatus.NO_DATA: "#57606a",
    ProgressStatus.MANUAL: "#0969da",
}
STATUS_COLOURS = {str(code): colour for code, colour in STATUS_COLOURS.items()}

STATUSES: list[str] = [str(value) for value in ProgressStatus.values]

# Statuses that are a final verdict on a target whose year the data has reached.
FINAL_STATUSES = frozenset({ProgressStatus.ACHIEVED.value, ProgressStatus.MISSED.value})


def status_label(status: str) -> str:
    return str(ProgressStatus(status).label)


# Statuses that call for a leader's attention, most urgent first.
ATTENTION_STATUSES = ("missed", "deteriorating", "off_track", "needs_acceleration")

# For lists a leader reads worst first: final failures, worsening and lagging trends, then what
# cannot be judged yet, then what is fine.
WORST_FIRST = {
    code: rank
    for rank, code in enumerate(
        ["missed", "deteriorating", "off_track", "needs_acceleration", "no_data", "manual", "on_track", "achieved"]
    )
}


@dataclass(frozen=True)
class StatusStyle:
    code: str
    label: StrOrPromise
    colour: str


# Built once: the labels are lazy, so the same styles serve every request in its own language.
_STYLES = tuple(StatusStyle(code, ProgressStatus(code).label, STATUS_COLOURS[code]) for code in STATUSES)


def status_styles() -> list[StatusStyle]:
    """Every status in display order (labels are lazy: they follow the request's language)."""
    return list(_STYLES)
