"""The Word file's first pages: the executive summary and the change since the year before.

They read the same objects as the page and the PDF (documents.annual_summary.ExecutiveSummary and
documents.annual_change.YearChange, both on the AnnualReport) and use the same words, so the three
cannot disagree; the sentences themselves are built once, in documents.annual_summary.
"""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from docx.document import Document

from documents.annual import AnnualReport
from documents.annual_change import StatusChange
from documents.docx_layout import add_chart, data_table, status_cell
from reporting.progress_selectors import TargetRow
from reporting.statuses import STATUS_COLOURS
from reporting.templatetags.labels import local_name, number, unit
from reporting.templatetags.text_tags import progress

CHANGE_CAPTIONS = {
    "newly_achieved": lambda: _("新实现"),
    "newly_missed": lambda: _("新未完成"),
    "improved": lambda: _("好转"),
    "worsened": lambda: _("恶化"),
}


def add_executive_summary(document: Document, report: AnnualReport) -> None:
    """Heading, the headline sentences, the status-by-sector chart, then the short lists a leader
    reads for what needs attention."""
    summary = report.executive
    document.add_heading(_("摘要"), level=1)
    for sentence in summary.sentences:
        document.add_paragraph(sentence)
    add_chart(document, summary.sector_figure, _("各领域目标状态"))
    _bullets(
        document,
        _("进展最滞后的目标"),
        [_behind(row) for row in summary.furthest_behind],
        _("没有滞后的目标。"),
    )
    _bullets(
        document,
        _("%(year)s年新实现的目标") % {"year": report.year},
        [_target_name(row) for row in summary.achieved_this_year],
        _("本年没有新实现的目标。"),
    )
    _bullets(
        document,
        _("需关注的领域"),
        [
            f"{local_name(lag.sector)} " + _("%(n)s/%(total)s项需关注") % {"n": lag.attention, "total": lag.total}
            for lag in summary.lagging_sectors
        ],
        _("没有需关注的领域。"),
    )
    day = formats.date_format(report.as_of, "DATE_FORMAT")
    _bullets(
        document,
        _("逾期任务最多的单位（截至%(day)s）") % {"day": day},
        [
            f"{local_name(bureau)} " + ngettext("%(n)s项", "%(n)s项", n) % {"n": n}
            for bureau, n in summary.overdue_bureaus
        ],
        _("没有逾期任务。"),
    )
    data_day = formats.date_format(summary.data_today, "DATE_FORMAT") if summary.data_today else ""
    _bullets(
        document,
        _("缺报或迟报数据的单位（截至%(day)s）") % {"day": data_day},
        [
            f"{local_name(row.bureau)} "
            + _("缺报%(missing)s期，迟报%(late)s期") % {"missing": row.missing, "late": row.late}
            for row in summary.late_data
        ],
        _("所有单位均已按时报送。"),
    )


def add_change(document: Document, report: AnnualReport) -> None:
    """One table per kind of change (newly achieved, newly missed, improved, worsened): the
    target and its status in each year."""
    change = report.change
    document.add_heading(_("与%(year)s年相比") % {"year": change.previous_year}, level=1)
    if not change.any:
        document.add_paragraph(_("与上年相比，没有目标的状态发生变化。"))
        return
    header = [_("目标"), _("%(year)s年") % {"year": change.previous_year}, _("%(year)s年") % {"year": change.year}]
    for kind, items in change.groups():
        if not items:
            continue
        document.add_paragraph(f"{CHANGE_CAPTIONS[kind]()}（{len(items)}）", style="Caption")
        table = data_table(document, header, [_change_cells(item) for item in items], [9.0, 3.5, 3.5])
        for row, item in zip(table.rows[1:], items, strict=True):
            status_cell(row.cells[1], item.before_label, STATUS_COLOURS[item.before])
            status_cell(row.cells[2], item.after_label, STATUS_COLOURS[item.after])


def _bullets(document: Document, heading: str, items: list[str], empty: str) -> None:
    document.add_heading(heading, level=2)
    if not items:
        document.add_paragraph(empty)
    for item in items:
        document.add_paragraph(item, style="List Bullet")


def _late(missing: int, late: int) -> str:
    return _("缺报%(missing)s期，迟报%(late)s期") % {"missing": missing, "late": late}


def _target_name(row: TargetRow) -> str:
    target = row.target
    name = f"{local_name(target.indicator)} · {target.target_year} {target.plan.document_number}"
    if row.latest_value is not None:
        name += f" {number(row.latest_value)} {unit(target.indicator.unit)}（{row.latest_period}）"
    return name


def _behind(row: TargetRow) -> str:
    target = row.target
    text = f"{local_name(target.indicator)} · {target.target_year} {target.plan.document_number} {row.status_label}"
    if row.progress_pct is not None and row.snapshot is not None and row.snapshot.expected_pct is not None:
        expected = formats.number_format(row.snapshot.expected_pct, 0)
        text += " " + _("进度%(done)s，应达%(expected)s%%") % {"done": progress(row.progress_pct), "expected": expected}
    return text


def _change_cells(item: StatusChange) -> list[str]:
    target = item.row.target
    name = f"{local_name(target.indicator)} · {target.target_year} {target.plan.document_number}"
    return [name, item.before_label, item.after_label]
