"""The annual report as a Word document (.docx) that an office edits before sending it on.

The same report as the page and the PDF (documents.annual builds it; this only lays it out):
the title and the facts of the cut-off, then one Heading 1 per section (status summary,
sectors, each target year, overdue measures), a Heading 2 per sector inside a target year with
a table of one row per target (its figures and its status), and the charts as PNG images,
drawn from the same Plotly specs as the dashboard's charts (documents.figure_svg, then
cairosvg). Every section is its own function, so a new section of the report is one more.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from docx import Document as new_document
from docx.document import Document

from documents.annual import AnnualReport, ReportTarget, target_chart_title
from documents.docx_layout import add_chart, data_table, document_setup, page_header, save, status_cell
from documents.docx_summary import add_change, add_executive_summary
from measures.selectors import latest_status_label
from reporting.charts import status_bars
from reporting.statuses import STATUS_COLOURS
from reporting.templatetags.labels import local_name, number, unit
from reporting.templatetags.text_tags import progress
from targets.models import Target

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def annual_report_docx(report: AnnualReport) -> bytes:
    document = new_document()
    document_setup(document)
    title = report_title(report)
    page_header(document, f"{title} · {_('数据截止日期')} {_cutoff(report)}")
    add_title(document, report, title)
    add_executive_summary(document, report)
    add_change(document, report)
    add_status_summary(document, report)
    add_sectors(document, report)
    for year, entries in report.sections:
        add_target_year(document, year, entries)
    add_overdue(document, report)
    return save(document)


def report_title(report: AnnualReport) -> str:
    return _("%(city)s%(year)s年度进展报告") % {"city": local_name(report.city), "year": report.year}


def _cutoff(report: AnnualReport) -> str:
    return formats.date_format(report.cutoff, "DATE_FORMAT") if report.cutoff else _("截至该年尚无观测数据")


def add_title(document: Document, report: AnnualReport, title: str) -> None:
    document.add_heading(title, level=0)
    basis = _("按期末日期不晚于%(year)s年12月31日的观测值重新计算，之后的数据不计入。") % {"year": report.year}
    facts = [
        (_("数据截止日期"), _cutoff(report)),
        (_("计算口径"), basis),
        (_("任务逾期判断日"), formats.date_format(report.as_of, "DATE_FORMAT")),
        (_("目标数"), str(report.target_count)),
        (_("生成日期"), formats.date_format(timezone.localdate(), "DATE_FORMAT")),
    ]  # fmt: skip
    for label, value in facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}：").bold = True
        paragraph.add_run(value)
    if report.partial_year:
        document.add_paragraph(_("本年度尚未结束：报告反映截至今日已填报的数据。"))


def add_status_summary(document: Document, report: AnnualReport) -> None:
    document.add_heading(_("目标状态汇总"), level=1)
    header = [_("状态"), *(_("%(y)s年目标") % {"y": year} for year in report.headline_years)]
    rows = [[str(label), *(str(n) for n in counts)] for _code, label, _colour, counts in report.summary]
    table = data_table(document, header, rows, [4.0] + [3.0] * len(report.headline_years))
    for row, (code, label, _colour, _counts) in zip(table.rows[1:], report.summary, strict=True):
        status_cell(row.cells[0], str(label), STATUS_COLOURS[code])


def add_sectors(document: Document, report: AnnualReport) -> None:
    """Status by sector: the dashboard's status bars as an image, then the counts as a table of
    the statuses that occur."""
    document.add_heading(_("分领域状态"), level=1)
    codes = [code for code, _label, _colour in report.statuses]
    counts = {code: [sector_counts[i] for _sector, sector_counts in report.grid] for i, code in enumerate(codes)}
    spec = status_bars([local_name(sector) for sector, _counts in report.grid], counts, x_title=_("目标数"))
    add_chart(document, spec, _("分领域状态"))
    shown = [i for i, code in enumerate(codes) if any(counts[code])]
    header = [_("领域"), *(str(report.statuses[i][1]) for i in shown)]
    rows = [[local_name(sector), *(str(n[i] or "") for i in shown)] for sector, n in report.grid]
    data_table(document, header, rows, [4.6] + [12.0 / max(len(shown), 1)] * len(shown))


def add_target_year(document: Document, year: int, entries: list[ReportTarget]) -> None:
    """One Heading 1 for the target year, a Heading 2 per sector, a table row per target, then
    the sector's charts."""
    document.add_heading(_("%(y)s年目标（%(n)s项）") % {"y": year, "n": len(entries)}, level=1)
    for sector, group in groupby(entries, key=lambda entry: entry.row.target.indicator.sector):
        in_sector = list(group)
        document.add_heading(local_name(sector), level=2)
        header = [_("指标"), _("目标"), _("最新值"), _("已完成进度"), _("应完成进度"), _("状态")]
        table = data_table(
            document, header, [target_cells(entry) for entry in in_sector], [4.4, 3.2, 3.0, 1.8, 1.8, 2.4]
        )
        for row, entry in zip(table.rows[1:], in_sector, strict=True):
            status_cell(row.cells[-1], entry.row.status_label, STATUS_COLOURS[entry.row.status])
        for entry in in_sector:
            if entry.figure:
                add_chart(document, entry.figure, target_chart_title(entry.row.target))


