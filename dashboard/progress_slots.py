"""Progress inside plan text: slots in a cached fragment, filled per request.

Most of a plan's or a bureau's page is plan text (clauses, goals, measures, who answers for
what), which changes when a plan is loaded, a few times a year; the progress beside it (each
target's status and latest value, each measure's latest report and deadline state) changes
daily. Such a page caches its plan text under the plan version (config.data_version), which
progress does not change, with a slot (`{% slot "target-status" target.pk %}`, an HTML comment)
wherever progress goes. `{% fill_slots progress %}` around that fragment puts the progress in,
read per request in a query or two by the `Progress` objects below, however many rows the page
shows. A slot without a reading (a target never computed, a measure never reported) shows what
the page shows for no data; no marker ever reaches the reader.

The HTML of each slot is written here once, for every page that shows it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from html import escape as escape_html  # django.utils.html.escape's text, without its check for lazy text
from typing import Any, Protocol

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from measures.deadlines import DeadlineState, deadline_state
from measures.models import Measure
from measures.selectors import latest_status_label, latest_updates, with_latest_update
from reporting.charts import sparkline_points
from reporting.models import ProgressSnapshot
from reporting.progress_selectors import TargetRow
from reporting.statuses import status_label, status_styles
from reporting.target_text import progress_text
from reporting.templatetags.labels import number, unit
from targets.models import Target

SLOT = re.compile(r"<!--slot:([a-z-]+):(\d+)-->")


def slot_marker(kind: str, pk: int) -> SafeString:
    return mark_safe(f"<!--slot:{kind}:{int(pk)}-->")


class Progress(Protocol):
    def html(self, kind: str, pk: int) -> str: ...


def slots_fill(html: str, progress: Progress) -> SafeString:
    """`html` with every slot replaced by its progress, escaped here unless it is already safe
    HTML (a status name is whatever an admin typed)."""
    return mark_safe(SLOT.sub(lambda match: conditional_escape(progress.html(match[1], int(match[2]))), html))


def status_chip(status: str) -> SafeString:
    return format_html('<span class="chip status-{}">{}</span>', status, status_label(status))


def deadline_chip(state: str) -> SafeString:
    """The chip of a measure's deadline state ("overdue", "due_soon"), or nothing."""
    if state == DeadlineState.OVERDUE:
        return format_html('<span class="chip status-missed">{}</span>', DeadlineState.OVERDUE.label)
    if state == DeadlineState.DUE_SOON:
        return format_html('<span class="chip status-needs_acceleration">{}</span>', DeadlineState.DUE_SOON.label)
    return mark_safe("")


def latest_value(value: float | None, unit_label: str, period: str) -> str:
    """A target's latest value with its unit (`unit_label`, in the page's language) and period
    ("507.2 万千瓦 2024"), or — for none. Pages draw it for every target they list, so each part
    is escaped here, as format_html would, without its per-argument checks."""
    if value is None:
        return number(None)
    shown = f"{escape_html(number(value))} {escape_html(unit_label)}"
    return SafeString(f'{shown} <span class="meta">{escape_html(period)}</span>' if period else shown)


