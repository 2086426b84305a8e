"""Indicator tables (主要指标表): one row per indicator, a base-year column and target-year columns.

Rows are read from the printed lines before extraction spaces are removed, because the cells
are told apart by those spaces (or by | and tabs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from targets.drafting.indicators import guess_indicator

# 表1 主要指标表, 附表 主要指标, 专栏1 “十四五”主要指标: a short line naming indicators and a table.
_TABLE_TITLE = re.compile(r"^.{0,12}(?:表|专栏).{0,20}指标|指标(?:表|体系)|主要目标表")
_CELL_SPLIT = re.compile(r"\s*\|\s*|\t+|\s{2,}|(?<=[^\s\d.])\s(?=[\d\[［(（-])|(?<=[\d\]］%)）])\s(?=\S)")
_YEAR_CELL = re.compile(r"^(20[2-6]\d)年?(?:目标|基期|基准)?")
_NUMBER_CELL = re.compile(r"^[\[［]?(-?\d+(?:\.\d+)?)[\]］]?(%|％)?$")
_CHANGE_CELL = re.compile(r"^(下降|降低|提高|增长)(\d+(?:\.\d+)?)(%|％)?$")
_UNIT_CELL = re.compile(r"^[（(]?([^\d\s]{1,12}?)[）)]?$")


@dataclass
class TableTarget:
    value: Decimal
    unit: str
    target_year: int
    kind: str
    comparator: str
    strive: bool
    source: str
    start: int
    end: int
    indicator_name: str
    direction: str
    nature: str
    verb: str = ""
    baseline_year: int | None = None
    period_start: int | None = None
    reviews: list[str] = field(default_factory=list)
    interpretations: list[str] = field(default_factory=list)


def _cells(line: str) -> list[str]:
    return [c for c in _CELL_SPLIT.split(line.strip()) if c]


def find_table_targets(raw_text: str) -> list[TableTarget]:
    found: list[TableTarget] = []
    lines = raw_text.splitlines()
    i = 0
    while i < len(lines):
        if not _TABLE_TITLE.search(lines[i]):
            i += 1
            continue
        header_at = next((j for j in range(i + 1, min(i + 4, len(lines))) if _year_columns(lines[j])), None)
        if header_at is None:
            i += 1
            continue
        columns = _year_columns(lines[header_at])
        i = header_at + 1
        while i < len(lines) and lines[i].strip():
            found += _row_targets(lines[i], columns)
            i += 1
    return found


def _year_columns(line: str) -> list[tuple[int, int]]:
    """(cell index, year) of the header's year cells; two at least (a base year and a target)."""
    cells = _cells(line)
    years = [(k, int(m.group(1))) for k, c in enumerate(cells) if (m := _YEAR_CELL.match(c))]
    return years if len(years) >= 2 else []


def _row_targets(line: str, columns: list[tuple[int, int]]) -> list[TableTarget]:
    cells = _cells(line)
    if len(cells) < 2:
        return []
    name = cells[0]
    offset = len(cells) - (columns[-1][0] + 1)  # rows may have fewer trailing cells (no 属性 column)
    unit = ""
    unit_cell = _UNIT_CELL.match(cells[1]) if len(cells) > 1 else None
    if unit_cell and not _NUMBER_CELL.match(cells[1]):
        unit = unit_cell.group(1)
    base_year = columns[0][1]
    targets = []
    for index, year in columns[1:]:
        k = index + min(offset, 0)
        if not 0 < k < len(cells):
            continue
        cell = cells[k].replace("％", "%")
        change = _CHANGE_CELL.match(cell)
        number = _NUMBER_CELL.match(cell)
        guess = guess_indicator(name, unit, change.group(1) if change else "")
        if change:
            value = Decimal(change.group(2)) * (-1 if change.group(1) in ("下降", "降低") else 1)
            kind, comparator, baseline = "change_vs_baseline", "at_most" if value < 0 else "at_least", base_year
        elif number:
            value = Decimal(number.group(1))
            kind, baseline = "level", None
            comparator = "at_most" if guess.direction == "decrease" else "at_least"
            if cell.startswith(("[", "［")):  # a bracketed figure is a cumulative amount in these tables
                kind = "cumulative"
        else:
            continue
        target = TableTarget(
            value, unit or (number.group(2) or "" if number else ""), year, kind, comparator, False, line.strip(),
            0, 0, name, guess.direction, guess.nature, baseline_year=baseline,
        )  # fmt: skip
        if kind == "cumulative":
            target.period_start = base_year + 1
            target.interpretations.append(f"方括号内为累计数，起算年份取基期的下一年{base_year + 1}年")
        target.reviews.append("从指标表读取：请核对列与年份")
        targets.append(target)
    return targets
