"""Excel workbooks (openpyxl): a sheet of targets per plan, a sheet of measures, a sheet of
observations in the import format."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import unicodedata
from collections import defaultdict

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet as Worksheet

from documents.scope import ExportScope
from documents.tables import Table, measure_table, observation_table, target_table
from reporting.statuses import STATUS_COLOURS
from targets.models import Plan

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill(fill_type="solid", start_color="EAEEF2", end_color="EAEEF2")
HEADER_FONT, STATUS_FONT = Font(bold=True), Font(color="FFFFFF", bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
# Up to this many plans, a sheet per plan; a page spanning more (a sector across hundreds of
# cities) gets one targets sheet with city and plan columns, not hundreds of sheets.
SHEETS_OF_PLANS = 12
MAX_WIDTH, WIDE_WIDTH, MIN_WIDTH = 40, 60, 6
# Column widths are judged on the first rows only: measuring every cell of a 300-city sheet cost
# a tenth of the export, for a width that is capped at MAX_WIDTH anyway.
WIDTH_SAMPLE_ROWS = 500
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@functools.cache
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
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _column_widths(table: Table) -> list[float]:
    widths: list[float] = []
    for column in range(len(table.headers)):
        if column in table.wide_columns:
            widths.append(WIDE_WIDTH)
            continue
        sample = table.rows[:WIDTH_SAMPLE_ROWS]
        longest = max((display_width(row[column]) for row in sample if row[column] is not None), default=0)
        widths.append(max(MIN_WIDTH, min(MAX_WIDTH, max(longest, display_width(table.headers[column])) + 2)))
    return widths


class _CellStyles:
    """Cells of a sheet with a few styles, each worked out once. openpyxl finds a font, fill or
    alignment in the workbook's lists by its hash on every assignment; for a 300-city sheet that
    was a tenth of the export. The first cell of a style is styled through the public setters,
    the others start from its style indices (`Cell`'s `style_array`)."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self._arrays: dict[object, object] = {}

    def cell(self, value: object, key: object, **style: object) -> Cell:
        array = self._arrays.get(key)
        if array is not None:
            return Cell(self.sheet, row=1, column=1, value=value, style_array=array)  # as WriteOnlyCell
        cell = WriteOnlyCell(self.sheet, value=value)
        for name, setting in style.items():
            setattr(cell, name, setting)
        self._arrays[key] = cell._style
        return cell


def write_table(sheet: Worksheet, table: Table) -> None:
    """Write the table to a write-only sheet (streamed, so large exports stay fast): bold
    header row frozen with a filter, status cells coloured, long text wrapped, dates as dates."""
    for column, width in enumerate(_column_widths(table), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.headers))}{len(table.rows) + 1}"
    styles = _CellStyles(sheet)
    sheet.append([styles.cell(title, "header", font=HEADER_FONT, fill=HEADER_FILL) for title in table.headers])
    for number, values in enumerate(table.rows):
        row: list[object] = list(values)
        for column, value in enumerate(values):
            wide = column in table.wide_columns
            if isinstance(value, dt.date):
                style = {"number_format": "yyyy-mm-dd", **({"alignment": WRAP} if wide else {})}
                row[column] = styles.cell(value, ("date", wide), **style)
            elif wide:
                row[column] = styles.cell(value, "wrap", alignment=WRAP)
            if isinstance(value, str) and value.startswith("="):
                made = row[column]
                cell = made if isinstance(made, Cell) else WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # text from plans and people is never a formula
                row[column] = cell
        if table.status_column is not None:
            status = table.statuses[number]
            row[table.status_column] = styles.cell(
                values[table.status_column], ("status", status), fill=status_fill(status), font=STATUS_FONT
            )
        sheet.append(row)


def scope_workbook(scope: ExportScope) -> bytes:
    """Targets (one sheet per plan, or one sheet naming city and plan when the page spans many
    plans), measures, observations: what the page lists."""
    book = Workbook(write_only=True)
    taken: set[str] = set()
    if scope.target_rows is not None:
        by_plan: dict[Plan, list] = defaultdict(list)
        for row in scope.target_rows:
            by_plan[row.target.plan].append(row)
        if len(by_plan) > SHEETS_OF_PLANS:
            sheet = book.create_sheet(sheet_title(_("目标"), taken))
            write_table(sheet, target_table(scope.target_rows, scope.target_bureaus, with_plan=True))
            by_plan = {}
        for plan, rows in sorted(by_plan.items(), key=lambda item: (item[0].city.code, item[0].issued)):
            title = plan.title_en if plan.title_en and get_language().startswith("en") else plan.title
            table = target_table(rows, scope.target_bureaus, with_plan=False)
            write_table(book.create_sheet(sheet_title(title, taken)), table)
    write_table(
        book.create_sheet(sheet_title(_("重点任务"), taken)), measure_table(scope.measures, scope.measure_bureaus)
    )
    if scope.target_rows is not None:
        write_table(book.create_sheet(sheet_title(_("观测值"), taken)), observation_table(scope.observations()))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
