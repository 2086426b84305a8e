"""The exported lists as plain tables (a header and rows of values), shared by Excel and CSV.

Headers are translated, so an English user gets English headers, except the observations
table: its header is the import format (reporting.imports.COLUMNS), which the importer reads
by name in any language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from config.numbers import plain_number
from measures.models import Measure, MeasureUpdate
from measures.selectors import latest_status_label
from reporting.imports import COLUMNS as OBSERVATION_COLUMNS
from reporting.models import Observation
from reporting.progress_selectors import TargetRow
from reporting.templatetags.labels import language_name, local_name
from targets.models import Target
from targets.units import unit_label

if TYPE_CHECKING:
    from measures.selectors import MeasureWithLatest

Cell = str | int | float | dt.date | None
BureauPart = tuple[str, str, bool]  # a bureau's name, its English name, whether it leads


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)  # per row, when the table has a status column
    status_column: int | None = None
    wide_columns: frozenset[int] = frozenset()  # long text, wrapped in Excel


def _rounded(value: float | None, digits: int = 6) -> float | None:
    return None if value is None else round(value, digits)


def _bureaus(parts: Iterable[BureauPart], lead: str, separator: str) -> str:
    """The bureaus, the lead marked with `lead` ("（牵头）") and joined by `separator` ("、"), both
    in the table's language, translated once per table."""
    return separator.join(
        f"{language_name(name, name_en)}{lead}" if leads else language_name(name, name_en)
        for name, name_en, leads in parts
    )


def _labels(choices: Iterable[tuple[str, object]]) -> dict[str, str]:
    """A field's choices and their labels, translated once per table: `get_FOO_display()` builds
    a dict of every choice for each call, a tenth of a 300-city export."""
    return {value: str(label) for value, label in choices}


def target_table(rows: list[TargetRow], bureaus: Mapping[int, list[BureauPart]], *, with_plan: bool) -> Table:
    """One row per target: what was promised, by whom (`bureaus`: ExportScope.target_bureaus),
    and where it stands now."""
    headers = [
        _("代码"), _("条款"), _("领域"), _("指标"), _("类型"), _("比较方式"), _("目标值"), _("单位"),
        _("基准年"), _("起始年"), _("基准值"), _("目标年"), _("目标水平"), _("最新值"), _("最新期间"),
        _("已完成进度%"), _("应完成进度%"), _("状态"), _("责任单位"), _("规划原文"),
    ]  # fmt: skip
    if with_plan:
        headers = [_("城市"), _("规划"), *headers]
    table = Table(headers=headers, status_column=headers.index(_("状态")), wide_columns=frozenset({len(headers) - 1}))
    kinds, comparators = _labels(Target.Kind.choices), _labels(Target.Comparator.choices)
    statuses: dict[str, str] = {}
    lead, strive, separator = _("（牵头）"), f"（{_('力争')}）", pgettext("list separator", "、")
    for row in rows:
        target = row.target
        relative = target.kind in (Target.Kind.CHANGE, Target.Kind.ANNUAL_GROWTH)
        qualitative = target.kind == Target.Kind.QUALITATIVE
        unit = "%" if relative else ("" if qualitative else unit_label(target.indicator.unit))
        snapshot = row.snapshot
        cells: list[Cell] = [
            target.code,
            target.section,
            local_name(target.indicator.sector),
            local_name(target.indicator) + (strive if target.strive else ""),
            kinds.get(target.kind, target.kind),
            comparators.get(target.comparator, target.comparator),
            plain_number(target.value),
            unit,
            target.baseline_year,
            target.period_start,
            _rounded(snapshot.baseline_value if snapshot else None),
            target.target_year,
            _rounded(row.target_level),
            _rounded(row.latest_value),
            row.latest_period,
            _rounded(row.progress_pct, 1),
            _rounded(snapshot.expected_pct if snapshot else None, 1),
            statuses.get(row.status) or statuses.setdefault(row.status, row.status_label),
            _bureaus(bureaus.get(target.pk, ()), lead, separator),
            target.source_text,
        ]
        if with_plan:
            cells = [local_name(target.plan.city), target.plan.document_number, *cells]
        table.rows.append(cells)
        table.statuses.append(row.status)
    return table


def _latest_notes(measures: Iterable[Measure]) -> dict[int, str]:
    notes: dict[int, str] = {}
    updates = MeasureUpdate.objects.filter(measure__in=measures).order_by("measure_id", "-created_at", "-id")
    for measure_id, note in updates.values_list("measure_id", "note"):
        notes.setdefault(measure_id, note)
    return notes


def measure_table(measures: list[MeasureWithLatest], bureaus: Mapping[int, list[BureauPart]]) -> Table:
    """One row per measure, with its latest reported status. `measures` come from
    measures.list_selectors.measure_list (latest update and deadline state annotated), their
    `bureaus` from ExportScope.measure_bureaus."""
    headers = [
        _("城市"), _("规划"), _("条款"), _("任务"), _("领域"), _("牵头单位"), _("配合单位"), _("完成时限"),
        _("时限状态"), _("最新状态"), _("完成百分比"), _("进展说明"),
    ]  # fmt: skip
    table = Table(headers=headers, wide_columns=frozenset({3, len(headers) - 1}))
    deadline_labels = {"overdue": _("逾期"), "due_soon": _("即将到期")}
    separator = pgettext("list separator", "、")
    notes = _latest_notes(measures)
    for measure in measures:
        parts = bureaus.get(measure.pk, ())
        table.rows.append(
            [
                local_name(measure.plan.city),
                measure.plan.document_number,
                measure.section,
                measure.title,
                local_name(measure.sector),
                separator.join(language_name(name, name_en) for name, name_en, leads in parts if leads),
                separator.join(language_name(name, name_en) for name, name_en, leads in parts if not leads),
                measure.deadline,
                deadline_labels.get(measure.deadline_state, ""),
                latest_status_label(measure) or _("未报告"),
                measure.latest_percent,
                notes.get(measure.pk, ""),
            ]
        )
    return table


def observation_table(observations: QuerySet[Observation]) -> Table:
    """The import format, so the file can be uploaded again as it is: the city by its Chinese
    name, which the importer matches, whatever the reader's language. Read as plain values:
    an export may hold tens of thousands of rows."""
    table = Table(headers=list(OBSERVATION_COLUMNS), wide_columns=frozenset({4}))
    values = observations.values_list("indicator__city__name", "indicator__code", "period", "value", "note")
    for city, code, period, value, note in values.iterator(chunk_size=5000):
        table.rows.append([city, code, period, plain_number(value), note])
    return table
