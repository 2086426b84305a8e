"""The one renderer of tables as CSV or JSON: the report exports (documents/), the bureau's entry
template (reporting/) and the export commands all write through it, so a CSV is quoted, encoded
and guarded the same way wherever it comes from.

CSV files are encoded as UTF-8 with a byte order mark: Excel, the tool most users open a CSV
with, reads a CSV without one in the system's legacy code page (GBK on Chinese Windows) and
garbles every Chinese character; with the mark it reads UTF-8. Other tools and the observation
import (which reads "utf-8-sig") skip the mark. Rows end in CRLF, as RFC 4180 and Excel expect.

Text that Excel would run as a formula (starting with = + - @, or a tab or carriage return)
gets a leading apostrophe, the usual guard against CSV injection; numbers are left alone, and
the observation import removes the apostrophe again so the file round-trips.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "、"  # a list in one cell (the bureaus of a target), as the plans write lists


def _is_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


def csv_cell(value: Any) -> str:
    """One cell's text: empty for None, ISO dates, lists joined by 、, formulas guarded."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return csv_cell(LIST_SEPARATOR.join(str(item) for item in value))
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A header and the rows as CSV text (for a terminal or a pipe: no byte order mark)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()


def csv_file(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """`csv_text` as the bytes of a file to download: UTF-8 with a byte order mark."""
    return csv_text(headers, rows).encode("utf-8-sig")


def records_text(records: Iterable[Mapping[str, Any]], fields: Sequence[str], fmt: str) -> str:
    """Records (one dict each) as JSON (one array of objects) or as CSV (one column per field)."""
    if fmt == "json":
        return json.dumps(list(records), ensure_ascii=False, indent=2) + "\n"
    return csv_text(fields, ([record.get(name) for name in fields] for record in records))
