"""Who has reported what: every period an indicator owes, its due date and what was entered.

All counts are over periods whose due date has passed ("due"): `submitted` have a value that
is pending review or approved, `approved` count for the statuses, `late` were first submitted
after their due date, `missing` have nothing (or a value returned for correction). Periods that
have ended but are not yet due are `open`: owed soon, not yet late.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from config.data_version import plan_cached
from reporting.models import Observation
from reporting.schedule import DueRule, due_date, period_labels
from targets.models import Bureau, City, Indicator, IndicatorReporting

SUBMITTED = (Observation.Status.SUBMITTED, Observation.Status.APPROVED)


@dataclass(frozen=True)
class ReportingItem:
    indicator: Indicator
    bureau_id: int
    period: str
    due: dt.date
    today: dt.date
    status: str | None = None  # the observation's review status, if there is one
    submitted_on: dt.date | None = None
    value: Any = None

    @property
    def is_due(self) -> bool:
        return self.due < self.today

    @property
    def is_submitted(self) -> bool:
        return self.status in SUBMITTED

    @property
    def is_late(self) -> bool:
        return self.is_submitted and self.submitted_on is not None and self.submitted_on > self.due

    @property
    def state(self) -> str:
        """missing, open, returned, late or on_time."""
        if self.status == Observation.Status.RETURNED:
            return "returned"
        if not self.is_submitted:
            return "missing" if self.is_due else "open"
        return "late" if self.is_late else "on_time"

    @property
    def days_left(self) -> int:
        return (self.due - self.today).days

    @property
    def days_overdue(self) -> int:
        return max(-self.days_left, 0)


@dataclass
class BureauCompleteness:
    bureau: Bureau
    due: int = 0
    submitted: int = 0
    approved: int = 0
    late: int = 0
    missing: int = 0
    open: int = 0
    items: list[ReportingItem] = field(default_factory=list, repr=False)

    @property
    def on_time(self) -> int:
        return self.submitted - self.late

    @property
    def percent(self) -> int | None:
        return round(100 * self.submitted / self.due) if self.due else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "bureau": self.bureau.name,
            "due": self.due,
            "submitted": self.submitted,
            "approved": self.approved,
            "on_time": self.on_time,
            "late": self.late,
            "missing": self.missing,
            "open": self.open,
        }


def reporting_items(
    *, city: City | None = None, bureau: Bureau | None = None, today: dt.date | None = None
) -> list[ReportingItem]:
    """Every period owed by the quantified indicators of a city or a bureau, in two queries (one
    while the plans stand)."""
    today = today or timezone.localdate()
    if city is None and bureau is None:  # every city's: a background job's, read once
        ordered = _assignments(city, bureau)
    else:
        # Who reports what is plan data: a page about a city or a bureau keeps it on that city's
        # plan version, so after a change of progress only the values are read.
        name = f"reporting-assignments:{city.pk if city else ''}:{bureau.pk if bureau else ''}"
        scope = city if city is not None else bureau.city_id if bureau is not None else None
        ordered = plan_cached(name, partial(_assignments, city, bureau), city=scope)
    observed: dict[tuple[int, str], tuple[str | None, dt.datetime | None, Any]] = {}
    if ordered:  # a bureau or city that reports nothing reads no value
        # Unordered: they go into a dict (the model's order would join the indicators).
        values = Observation.objects.filter(indicator_id__in=[a.indicator_id for a in ordered]).order_by()
        rows = values.values_list("indicator_id", "period", "status", "submitted_at", "value")
        observed = {(indicator, period): (status, at, value) for indicator, period, status, at, value in rows}
    items = []
    for assignment in ordered:
        setup = assignment.indicator.city.setup
        rule = DueRule(setup.first_year, setup.annual_due_month, setup.annual_due_day, setup.subannual_due_days)
        for label in period_labels(assignment.frequency, first_year=setup.first_year, today=today):
            status, submitted_at, value = observed.get((assignment.indicator_id, label), (None, None, None))
            items.append(
                ReportingItem(
                    indicator=assignment.indicator,
                    bureau_id=assignment.bureau_id,
                    period=label,
                    due=due_date(label, rule),
                    today=today,
                    status=status,
                    submitted_on=timezone.localdate(submitted_at) if submitted_at else None,
                    value=value,
                )
            )
    return items


def _assignments(city: City | None, bureau: Bureau | None) -> list[IndicatorReporting]:
    assignments = IndicatorReporting.objects.filter(
        indicator__in=Indicator.objects.quantified(), indicator__city__setup__isnull=False
    ).select_related("indicator__city__setup")
    if city is not None:
        assignments = assignments.filter(indicator__city=city)
    if bureau is not None:
        assignments = assignments.filter(bureau=bureau)
    return list(assignments.order_by("indicator__name"))


def completeness_by_bureau(
    *, city: City | None = None, bureau: Bureau | None = None, today: dt.date | None = None
) -> list[BureauCompleteness]:
    """One row per reporting bureau, the bureaus with most missing first."""
    items = reporting_items(city=city, bureau=bureau, today=today)
    bureaus = Bureau.objects.in_bulk({item.bureau_id for item in items})
    rows: dict[int, BureauCompleteness] = {}
    for item in items:
        row = rows.setdefault(item.bureau_id, BureauCompleteness(bureaus[item.bureau_id]))
        row.items.append(item)
        if not item.is_due:
            row.open += not item.is_submitted
            continue
        row.due += 1
        row.submitted += item.is_submitted
        row.approved += item.status == Observation.Status.APPROVED
        row.late += item.is_late
        row.missing += not item.is_submitted
    return sorted(rows.values(), key=lambda row: (-row.missing, -row.late, row.bureau.name))


def owed_by(*, bureau: Bureau, today: dt.date | None = None) -> list[ReportingItem]:
    """What a bureau still owes: missing and returned values first, then those coming due."""
    items = [
        item for item in reporting_items(bureau=bureau, today=today) if item.state in ("missing", "returned", "open")
    ]
    order = {"returned": 0, "missing": 1, "open": 2}
    return sorted(items, key=lambda item: (order[item.state], item.due, item.indicator.name))


def submitted_by(*, bureau: Bureau) -> QuerySet[Observation]:
    """Values the bureau's indicators have waiting for review."""
    return (
        Observation.objects.pending()
        .filter(indicator__reporting__bureau=bureau)
        .select_related("indicator", "entered_by")
        .order_by("indicator__name", "period_end")
    )


def completeness_totals(rows: list[BureauCompleteness]) -> dict[str, int]:
    keys = ("due", "submitted", "approved", "on_time", "late", "missing", "open")
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        for key in keys:
            totals[key] += getattr(row, key)
    return dict(totals)


def pending_review(*, indicator: Indicator) -> list[Observation]:
    """An indicator's values waiting for review (not yet counted for its progress), by period."""
    return list(
        Observation.objects.pending().filter(indicator=indicator).select_related("entered_by").order_by("period_end")
    )
