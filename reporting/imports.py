"""Importing observations from CSV or Excel: every row checked first, then all or nothing."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from config.change_sources import ChangeSource
from jobs.registry import Progress
from reporting.bulk_record import CHUNK, BulkResult, CheckedEntry, observations_record_bulk
from reporting.periods import parse_period
from reporting.services import refusal, reportable_indicators
from reporting.table_read import table_rows
from reporting.values import observation_input_clean
from targets.models import Indicator

COLUMNS = ["city", "indicator_code", "period", "value", "note"]
REQUIRED = ["city", "indicator_code", "period", "value"]


@dataclass
class RowProblem:
    row: int  # as a person sees it in the file: the header is row 1
    reason: str

    def __str__(self) -> str:
        return _("第%(row)s行：%(reason)s") % {"row": self.row, "reason": self.reason}


@dataclass
class ImportReport:
    problems: list[RowProblem] = field(default_factory=list)
    rows: list[CheckedEntry] = field(default_factory=list)  # checked rows, ready to store
    counts: Counter[str] = field(default_factory=Counter)  # created / updated / unchanged
    bulk: BulkResult | None = None  # what the store did, once it ran
    # Marks the stored rows as one import, so a reviewer can approve them together.
    batch: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def recomputes_not_queued(self) -> int:
        """The broker was down for this many indicators: their figures lag until the nightly run."""
        return self.bulk.recomputes_not_queued if self.bulk is not None else 0


def _has_columns(header: tuple | list) -> bool:
    return set(REQUIRED) <= {str(c).strip().lower() for c in header if c is not None}


def read_table(raw: bytes, name: str) -> pd.DataFrame:
    """A CSV or Excel file as text cells indexed by their row number in the file (the header
    is row 1; empty rows are skipped), or a ValidationError that says what the file is not."""
    rows = table_rows(raw, name, has_columns=_has_columns)
    header = [str(c).strip().lower() for c in rows[0]] if rows else []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValidationError(
            _("缺少列：%(columns)s（需要 city, indicator_code, period, value, note）。")
            % {"columns": ", ".join(missing)}
        )
    width = len(header)
    records, numbers = [], []
    for number, cells in enumerate(rows[1:], start=2):
        if any(cell.strip() for cell in cells[width:]):
            # Most often an unquoted comma in a number (1,234 in a CSV): refuse rather than shift.
            raise ValidationError(
                _("第%(row)s行的单元格比表头多：多出“%(extra)s”。数值中的逗号请去掉，或给整个单元格加引号。")
                % {"row": number, "extra": ",".join(c for c in cells[width:] if c.strip())[:40]}
            )
        if not any(cell.strip() for cell in cells):
            continue
        records.append(dict(zip(header, cells + [""] * (width - len(cells)), strict=False)))
        numbers.append(number)
    frame = pd.DataFrame(records, index=pd.Index(numbers, dtype=int), columns=header)
    return frame.reindex(columns=COLUMNS).fillna("").astype(str)


def observations_check(frame: pd.DataFrame, *, user: Any = None, progress: Progress | None = None) -> ImportReport:
    """Check every row; with a user, also that the user may report each row's indicator.

    Three queries whatever the number of rows; `progress(done, total, stage)` is told every
    CHUNK rows."""
    report = ImportReport()
    indicators = {(i.city.name, i.code): i for i in Indicator.objects.select_related("city")}
    indicators.update({(i.city.code, i.code): i for i in indicators.values()})
    allowed = set(reportable_indicators(user).values_list("pk", flat=True))
    seen: dict[tuple[int, str], int] = {}
    total = len(frame)
    stage = _("正在校验")
    for offset, (index, record) in enumerate(zip(frame.index, frame.to_dict("records"), strict=True)):
        if progress is not None and offset % CHUNK == 0:
            progress(offset, total, stage)
        row = int(index)
        city, code = record["city"].strip(), record["indicator_code"].strip()
        indicator = indicators.get((city, code))
        reasons = []
        if indicator is None:
            reasons.append(_("城市“%(city)s”没有指标“%(code)s”") % {"city": city[:50], "code": code[:50]})
        elif indicator.pk not in allowed:
            reasons.append(refusal(indicator).rstrip("。"))
        label, cleaned = None, None
        try:
            cleaned = observation_input_clean(period=record["period"], value=record["value"], note=record["note"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                reasons += [_("%(column)s列：%(message)s") % {"column": field, "message": m} for m in messages]
            if "period" not in exc.message_dict:
                label = _period_label(record["period"])
        else:
            label = cleaned.period
        if indicator is not None and label is not None:
            first = seen.setdefault((indicator.pk, label), row)
            if first != row:
                reasons.append(_("与第%(row)s行的指标和期间重复") % {"row": first})
        if reasons:
            report.problems.append(RowProblem(row, "；".join(reasons)))
        elif indicator is not None and cleaned is not None:  # (both found when there is no reason)
            report.rows.append(CheckedEntry(indicator=indicator, entry=cleaned))
    if progress is not None:
        progress(total, total, stage)
    return report


def _period_label(raw: str) -> str | None:
    try:
        return parse_period(raw)[0]
    except ValidationError:
        return None


def observations_import(frame: pd.DataFrame, *, user: Any = None, progress: Progress | None = None) -> ImportReport:
    """Check, then store every row in one transaction through the service's bulk path (history
    rows carry the user and "import"); store nothing if any row is bad. A row whose value and
    note are unchanged is left as it is: no write, no history, no recompute."""
    report = observations_check(frame, user=user, progress=progress)
    if not report.ok:
        return report
    result = observations_record_bulk(
        report.rows, user=user, source=ChangeSource.IMPORT, batch=report.batch, progress=progress
    )
    report.counts = result.counts
    report.bulk = result
    return report