def target_cells(entry: ReportTarget) -> list[str]:
    """A target's row: what the page's target card shows, in the same words and number format."""
    row = entry.row
    target, snapshot = row.target, row.snapshot
    # the plan and clause on a second line, as the page's card says: both Zibo plans promise 10 %
    source = f"{target.plan.document_number} {target.section}".strip()
    name = local_name(target.indicator) + (f"（{_('力争')}）" if target.strive else "") + f"\n{source}"
    if target.kind == Target.Kind.QUALITATIVE:
        return [name, _("定性目标"), "—", "—", "—", row.status_label]
    measure = unit(target.indicator.unit)
    goal = f"{target.get_comparator_display()} {number(row.target_level)} {measure}".strip()
    latest = f"{number(row.latest_value)} {measure}（{row.latest_period}）" if row.latest_value is not None else "—"
    expected = f"{snapshot.expected_pct:.1f}%" if snapshot and snapshot.expected_pct is not None else "—"
    return [name, goal, latest, progress(row.progress_pct), expected, row.status_label]


def add_overdue(document: Document, report: AnnualReport) -> None:
    day = formats.date_format(report.as_of, "DATE_FORMAT")
    heading = _("逾期任务（截至%(day)s，%(n)s项）") % {"n": len(report.overdue), "day": day}
    document.add_heading(heading, level=1)
    if not report.overdue:
        document.add_paragraph(_("没有逾期任务。"))
        return
    header = [_("条款"), _("任务"), _("完成时限"), _("最新进展"), _("责任单位")]
    data_table(document, header, [measure_cells(m) for m in report.overdue], [2.6, 5.6, 2.2, 2.6, 3.6])
    document.add_heading(_("逾期事项最多的单位"), level=2)
    for name, count in report.bureau_overdue:
        document.add_paragraph(f"{name}：{count}", style="List Number")


def measure_cells(measure: Any) -> list[str]:
    if measure.latest_status_name:
        latest = latest_status_label(measure)
        if measure.latest_percent is not None:
            latest += f" · {measure.latest_percent}%"
    else:
        latest = _("未报告")
    bureaus = "、".join(
        local_name(r.bureau) + (_("（牵头）") if r.role == "lead" else "") for r in measure.responsibilities.all()
    )
    return [
        f"{measure.plan.document_number} {measure.section}",
        measure.title,
        formats.date_format(measure.deadline, "SHORT_DATE_FORMAT"),
        latest,
        bureaus or _("未明确责任单位"),
    ]
