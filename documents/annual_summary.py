"""The executive summary on the annual report's first page, for the PDF and the Word version.

Every figure is read through the dashboard's own selectors, applied to the report's rows (the
as-of engine run): headlines by `city_headlines`, status by sector by `sector_status_counts`
and the dashboard's `status_bars` figure, sector order by `sector_groups`, bureaus by
`bureaus_by_overdue`, late data by `completeness_by_bureau`. So the report and the city
dashboard count the same way; when the report's data is today's data they show the same
numbers (tests/reports/test_annual_summary.py compares them).

The sentences are built in the active language (Chinese first, English second) from the same
figures, so they can be put on paper as they are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from documents.annual_change import YearChange
from measures.models import Measure
from measures.selectors import bureaus_by_overdue
from reporting.charts import status_bars
from reporting.city_selectors import city_headlines, sector_groups, sector_status_counts
from reporting.progress_selectors import Headline, TargetRow
from reporting.status_selectors import BureauCompleteness, completeness_by_bureau
from reporting.statuses import ATTENTION_STATUSES, WORST_FIRST, status_styles
from reporting.templatetags.labels import local_name
from targets.models import Bureau, City, Sector

TOP = 5  # rows per "needs attention" list: what fits on the first page


@dataclass(frozen=True)
class SectorLag:
    sector: Sector
    attention: int  # targets missed, worsening or lagging
    total: int


@dataclass(frozen=True)
class ExecutiveSummary:
    """What page 1 says. Lists are short (at most TOP rows) and worst first."""

    year: int
    as_of: dt.date
    full_year: bool  # False for this year's report: judged up to today
    sentences: list[str]  # the headline sentences, in the active language
    headlines: list[Headline]  # quantified targets per headline year by status (the dashboard's)
    sector_names: list[str]
    sector_counts: dict[str, list[int]]  # status code -> count per sector, in sector_names order
    sector_figure: dict  # the dashboard's Plotly figure spec of the same counts
    furthest_behind: list[TargetRow]
    achieved_this_year: list[TargetRow]  # achieved now, not in the previous year's report (first TOP)
    lagging_sectors: list[SectorLag]
    overdue_count: int
    overdue_bureaus: list[tuple[Bureau, int]]
    late_data: list[BureauCompleteness] = field(default_factory=list)  # bureaus with missing or late values
    late_data_count: int = 0  # all such bureaus (late_data holds the first TOP)
    data_today: dt.date | None = None  # the day late data is judged on


def executive_summary(
    *,
    city: City,
    year: int,
    as_of: dt.date,
    rows: list[TargetRow],
    overdue: list[Measure],
    change: YearChange,
    today: dt.date,
) -> ExecutiveSummary:
    """The summary of the report's rows. Late data is judged on `today` (what is owed now, as
    the dashboard shows it); measures on `as_of`, as the report's overdue list."""
    headlines = city_headlines(rows)
    sectors, counts = sector_status_counts(rows)
    names = [local_name(sector) for sector in sectors]
    lagging = [
        SectorLag(group.sector, sum(r.status in ATTENTION_STATUSES for r in group.rows), len(group.rows))
        for group in sector_groups(rows, filtered=True)
    ]
    lagging = [lag for lag in lagging if lag.attention][:TOP]
    bureaus = bureaus_by_overdue(overdue, limit=TOP)
    late = [row for row in completeness_by_bureau(city=city, today=today) if row.missing or row.late]
    full_year = as_of.month == 12 and as_of.day == 31 and as_of.year == year
    summary = ExecutiveSummary(
        year=year,
        as_of=as_of,
        full_year=full_year,
        sentences=[],
        headlines=headlines,
        sector_names=names,
        sector_counts=counts,
        sector_figure=status_bars(names, counts),
        furthest_behind=furthest_behind(rows),
        achieved_this_year=[item.row for item in change.newly_achieved][:TOP],
        lagging_sectors=lagging,
        overdue_count=len(overdue),
        overdue_bureaus=bureaus,
        late_data=late[:TOP],
        late_data_count=len(late),
        data_today=today,
    )
    summary.sentences.extend(summary_sentences(summary, change))
    return summary


def furthest_behind(rows: list[TargetRow]) -> list[TargetRow]:
    """Targets needing attention, worst status first, then by how far progress trails the
    progress expected by now."""

    def gap(row: TargetRow) -> float:
        snapshot = row.snapshot
        if snapshot is None or snapshot.expected_pct is None or snapshot.progress_pct is None:
            return 0.0
        return snapshot.expected_pct - snapshot.progress_pct

    behind = [row for row in rows if row.status in ATTENTION_STATUSES]
    return sorted(behind, key=lambda row: (WORST_FIRST[row.status], -gap(row), row.target.target_year))[:TOP]


def status_parts(headline: Headline) -> str:
    """ "已实现11项、未完成26项、暂无数据7项", in status order, statuses with no target left out."""
    parts = [
        _("%(label)s%(n)s项") % {"label": str(style.label).lower(), "n": headline.counts[style.code]}
        for style in status_styles()
        if headline.counts[style.code]
    ]
    return pgettext("list separator", "、").join(parts)


def as_of_phrase(summary: ExecutiveSummary) -> str:
    if summary.full_year:
        return _("截至%(year)s年底") % {"year": summary.year}
    return _("截至%(date)s") % {"date": date_format(summary.as_of, "DATE_FORMAT")}


def summary_sentences(summary: ExecutiveSummary, change: YearChange) -> list[str]:
    sentences = []
    opening = as_of_phrase(summary)
    for headline in summary.headlines:
        if not headline.total:
            continue
        sentences.append(
            _("%(as_of)s，%(year)s年%(total)s项量化目标中%(parts)s。")
            % {"as_of": opening, "year": headline.year, "total": headline.total, "parts": status_parts(headline)}
        )
    sentences.append(
        _(
            "与%(previous)s年报告相比：新实现%(achieved)s项，新未完成%(missed)s项，好转%(improved)s项，恶化%(worsened)s项。"
        )
        % {
            "previous": change.previous_year,
            "achieved": len(change.newly_achieved),
            "missed": len(change.newly_missed),
            "improved": len(change.improved),
            "worsened": len(change.worsened),
        }
    )
    if summary.lagging_sectors:
        names = pgettext("list separator", "、").join(local_name(lag.sector) for lag in summary.lagging_sectors[:3])
        sentences.append(_("需关注目标最多的领域：%(names)s。") % {"names": names})
    if summary.overdue_count:
        bureau, n = summary.overdue_bureaus[0]
        sentences.append(
            ngettext(
                "%(count)s项任务逾期未完成，涉及最多的单位是%(bureau)s（%(n)s项）。",
                "%(count)s项任务逾期未完成，涉及最多的单位是%(bureau)s（%(n)s项）。",
                summary.overdue_count,
            )
            % {"count": summary.overdue_count, "bureau": local_name(bureau), "n": n}
        )
    else:
        sentences.append(_("没有逾期任务。"))
    if summary.late_data:
        worst = summary.late_data[0]
        sentences.append(
            ngettext(
                "%(count)s个单位有缺报或迟报的数据，缺报最多的是%(bureau)s（缺报%(missing)s期，迟报%(late)s期）。",
                "%(count)s个单位有缺报或迟报的数据，缺报最多的是%(bureau)s（缺报%(missing)s期，迟报%(late)s期）。",
                summary.late_data_count,
            )
            % {"count": summary.late_data_count, "bureau": local_name(worst.bureau), "missing": worst.missing,
               "late": worst.late}
        )  # fmt: skip
    return sentences
