"""Reads about measures: latest status and where each stands against its deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from measures.models import Measure, MeasureUpdate

DUE_SOON_DAYS = 60


def deadline_status(deadline: dt.date | None, completed: bool, today: dt.date) -> str:
    """ "overdue" when past the deadline and not completed; "due_soon" when the deadline is
    within 60 days and the latest update is not completed; else ""."""
    if deadline is None or completed:
        return ""
    if deadline < today:
        return "overdue"
    if (deadline - today).days <= DUE_SOON_DAYS:
        return "due_soon"
    return ""


def latest_update_value(field: str) -> Subquery:
    """A field of each measure's latest update, as a subquery (None without updates)."""
    latest = MeasureUpdate.objects.filter(measure=OuterRef("pk")).order_by("-created_at", "-id")
    return Subquery(latest.values(field)[:1])


def with_completed(measures: QuerySet[Measure]) -> QuerySet[Measure]:
    """Alias `filter_completed`: whether the latest update completed the measure (False without
    one: without Coalesce its NULL would drop out of every filter)."""
    if "filter_completed" in measures.query.annotations:
        return measures
    return measures.alias(filter_completed=Coalesce(latest_update_value("status__is_completed"), False))


# The SQL form of `deadline_status`, on `with_completed` rows.
def overdue_q(today: dt.date) -> Q:
    return Q(deadline__lt=today, filter_completed=False)


def due_soon_q(today: dt.date) -> Q:
    return Q(deadline__gte=today, deadline__lte=today + dt.timedelta(days=DUE_SOON_DAYS), filter_completed=False)


def filter_deadline_state(measures: QuerySet[Measure], state: str, today: dt.date) -> QuerySet[Measure]:
    """Measures in a deadline state: "overdue", "due_soon", or "none" for every other measure."""
    measures = with_completed(measures)
    if state == "overdue":
        return measures.filter(overdue_q(today))
    if state == "due_soon":
        return measures.filter(due_soon_q(today))
    return measures.exclude(overdue_q(today) | due_soon_q(today))


def with_latest_update(measures: QuerySet[Measure], before: dt.datetime | None = None) -> QuerySet[Measure]:
    """Annotate each measure with its latest update's status, completion and percent; with
    `before`, the latest update made before that moment (an annual report's view)."""
    latest = MeasureUpdate.objects.filter(measure=OuterRef("pk")).order_by("-created_at", "-id")
    if before is not None:
        latest = latest.filter(created_at__lt=before)
    return measures.annotate(
        latest_status=Subquery(latest.values("status__code")[:1]),
        latest_status_name=Subquery(latest.values("status__name")[:1]),
        latest_status_name_en=Subquery(latest.values("status__name_en")[:1]),
        latest_completed=Subquery(latest.values("status__is_completed")[:1]),
        latest_percent=Subquery(latest.values("percent_complete")[:1]),
        latest_update_at=Subquery(latest.values("created_at")[:1]),
    )


def with_deadline_state(measures: QuerySet[Measure], today: dt.date | None = None) -> list[Measure]:
    """The measures with their latest update and `deadline_state` ("overdue", "due_soon", "")."""
    return deadline_states(with_latest_update(measures), today)


def deadline_states(measures: Iterable[Measure], today: dt.date | None = None) -> list[Measure]:
    """Set `deadline_state` on measures already annotated by `with_latest_update`."""
    today = today or timezone.localdate()
    rows = list(measures)
    for measure in rows:
        measure.deadline_state = deadline_status(measure.deadline, bool(measure.latest_completed), today)
    return rows


def measures_by_deadline_status(measures: QuerySet[Measure], today: dt.date | None = None) -> dict[str, list[Measure]]:
    groups: dict[str, list[Measure]] = {"overdue": [], "due_soon": []}
    for measure in with_deadline_state(measures.filter(deadline__isnull=False), today):
        if measure.deadline_state:
            groups[measure.deadline_state].append(measure)
    return groups