@dataclass
class TargetProgress:
    """Each target's current status and latest value, for `target-status` and `target-latest`."""

    snapshots: dict[int, tuple[str, float | None, str, str]] = field(default_factory=dict)
    # Each status chip and value drawn once per request (in its language): many targets share a
    # status, and many have no value.
    _status_chip: Callable[[str], SafeString] = field(init=False, repr=False, compare=False)
    _latest_value: Callable[[float | None, str, str], str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._status_chip = cache(status_chip)
        self._latest_value = cache(latest_value)

    @classmethod
    def of(cls, targets: QuerySet[Target]) -> TargetProgress:
        latest = ProgressSnapshot.objects.filter(target__in=targets.order_by().values("pk")).latest_per_target()
        rows = latest.values_list("target_id", "status", "latest_value", "latest_period", "target__indicator__unit")
        return cls({pk: (status, value, period or "", unit_code) for pk, status, value, period, unit_code in rows})

    @classmethod
    def of_units(cls, units: Mapping[int, str]) -> TargetProgress:
        """For targets (by id) whose units the page keeps with its plan text: their snapshots
        alone, with no join."""
        latest = ProgressSnapshot.objects.filter(target_id__in=list(units)).latest_per_target()
        rows = latest.values_list("target_id", "status", "latest_value", "latest_period")
        return cls({pk: (status, value, period or "", units[pk]) for pk, status, value, period in rows})

    @classmethod
    def of_rows(cls, rows: Iterable[TargetRow]) -> TargetProgress:
        """From rows a page has read already (with their snapshots): no query."""
        return cls(
            {row.target.pk: (row.status, row.latest_value, row.latest_period or "", row.target.indicator.unit)
             for row in rows}
        )  # fmt: skip

    def html(self, kind: str, pk: int) -> str:
        status, value, period, unit_code = self.snapshots.get(pk, (ProgressSnapshot.Status.NO_DATA, None, "", ""))
        if kind == "target-status":
            return self._status_chip(status)
        if kind == "target-latest":
            return self._latest_value(value, unit(unit_code), period)
        raise ValueError(f"no target slot {kind!r}")


_CITY_TARGET_CELLS = """<td data-label="{l_latest}">{latest}</td>
<td data-label="{l_target}">{level}</td>
<td data-label="{l_progress}">{progress}</td>
<td data-label="{l_status}">{status}</td>
<td data-label="{l_trend}">{trend}</td>"""


@dataclass
class TargetRowProgress:
    """The progress cells of a city's target rows (dashboard_tags.city_row_texts), from rows the
    page has read with their snapshots and trends: `city-target-cells`, a row's latest value,
    level, progress, status and trend. The status is a chip linking to `status_links[status]`
    (a query string: the page's filters with that status). One slot a row rather than one a
    cell, and the words and unit names the cells print looked up once per page: the page fills
    five cells for each of its targets after every change of progress."""

    rows: dict[int, TargetRow]
    status_links: Mapping[str, str]

    @classmethod
    def of(cls, rows: Iterable[TargetRow], status_links: Mapping[str, str]) -> TargetRowProgress:
        return cls({row.target.pk: row for row in rows}, status_links)

    @cached_property
    def _labels(self) -> dict[str, str]:
        """The cells' labels, translated and escaped once per page."""
        labels = {"l_latest": gettext("最新值"), "l_target": gettext("目标"), "l_progress": gettext("进度"),
                  "l_status": gettext("状态"), "l_trend": gettext("趋势")}  # fmt: skip
        return {key: escape_html(label) for key, label in labels.items()}

    @cached_property
    def _words(self) -> dict[str, str]:
        return {"qualitative": escape_html(gettext("定性")), "done": gettext("已完成%(p)s%%")}

    @cached_property
    def _chips(self) -> dict[str, SafeString]:
        """Each status's chip, built once per page rather than once per row."""
        return {
            style.code: format_html(
                '<a class="chip status-{}" href="?{}">{}</a>', style.code, self.status_links.get(style.code, ""),
                style.label,
            )
            for style in status_styles()
        }  # fmt: skip

    @cached_property
    def _units(self) -> dict[str, str]:
        """Each unit's name in the page's language."""
        return {code: unit(code) for code in {row.target.indicator.unit for row in self.rows.values()}}

    def html(self, kind: str, pk: int) -> str:
        if kind != "city-target-cells":
            raise ValueError(f"no target row slot {kind!r}")
        row = self.rows[pk]
        unit_label = self._units[row.target.indicator.unit]
        return SafeString(
            _CITY_TARGET_CELLS.format(
                **self._labels,
                latest=latest_value(row.latest_value, unit_label, row.latest_period),
                level=self._level(row, unit_label),
                progress=self._progress(row),
                status=self._chips[row.status],
                trend=self._trend(row),
            )
        )

    def _level(self, row: TargetRow, unit_label: str) -> str:
        """What the target asks for, as a level: the snapshot's (a relative target worked out
        from its baseline), else the target's own; "定性" for a qualitative one. Escaped."""
        target = row.target
        if target.kind == Target.Kind.QUALITATIVE:
            return self._words["qualitative"]
        if row.target_level is not None:
            return escape_html(f"{number(row.target_level)} {unit_label}")
        if target.kind == Target.Kind.LEVEL and target.value is not None:
            return escape_html(f"{number(target.value)} {unit_label}")
        return "—"

    def _progress(self, row: TargetRow) -> str:
        """Progress as a bar and a percentage; moving away from the target, in words. Escaped."""
        pct, rounded = row.progress_pct, row.progress_rounded
        if pct is None or rounded is None:
            return "—"
        if pct < 0:
            return f'<span class="meta">{escape_html(progress_text(pct))}</span>'
        done = localize(rounded)
        label = escape_html(self._words["done"] % {"p": done})
        done, width = escape_html(str(done)), escape_html(str(localize(row.progress_bar)))
        return f'<span class="bar" role="img" aria-label="{label}"><span data-width="{width}"></span></span>{done}%'

    def _trend(self, row: TargetRow) -> str:
        """A small line of the values, or nothing for fewer than two."""
        points = sparkline_points(row.trend)  # numbers only
        if not points:
            return ""
        return (
            '<svg class="spark" width="80" height="20" viewBox="0 0 80 20" role="img" '
            f'aria-label="{self._labels["l_trend"]}"><polyline points="{points}"/></svg>'
        )


@dataclass(frozen=True)
class MeasureReport:
    """A measure's latest report, named as `with_latest_update` annotates it (so that
    `latest_status_label` reads it), and its deadline state."""

    latest_status: str | None
    latest_status_name: str | None
    latest_status_name_en: str | None
    latest_percent: int | None
    deadline_state: str


@dataclass
class MeasureProgress:
    """Each measure's latest report and deadline state, for `measure-status` (as text),
    `measure-chip` (as a chip) and `measure-deadline`."""

    reports: dict[int, MeasureReport] = field(default_factory=dict)
    # Each slot's kind and report drawn once per request (in its language): many measures share
    # one (none reported yet, no deadline near).
    _draw: Callable[[str, MeasureReport | None], str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._draw = cache(self.draw)

    @classmethod
    def of(cls, measures: QuerySet[Measure], today: dt.date | None = None) -> MeasureProgress:
        today = today or timezone.localdate()
        # Typed as Any: the annotations come from with_latest_update, which the type checker
        # cannot see across the call.
        annotated: QuerySet[Any] = with_latest_update(measures.order_by())
        rows = annotated.values_list(
            "pk", "deadline", "latest_completed", "latest_status", "latest_status_name", "latest_status_name_en",
            "latest_percent",
        )  # fmt: skip
        return cls(
            {pk: MeasureReport(status, name, name_en, percent, deadline_state(deadline, bool(done), today))
             for pk, deadline, done, status, name, name_en, percent in rows}
        )  # fmt: skip

    @classmethod
    def of_deadlines(cls, deadlines: Mapping[int, dt.date | None], today: dt.date | None = None) -> MeasureProgress:
        """For measures (by id) whose deadlines the page keeps with its plan text: their latest
        updates alone."""
        today = today or timezone.localdate()
        latest = latest_updates(deadlines.keys())
        reports = {}
        for pk, deadline in deadlines.items():
            report = latest.get(pk)
            if report is None:  # never reported
                reports[pk] = MeasureReport(None, None, None, None, deadline_state(deadline, False, today))
                continue
            status, name, name_en, done, percent = report
            reports[pk] = MeasureReport(status, name, name_en, percent, deadline_state(deadline, done, today))
        return cls(reports)

    @property
    def overdue(self) -> int:
        return sum(report.deadline_state == DeadlineState.OVERDUE for report in self.reports.values())

    def html(self, kind: str, pk: int) -> str:
        return self._draw(kind, self.reports.get(pk))

    @staticmethod
    def draw(kind: str, row: MeasureReport | None) -> str:
        if kind == "measure-deadline":
            return deadline_chip(row.deadline_state if row else "")
        if kind == "measure-status":
            if row is None or not row.latest_status:
                return gettext("未报告")
            label = latest_status_label(row)
            return format_html("{} · {}%", label, row.latest_percent) if row.latest_percent is not None else label
        if kind == "measure-chip":
            if row is None or not row.latest_status:
                return format_html('<span class="chip status-no_data">{}</span>', gettext("未报告"))
            return format_html('<span class="chip status-measure">{}</span>', latest_status_label(row))
        raise ValueError(f"no measure slot {kind!r}")


@dataclass
class PageProgress:
    """The progress of a page's targets and measures: `target-*` slots read the first,
    `measure-*` slots the second."""

    targets: TargetProgress = field(default_factory=TargetProgress)
    measures: MeasureProgress = field(default_factory=MeasureProgress)

    def html(self, kind: str, pk: int) -> str:
        return (self.targets if kind.startswith("target-") else self.measures).html(kind, pk)
