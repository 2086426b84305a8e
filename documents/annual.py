"""The annual progress report of a city (年度进展报告): what was known at the end of a year.

Statuses come from the engine run on the data up to the year's end (documents.as_of), not from
today's snapshots, so the report for 2024 says what the 2024 data said.

annual_report_build() returns one AnnualReport, the context every rendering reads (the HTML
page, the PDF, the Word version); its fields are described on the class.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pandas as pd
from django.conf import settings
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.annual_change import YearChange, year_change
from documents.annual_summary import ExecutiveSummary, executive_summary
from documents.as_of import cut_at_year, cutoff_date, observations_until, progress_as_of, year_end
from documents.figure_svg import figure_svg
from documents.svg_chart import scatter_svg
from measures.deadlines import deadline_state
from measures.models import Measure, MeasureResponsibility
from measures.selectors import bureaus_by_overdue, with_latest_update
from reporting.charts import target_figure
from reporting.city_selectors import sector_groups
from reporting.models import Observation
from reporting.progress_selectors import HEADLINE_YEARS, TargetRow, sector_status_grid
from reporting.statuses import status_styles
from reporting.templatetags.labels import local_name
from targets.models import City, Sector, Target, TargetResponsibility
from targets.querysets import lead_first

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# A target's chart in the report, beside its figures: wide enough for the legend's three entries.
CHART_SIZE = {"width": 480, "height": 170}


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
class SectorSection:
    sector: Sector
    entries: list[ReportTarget]  # worst first, as the dashboard lists a sector's targets


@dataclass
class AnnualReport:
    """Everything a rendering of the report needs; no rendering queries the database again
    (except through the lazy relations already prefetched: responsibilities, plan, sector).

    - city, year; as_of: the day measures are judged on (the year's last day, or today for
      this year); cutoff: the latest period end of the data used; today: the day it was made.
    - executive: page 1 (documents.annual_summary.ExecutiveSummary): sentences, headline counts,
      status by sector (counts and the dashboard's Plotly figure spec), targets furthest behind,
      achieved this year, lagging sectors, bureaus with overdue measures or late data.
    - change: documents.annual_change.YearChange against the report for year - 1.
    - sectors: the targets grouped by sector (SectorSection), sectors worst first; each
      ReportTarget has its TargetRow (target + as-of snapshot) and its chart as SVG.
    - sections: the same ReportTargets by target year (target year, entries).
    - summary / headline_years: (status, label, colour, count per headline year), all targets;
      grid / statuses: count per status for each sector; overdue: measures overdue on as_of,
      bureau_overdue: (bureau name, count), most first; sector_chart: the executive summary's
      figure drawn as SVG; demo_data: whether generated demo values are part of it.
    """

    city: City
    year: int
    as_of: dt.date
    cutoff: dt.date | None
    sections: list[tuple[int, list[ReportTarget]]]
    summary: list[tuple[str, StrOrPromise, str, list[int]]]
    headline_years: tuple[int, ...]
    grid: list[tuple[Sector, list[int]]]
    statuses: list[tuple[str, StrOrPromise, str]]
    overdue: list[Measure]
    bureau_overdue: list[tuple[str, int]]
    executive: ExecutiveSummary
    change: YearChange
    sectors: list[SectorSection]
    sector_chart: str
    today: dt.date
    demo_data: bool  # some of the report's values are generated demo data: every rendering says so

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
    rows, entries = [], {}
    for target in targets:
        row = TargetRow(target, snapshots.get(target.pk))
        rows.append(row)
        spec = target_chart_figure(row, series.get(target.indicator_id))
        chart = scatter_svg(spec, title=target_chart_title(target), **CHART_SIZE) if spec else ""
        entries[target.pk] = ReportTarget(row=row, chart=chart, figure=spec)
        sections[target.target_year].append(entries[target.pk])
    as_of = min(year_end(year), today)
    overdue = overdue_measures_as_of(city, as_of)
    statuses = [(s.code, s.label, s.colour) for s in status_styles()]
    # The report for the year before, from the same read of the observations.
    previous = progress_as_of(targets, year - 1, cut_at_year(observations, year - 1))
    change = year_change(rows=rows, previous=previous, year=year)
    executive = executive_summary(
        city=city, year=year, as_of=as_of, rows=rows, overdue=overdue, change=change, today=today
    )
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
        executive=executive,
        change=change,
        sectors=[
            SectorSection(group.sector, [entries[row.target.pk] for row in group.rows])
            for group in sector_groups(rows, filtered=True)
        ],
        sector_chart=figure_svg(executive.sector_figure, title=_("各领域目标状态")),
        today=today,
        demo_data=Observation.objects.filter(
            is_demo=True, indicator_id__in=indicator_ids, period_end__lte=year_end(year)
        ).exists(),
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
    return [m for m in measures if deadline_state(m.deadline, bool(m.latest_completed), as_of) == "overdue"]
