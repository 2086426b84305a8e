"""Indicator tables (主要指标表): one row per indicator, base-year and target-year columns."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


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


def find_table_targets(lines: list[str]) -> list[TableTarget]:
    return []
