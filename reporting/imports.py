"""Importing observations from CSV or Excel: every row checked first, then all or nothing."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from config.data_version import cities_changed
from jobs.registry import Progress
from reporting.bulk_writes import observations_bulk_update
from reporting.models import Observation
from reporting.periods import parse_period
from reporting.services import entry_status, queue_recompute_for
from reporting.table_read import table_rows
from reporting.values import observation_input_clean
from targets.models import Indicator

COLUMNS = ["city", "indicator_code", "period", "value", "note"]
REQUIRED = ["city", "indicator_code", "period", "value"]
CHUNK = 2000  # rows per bulk write and per progress report


@dataclass
class RowProblem:
    row: int  # as a person sees it in the file: the header is row 1
    reason: str

    def __str__(self) -> str:
        return _("第%(row)s行：%(reason)s") % {"row": self.row, "reason": self.reason}


@dataclass
class ImportReport:
    problems: list[RowProblem] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)  # checked rows, ready to store
    counts: Counter[str] = field(default_factory=Counter)  # created / updated / unchanged
    recomputes_not_queued: int = 0  # the broker was down: the figures lag until the nightly run
    # Marks the stored rows as one import, so a reviewer can approve them together.
    batch: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def ok(self) -> bool:
        return not self.problems


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
    allowed = set(Indicator.objects.editable_by(user).values_list("pk", flat=True)) if user is not None else None
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
        elif allowed is not None and indicator.pk not in allowed:
            reasons.append(_("您无权填报“%(indicator)s”") % {"indicator": indicator.name})
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
        else:
            report.rows.append(
                {
                    "indicator": indicator,
                    "period": label,
                    "period_end": cleaned.period_end,
                    "value": cleaned.value,
                    "note": cleaned.note,
                }
            )
    if progress is not None:
        progress(total, total, stage)
    return report


def _period_label(raw: str) -> str | None:
    try:
        return parse_period(raw)[0]
    except ValidationError:
        return None


def observations_import(frame: pd.DataFrame, *, user: Any = None, progress: Progress | None = None) -> ImportReport:
    """Check, then store every row in one transaction; store nothing if any row is bad.

    Bulk writes in chunks of CHUNK rows, with their history records (django-simple-history's
    bulk helpers), so the number of queries grows with chunks, not rows: a 100,000-row file is
    minutes at most. A row whose value and note are unchanged is left as it is (a demo value
    stays marked as demo): no write, no history, no recompute."""
    report = observations_check(frame, user=user, progress=progress)
    if not report.ok:
        return report
    entered_by = user if getattr(user, "is_authenticated", False) else None
    now = timezone.now()
    creates: list[Observation] = []
    updates: list[Observation] = []
    changed: set[int] = set()
    statuses: dict[int, str] = {}  # review status of an entry, per city
    total = len(report.rows)
    with transaction.atomic():
        # Locked until the end, so a value entered meanwhile cannot be overwritten unseen.
        existing = {
            (o.indicator_id, o.period): o
            for o in Observation.objects.select_for_update().filter(indicator__in={r["indicator"] for r in report.rows})
        }
        for row in report.rows:
            before = existing.get((row["indicator"].pk, row["period"]))
            if (
                before is not None
                and before.value == row["value"]
                and before.note == row["note"]
                and before.status != Observation.Status.RETURNED  # a returned value is sent again
            ):
                report.counts["unchanged"] += 1
                continue
            observation = before or Observation(indicator=row["indicator"], period=row["period"])
            observation.period_end, observation.value, observation.note = row["period_end"], row["value"], row["note"]
            observation.is_demo, observation.entered_by, observation.entered_at = False, entered_by, now
            # As observation_record does: submitted where the city reviews entries, one batch per
            # file so a reviewer can approve the import at once.
            city_id = row["indicator"].city_id
            if city_id not in statuses:
                statuses[city_id] = entry_status(indicator=row["indicator"], user=user)
            observation.status, observation.batch = statuses[city_id], report.batch
            observation.submitted_at = observation.submitted_at or now
            observation.reviewed_by, observation.reviewed_at, observation.review_note = None, None, ""
            (updates if before is not None else creates).append(observation)
            changed.add(row["indicator"].pk)
        report.counts["created"], report.counts["updated"] = len(creates), len(updates)
        report.counts += Counter()  # drop zero counts, as the counts of a row-by-row import had none
        written = report.counts["unchanged"]
        stage = _("正在写入")
        for start in range(0, len(creates), CHUNK):
            bulk_create_with_history(creates[start : start + CHUNK], Observation, default_user=entered_by)
            written += len(creates[start : start + CHUNK])
            if progress is not None:
                progress(written, total, stage)
        for start in range(0, len(updates), CHUNK):
            observations_bulk_update(updates[start : start + CHUNK], user=entered_by)
            written += len(updates[start : start + CHUNK])
            if progress is not None:
                progress(written, total, stage)
        if changed:
            # bulk writes send no save signals: start new versions for the cities written
            cities_changed({row["indicator"].city_id for row in report.rows if row["indicator"].pk in changed})
        for indicator_id in changed:
            transaction.on_commit(lambda pk=indicator_id: _queue(report, pk))
    return report


def _queue(report: ImportReport, indicator_id: int) -> None:
    if not queue_recompute_for(indicator_id):
        report.recomputes_not_queued += 1
