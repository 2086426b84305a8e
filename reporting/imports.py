"""Importing observations from CSV or Excel: every row checked first, then all or nothing."""

from __future__ import annotations

import io
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reporting.models import Observation
from reporting.periods import parse_period
from reporting.services import observation_record, parse_value, queue_recompute_for
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
    rows: list[dict[str, Any]] = field(default_factory=list)  # checked rows, ready to store
    counts: Counter[str] = field(default_factory=Counter)  # created / updated / unchanged
    # Marks the stored rows as one import, so a reviewer can approve them together.
    batch: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def ok(self) -> bool:
        return not self.problems


_GUARDED = {"'" + c for c in "=+-@\t\r"}


def _has_columns(frame: pd.DataFrame) -> bool:
    return set(REQUIRED) <= {str(c).strip().lower() for c in frame.columns}


def read_table(raw: bytes, name: str) -> pd.DataFrame:
    """A CSV or Excel file as text cells, or a ValidationError that says what the file is not."""
    lower = name.lower()
    try:
        if lower.endswith((".xlsx", ".xlsm")):
            # A workbook exported by the reports app holds other sheets too: take the one in this format.
            sheets = pd.read_excel(io.BytesIO(raw), dtype=str, engine="openpyxl", sheet_name=None)
            frame = next((f for f in sheets.values() if _has_columns(f)), next(iter(sheets.values())))
        elif lower.endswith(".csv"):
            frame = pd.read_csv(io.BytesIO(raw), dtype=str, encoding="utf-8-sig", keep_default_na=False)
            # Exported CSVs guard text that Excel would run as a formula with an apostrophe.
            frame = frame.map(lambda v: v[1:] if isinstance(v, str) and v[:2] in _GUARDED else v)
        else:
            raise ValidationError(_("文件“%(name)s”不是CSV或Excel（.xlsx）文件。") % {"name": name})
    except ValidationError:
        raise
    except UnicodeDecodeError:
        raise ValidationError(_("文件“%(name)s”不是UTF-8编码的CSV，请另存为UTF-8后重试。") % {"name": name}) from None
    except Exception:
        raise ValidationError(_("无法读取文件“%(name)s”：它不是有效的CSV或Excel表格。") % {"name": name}) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ValidationError(
            _("缺少列：%(columns)s（需要 city, indicator_code, period, value, note）。")
            % {"columns": ", ".join(missing)}
        )
    if "note" not in frame.columns:
        frame["note"] = ""
    return frame[COLUMNS].fillna("").astype(str)


def observations_check(frame: pd.DataFrame, *, user: Any = None) -> ImportReport:
    """Check every row; with a user, also that the user may report each row's indicator."""
    report = ImportReport()
    indicators = {(i.city.name, i.code): i for i in Indicator.objects.select_related("city")}
    indicators.update({(i.city.code, i.code): i for i in indicators.values()})
    allowed = set(Indicator.objects.editable_by(user).values_list("pk", flat=True)) if user is not None else None
    seen: dict[tuple[int, str], int] = {}
    for offset, record in enumerate(frame.to_dict("records")):
        row = offset + 2
        city, code = record["city"].strip(), record["indicator_code"].strip()
        indicator = indicators.get((city, code))
        reasons = []
        if indicator is None:
            reasons.append(_("城市“%(city)s”没有指标“%(code)s”") % {"city": city, "code": code})
        elif allowed is not None and indicator.pk not in allowed:
            reasons.append(_("您无权填报“%(indicator)s”") % {"indicator": indicator.name})
        try:
            label = parse_period(record["period"])[0]
        except ValidationError as exc:
            reasons.append(exc.messages[0])
            label = None
        try:
            value = parse_value(record["value"])
        except ValidationError as exc:
            reasons.append(exc.messages[0])
            value = None
        else:
            if value is None and not record["note"].strip():
                reasons.append(_("数值为空"))
        if indicator is not None and label is not None:
            first = seen.setdefault((indicator.pk, label), row)
            if first != row:
                reasons.append(_("与第%(row)s行的指标和期间重复") % {"row": first})
        if reasons:
            report.problems.append(RowProblem(row, "；".join(reasons)))
        else:
            report.rows.append(
                {"indicator": indicator, "period": label, "value": value, "note": record["note"].strip()}
            )
    return report


def observations_import(frame: pd.DataFrame, *, user: Any = None) -> ImportReport:
    """Check, then store every row in one transaction; store nothing if any row is bad."""
    report = observations_check(frame, user=user)
    if not report.ok:
        return report
    existing = {
        (o.indicator_id, o.period): o
        for o in Observation.objects.filter(indicator__in={r["indicator"] for r in report.rows})
    }
    changed = set()
    with transaction.atomic():
        for row in report.rows:
            before = existing.get((row["indicator"].pk, row["period"]))
            if before is not None and before.value == row["value"] and before.note == row["note"]:
                # Left as it is (a demo value stays marked as demo): no write, no history, no recompute.
                report.counts["unchanged"] += 1
                continue
            observation_record(user=user, check_permission=False, queue_recompute=False, batch=report.batch, **row)
            report.counts["created" if before is None else "updated"] += 1
            changed.add(row["indicator"].pk)
        for indicator_id in changed:
            transaction.on_commit(lambda pk=indicator_id: queue_recompute_for(pk))
    return report
