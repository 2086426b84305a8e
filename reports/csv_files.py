"""CSV files of the exported lists.

Encoded as UTF-8 with a byte order mark: Excel, the tool most users open a CSV with, reads a
CSV without one in the system's legacy code page (GBK on Chinese Windows) and garbles every
Chinese character; with the mark it reads UTF-8. Other tools and the observation import
(which reads "utf-8-sig") skip the mark.

Text that Excel would run as a formula (starting with = + - @, or a tab or carriage return)
gets a leading apostrophe, the usual guard against CSV injection; numbers are left alone, and
the observation import removes the apostrophe again so the file round-trips.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation

from reports.tables import Cell, Table

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


def csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def table_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue().encode("utf-8-sig")
