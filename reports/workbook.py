"""Excel workbooks (openpyxl): a sheet of targets per plan, a sheet of measures, a sheet of
observations in the import format."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections import defaultdict

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reporting.statuses import STATUS_COLOURS
from reports.scope import ExportScope
from reports.tables import Table, measure_table, observation_table, target_table
from targets.models import Plan

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill(fill_type="solid", start_color="EAEEF2", end_color="EAEEF2")
MAX_WIDTH, WIDE_WIDTH, MIN_WIDTH = 40, 60, 6
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def status_fill(status: str) -> PatternFill:
    colour = STATUS_COLOURS.get(status, STATUS_COLOURS["no_data"]).lstrip("#").upper()
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def sheet_title(name: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = _SHEET_FORBIDDEN.sub("_", name).strip("'") or "Sheet"
    title, number = base[:31], 2
    while title.lower() in taken:
        suffix = f" ({number})"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(title.lower())
    return title


def display_width(value: object) -> int:
    """Roughly how many character widths Excel needs: CJK characters take two."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def write_table(sheet: Worksheet, table: Table) -> None:
    sheet.append(table.headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for number, values in enumerate(table.rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=column, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text from plans and people is never a formula
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            if column - 1 in table.wide_columns:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if table.status_column is not None:
            cell = sheet.cell(row=number, column=table.status_column + 1)
            cell.fill = status_fill(table.statuses[number - 2])
            cell.font = Font(color="FFFFFF", bold=True)
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(table.headers))
    sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    for column in range(len(table.headers)):
        if column in table.wide_columns:
            width = WIDE_WIDTH
        else:
            longest = max(
                (display_width(row[column]) for row in table.rows if row[column] is not None),
                default=0,
            )
            width = max(MIN_WIDTH, min(MAX_WIDTH, max(longest, display_width(table.headers[column])) + 2))
        sheet.column_dimensions[get_column_letter(column + 1)].width = width


def scope_workbook(scope: ExportScope) -> bytes:
    """Targets (one sheet per plan), measures, observations: what the page lists."""
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    if scope.target_rows is not None:
        by_plan: dict[Plan, list] = defaultdict(list)
        for row in scope.target_rows:
            by_plan[row.target.plan].append(row)
        for plan, rows in sorted(by_plan.items(), key=lambda item: (item[0].city.code, item[0].issued)):
            title = plan.title_en if plan.title_en and get_language().startswith("en") else plan.title
            write_table(book.create_sheet(sheet_title(title, taken)), target_table(rows, with_plan=False))
    write_table(book.create_sheet(sheet_title(_("重点任务"), taken)), measure_table(scope.measures))
    if scope.target_rows is not None:
        write_table(book.create_sheet(sheet_title(_("观测值"), taken)), observation_table(scope.observations()))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
