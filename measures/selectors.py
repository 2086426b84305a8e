"""Reads about measures: latest status and where each stands against its deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from measures.deadlines import DUE_SOON_DAYS, DeadlineState
from measures.deadlines import deadline_state as deadline_status
from measures.models import Measure, MeasureUpdate

__all__ = ["DUE_SOON_DAYS", "deadline_states", "deadline_status", "with_deadline_state", "with_latest_update"]


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
    groups: dict[str, list[Measure]] = {state: [] for state in DeadlineState}
    for measure in with_deadline_state(measures.filter(deadline__isnull=False), today):
        if measure.deadline_state:
            groups[measure.deadline_state].append(measure)
    return groups
