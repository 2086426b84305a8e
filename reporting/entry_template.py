"""A bureau's entry template: one row per period it owes, with the indicator's code, name and
unit filled in, ready to fill and upload. The import reads the columns it needs by name and
ignores the helper columns (name, unit, due)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from config.table_files import csv_file
from reporting.status_selectors import owed_by
from targets.models import Bureau

HEADER = ["city", "indicator_code", "indicator_name", "unit", "period", "due", "value", "note"]


def entry_template_rows(*, bureau: Bureau) -> list[list[str]]:
    return [
        [item.indicator.city.code, item.indicator.code, item.indicator.name, item.indicator.unit, item.period,
         item.due.isoformat(), "", ""]
        for item in owed_by(bureau=bureau)
    ]  # fmt: skip


def entry_template_csv(*, bureau: Bureau) -> bytes:
    return csv_file(HEADER, entry_template_rows(bureau=bureau))


def entry_template_xlsx(*, bureau: Bureau) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "observations"
    sheet.append(HEADER)
    for row in entry_template_rows(bureau=bureau):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF8C5")
    for row in sheet.iter_rows(min_row=2, min_col=7, max_col=7):
        for cell in row:
            cell.fill = fill  # the column to fill in
    numbers = DataValidation(type="decimal", allow_blank=True, operator="between", formula1="-1E14", formula2="1E14")
    numbers.add(f"G2:G{max(sheet.max_row, 2)}")
    sheet.add_data_validation(numbers)
    for letter, width in zip("ABCDEFGH", [10, 28, 30, 14, 10, 12, 14, 30], strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
