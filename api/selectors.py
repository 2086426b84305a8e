"""Querysets behind the API's endpoints, each shaped so a page costs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from dashboard.progress_selectors import current_snapshots
from dashboard.selectors import plans_with_counts
from measures.deadlines import deadline_state_q
from measures.models import Measure, MeasureResponsibility, MeasureUpdate
from measures.selectors import with_latest_update
from reporting.models import Observation, ProgressSnapshot
from targets.models import Bureau, Indicator, Plan, Target, TargetResponsibility
from targets.querysets import lead_first


def plans() -> QuerySet[Plan]:
    return plans_with_counts().order_by("city__code", "issued", "id")


def bureaus() -> QuerySet[Bureau]:
    return Bureau.objects.select_related("city").order_by("city__code", "name", "id")


def indicators(user: Any) -> QuerySet[Indicator]:
    """Indicators with `can_report`: whether `user` may record observations for each."""
    editable = Indicator.objects.editable_by(user).filter(pk=OuterRef("pk"))
    return (
        Indicator.objects.select_related("city", "sector")
        .annotate(can_report=Exists(editable))
        .order_by("city__code", "sector__position", "code", "id")
    )


def targets() -> QuerySet[Target]:
    return (
        Target.objects.select_related("plan__city", "indicator__sector")
        .prefetch_related(lead_first(TargetResponsibility))
        .order_by("plan__city__code", "plan__issued", "plan_id", "position", "id")
    )


def with_current_status(queryset: QuerySet[Target]) -> QuerySet[Target]:
    """Annotate `current_status`: the latest snapshot's status, "no_data" without one. The
    latest is the highest id, as in `current_snapshots`, so filter and rows always agree."""
    latest = ProgressSnapshot.objects.filter(target=OuterRef("pk")).order_by("-id").values("status")[:1]
    return queryset.annotate(current_status=Coalesce(Subquery(latest), Value(ProgressSnapshot.Status.NO_DATA)))


def attach_current_snapshots(rows: Iterable[Target]) -> list[Target]:
    """Set `current_snapshot` on each target of a page, in one query."""
    rows = list(rows)
    snapshots = current_snapshots([target.pk for target in rows])
    for target in rows:
        target.current_snapshot = snapshots.get(target.pk)
    return rows


def progress_history() -> QuerySet[ProgressSnapshot]:
    return ProgressSnapshot.objects.order_by("target_id", "computed_at", "id")


def measures(user: Any) -> QuerySet[Measure]:
    """Measures with their latest update, `can_report` for `user`, responsibilities lead first
    and the linked targets."""
    editable = Measure.objects.editable_by(user).filter(pk=OuterRef("pk"))
    return (
        with_latest_update(Measure.objects.all())
        .annotate(can_report=Exists(editable))
        .select_related("plan__city", "sector")
        .prefetch_related(lead_first(MeasureResponsibility), "target_links")
        .order_by("plan__city__code", "plan__issued", "plan_id", "position", "id")
    )


def filter_deadline_state(queryset: QuerySet[Measure], state: str, today: dt.date | None = None) -> QuerySet[Measure]:
    """The database form of `measures.selectors.deadline_status`, on a `with_latest_update`
    queryset: "overdue", "due_soon", or "none" for every other measure."""
    # A measure without updates is not completed; without Coalesce its NULL would drop out.
    queryset = queryset.annotate(is_done=Coalesce("latest_completed", Value(False)))
    return queryset.filter(deadline_state_q(state, today=today or timezone.localdate(), completed="is_done"))


def measure_updates() -> QuerySet[MeasureUpdate]:
    return MeasureUpdate.objects.select_related("status", "created_by__bureau").order_by("-created_at", "-id")


def observations() -> QuerySet[Observation]:
    return Observation.objects.select_related("indicator__city", "entered_by__bureau").order_by(
        "indicator__city__code", "indicator__code", "period_end", "period", "id"
    )
