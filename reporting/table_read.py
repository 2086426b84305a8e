"""Reading an uploaded CSV or Excel file into text cells, within bounds.

A file is bounded by what it expands to, not only by its size on disk: a small xlsx can hold a
40 MB cell or a million rows. Workbooks are streamed (openpyxl read_only) and reading stops at
the first bound crossed, with a message that names it. CSV files may be UTF-8, UTF-16 or
GB18030/GBK (what Excel writes on Chinese Windows); the encoding is detected.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import openpyxl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ROWS = 100_000  # data rows in one file
MAX_TEXT = 20_000_000  # characters in all cells together
MAX_EXPANDED_BYTES = 200 * 1024 * 1024  # a workbook's parts once unzipped
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits; a float's tail beyond them is noise

_GUARDED = {"'" + c for c in "=+-@\t\r"}


class _Budget:
    """Counts rows and characters as they are read, and refuses the first one too many."""

    def __init__(self, name: str) -> None:
        self.name, self.rows, self.text = name, 0, 0

    def take(self, cells: list[str]) -> None:
        self.rows += 1
        self.text += sum(len(cell) for cell in cells)
        if self.rows > MAX_ROWS + 1:  # the header row is not a data row
            raise ValidationError(
                _("文件“%(name)s”超过%(limit)s行数据，请拆分成多个文件。")
                % {"name": self.name, "limit": f"{MAX_ROWS:,}"}
            )
        if self.text > MAX_TEXT:
            raise ValidationError(
                _("文件“%(name)s”的单元格文字总量超过%(limit)s个字符，请检查是否有异常的长文本。")
                % {"name": self.name, "limit": f"{MAX_TEXT:,}"}
            )


def decode_csv(raw: bytes, name: str) -> str:
    """The text of a CSV file in UTF-8 (with or without BOM), UTF-16 or GB18030 (which
    includes GBK and GB2312)."""
    if raw.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif len(raw) >= 4 and raw[1:4:2] == b"\x00\x00" and raw[0] and raw[2]:
        candidates = ["utf-16-le"]  # ASCII header without a BOM: every second byte is zero
    elif len(raw) >= 4 and raw[0:4:2] == b"\x00\x00" and raw[1] and raw[3]:
        candidates = ["utf-16-be"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        _("无法识别文件“%(name)s”的编码：请另存为UTF-8、UTF-16或GBK编码的CSV后重试。") % {"name": name}
    )


def _csv_rows(raw: bytes, name: str) -> Iterator[list[str]]:
    text = decode_csv(raw, name)
    if "\x00" in text:
        raise ValidationError(_("文件“%(name)s”含有NUL控制字符（\\x00），不是文本格式的CSV。") % {"name": name})
    for row in csv.reader(io.StringIO(text, newline="")):
        # Exported CSVs guard text that Excel would run as a formula with an apostrophe.
        yield [cell[1:] if cell[:2] in _GUARDED else cell for cell in row]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, f".{EXCEL_DIGITS}g")
    return str(value)


def _check_expanded_size(raw: bytes, name: str) -> None:
    try:
        parts = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except zipfile.BadZipFile:
        raise ValidationError(_("无法读取文件“%(name)s”：它不是有效的Excel（.xlsx）文件。") % {"name": name}) from None
    if sum(part.file_size for part in parts) > MAX_EXPANDED_BYTES:
        raise ValidationError(
            _("文件“%(name)s”解压后超过%(limit)s MB，请拆分成多个文件。")
            % {"name": name, "limit": MAX_EXPANDED_BYTES // (1024 * 1024)}
        )


def _xlsx_rows(raw: bytes, name: str, has_columns: Any) -> Iterator[list[str]]:
    _check_expanded_size(raw, name)
    try:
        values = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:
        raise ValidationError(_("无法读取文件“%(name)s”：它不是有效的Excel（.xlsx）文件。") % {"name": name}) from None
    # A workbook exported by the documents app holds other sheets too: take the one in this format.
    sheet_name = next(
        (ws.title for ws in values.worksheets if has_columns(next(ws.iter_rows(max_row=1, values_only=True), ()))),
        values.worksheets[0].title if values.worksheets else None,
    )
    if sheet_name is None:
        return
    empty: list[int] = []  # rows with an empty cell that may be a formula without a stored result
    for number, row in enumerate(values[sheet_name].iter_rows(values_only=True), start=1):
        cells = [_cell_text(value) for value in row]
        if number > 1 and any(value is None for value in row):
            empty.append(number)
        yield cells
    values.close()
    if empty and _has_formulas(raw):
        _refuse_formulas_without_results(raw, name, sheet_name, set(empty))


_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def _has_formulas(raw: bytes) -> bool:
    """Whether any worksheet holds a formula: a scan of the unzipped XML, much cheaper than a
    second parse of the workbook, which is then needed only when there are formulas."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for part in archive.namelist():
            if not part.startswith("xl/worksheets/"):
                continue
            tail = b""
            with archive.open(part) as stream:
                while chunk := stream.read(1 << 20):
                    if _FORMULA.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def _refuse_formulas_without_results(raw: bytes, name: str, sheet_name: str, rows: set[int]) -> None:
    """A formula's result is stored by the program that last calculated it; a file written by
    a script may hold only the formula. Such a cell would read as empty: refuse it instead."""
    formulas = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    header: list[str] = []
    try:
        for number, row in enumerate(formulas[sheet_name].iter_rows(values_only=True), start=1):
            if number == 1:
                header = [_cell_text(v).strip().lower() for v in row]
            if number not in rows:
                continue
            for column, value in enumerate(row):
                if isinstance(value, str) and value.startswith("="):
                    field = header[column] if column < len(header) and header[column] else str(column + 1)
                    raise ValidationError(
                        _(
                            "第%(row)s行“%(column)s”列是公式（%(formula)s），但文件中没有它的计算结果：请在Excel中打开并保存，或填写数值。"
                        )
                        % {"row": number, "column": field, "formula": value[:40]}
                    )
    finally:
        formulas.close()


def table_rows(raw: bytes, name: str, *, has_columns: Any) -> list[list[str]]:
    """The rows of a CSV or Excel file as text cells (the header first), within the bounds."""
    lower = name.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        rows: Iterator[list[str]] = _xlsx_rows(raw, name, has_columns)
    elif lower.endswith(".csv"):
        rows = _csv_rows(raw, name)
    else:
        raise ValidationError(_("文件“%(name)s”不是CSV或Excel（.xlsx）文件。") % {"name": name})
    budget = _Budget(name)
    table = []
    try:
        for cells in rows:
            budget.take(cells)
            table.append(cells)
    except (ValidationError, MemoryError):
        raise
    except csv.Error:
        raise ValidationError(
            _("无法按CSV读取文件“%(name)s”：可能有未闭合的引号或过长的单元格。") % {"name": name}
        ) from None
    except Exception:
        raise ValidationError(_("无法读取文件“%(name)s”：它不是有效的CSV或Excel表格。") % {"name": name}) from None
    return table
