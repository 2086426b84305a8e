"""The annual progress report of a city (年度进展报告): what was known at the end of a year.

Statuses come from the engine run on the data up to the year's end (reports.as_of), not from
today's snapshots, so the report for 2024 says what the 2024 data said.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pandas as pd
from django.conf import settings
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from measures.models import Measure, MeasureResponsibility
from measures.selectors import bureaus_by_overdue, deadline_status, with_latest_update
from reporting.charts import target_figure
from reporting.progress_selectors import HEADLINE_YEARS, TargetRow, sector_status_grid
from reporting.statuses import status_styles
from reporting.templatetags.labels import local_name
from reports.as_of import cutoff_date, observations_until, progress_as_of, year_end
from reports.svg_chart import scatter_svg
from targets.models import City, Target, TargetResponsibility
from targets.querysets import lead_first


class ReportYearUnavailable(Exception):
    """The year has no report: outside the plans' span or not yet begun. The message says which."""


@dataclass(frozen=True)
class PlanSpan:
    first: int  # the earliest start point of a target: its baseline year or the year before its period
    last: int  # the latest target year


def plan_span(city: City) -> PlanSpan | None:
    bounds = Target.objects.filter(plan__city=city).aggregate(
        baseline=Min("baseline_year"), period=Min("period_start"), earliest=Min("target_year"), last=Max("target_year")
    )
    if bounds["last"] is None:
        return None
    starts = [bounds["baseline"], bounds["period"] - 1 if bounds["period"] else None, bounds["earliest"]]
    return PlanSpan(first=min(s for s in starts if s is not None), last=bounds["last"])


def report_years(city: City, today: dt.date | None = None) -> list[int]:
    """The years a report exists for: inside the plans' span, and begun."""
    span = plan_span(city)
    today = today or timezone.localdate()
    return list(range(span.first, min(span.last, today.year) + 1)) if span else []


def check_report_year(city: City, year: int, today: dt.date | None = None) -> None:
    """Raise ReportYearUnavailable, naming the reason, unless the city has a report for `year`."""
    span = plan_span(city)
    today = today or timezone.localdate()
    if span is None:
        raise ReportYearUnavailable(_("%(city)s没有规划目标，无法生成年度报告。") % {"city": local_name(city)})
    if not span.first <= year <= span.last:
        raise ReportYearUnavailable(
            _("%(year)s年不在%(city)s规划的覆盖期内（%(first)s–%(last)s年）。")
            % {"year": year, "city": local_name(city), "first": span.first, "last": span.last}
        )
    if year > today.year:
        raise ReportYearUnavailable(_("%(year)s年尚未开始，还没有该年的进展报告。") % {"year": year})


@dataclass
class ReportTarget:
    row: TargetRow
    chart: str  # inline SVG, every text in it escaped; "" when there is nothing to draw
    figure: dict | None = None  # the Plotly spec the chart is drawn from (the dashboard's own)


@dataclass
class AnnualReport:
    city: City
    year: int
    as_of: dt.date  # the day measures are judged on: the year's last day, or today for this year
    cutoff: dt.date | None
    sections: list[tuple[int, list[ReportTarget]]]  # by target year
    summary: list[tuple[str, str, str, list[int]]]  # status, label, colour, count per headline year
    headline_years: tuple[int, ...]
    grid: list[tuple[str, list[int]]]
    statuses: list[tuple[str, str, str]]
    overdue: list[Measure]
    bureau_overdue: list[tuple[str, int]]

    @property
    def partial_year(self) -> bool:
        return self.as_of < year_end(self.year)

    @property
    def target_count(self) -> int:
        return sum(len(entries) for _year, entries in self.sections)


def annual_report_build(*, city: City, year: int, today: dt.date | None = None) -> AnnualReport:
    today = today or timezone.localdate()
    check_report_year(city, year, today)
    targets = list(
        Target.objects.filter(plan__city=city)
        .select_related("plan", "indicator__sector")
        .prefetch_related(lead_first(TargetResponsibility))
        .order_by("target_year", "indicator__sector__position", "plan__issued", "position")
    )
    indicator_ids = {t.indicator_id for t in targets}
    observations = observations_until(indicator_ids, year)
    snapshots = progress_as_of(targets, year, observations)
    series = {
        key: group.sort_values("t") for key, group in observations.dropna(subset=["value"]).groupby("indicator_id")
    }
    sections: dict[int, list[ReportTarget]] = defaultdict(list)
    rows = []
    for target in targets:
        row = TargetRow(target, snapshots.get(target.pk))
        rows.append(row)
        spec = target_chart_figure(row, series.get(target.indicator_id))
        chart = scatter_svg(spec, title=target_chart_title(target)) if spec else ""
        sections[target.target_year].append(ReportTarget(row=row, chart=chart, figure=spec))
    as_of = min(year_end(year), today)
    overdue = overdue_measures_as_of(city, as_of)
    statuses = [(s.code, s.label, s.colour) for s in status_styles()]
    return AnnualReport(
        city=city,
        year=year,
        as_of=as_of,
        cutoff=cutoff_date(indicator_ids, year),
        sections=sorted(sections.items()),
        summary=[
            (
                code,
                label,
                colour,
                [sum(r.status == code and r.target.target_year == y for r in rows) for y in HEADLINE_YEARS],
            )
            for code, label, colour in statuses
        ],
        headline_years=HEADLINE_YEARS,
        grid=sector_status_grid(rows),
        statuses=statuses,
        overdue=overdue,
        bureau_overdue=[(local_name(bureau), n) for bureau, n in bureaus_by_overdue(overdue)],
    )


def target_chart_figure(row: TargetRow, observations: pd.DataFrame | None) -> dict | None:
    """The target page's figure (reporting.charts.target_figure) for the data up to the report's
    year, with this target's level only; None when there is nothing to draw: a qualitative
    target, or no data yet (a lone target marker tells nothing; the page says there is no data)."""
    target = row.target
    if target.kind == Target.Kind.QUALITATIVE or observations is None or observations.empty:
        return None
    points = [
        (float(t), float(v), str(period))
        for t, v, period in zip(observations["t"], observations["value"], observations["period"], strict=True)
    ]
    return target_figure(target, row.snapshot, points, [target])


def target_chart_title(target: Target) -> str:
    return _("%(indicator)s：%(year)s年目标") % {"indicator": local_name(target.indicator), "year": target.target_year}


def overdue_measures_as_of(city: City, as_of: dt.date) -> list[Measure]:
    """Measures past their deadline on `as_of` whose latest update by then was not completed."""
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=ZoneInfo(settings.TIME_ZONE))
    measures = (
        with_latest_update(Measure.objects.filter(plan__city=city, deadline__lt=as_of), before=end)
        .select_related("plan")
        .prefetch_related(lead_first(MeasureResponsibility))
        .order_by("deadline", "plan__issued", "position")
    )
    return [m for m in measures if deadline_status(m.deadline, bool(m.latest_completed), as_of) == "overdue"]
