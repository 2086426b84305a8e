"""Reads about measures: the latest status, where each stands against its deadline, a city's
measures by that state, and the bureaus with the most overdue ones."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, TypedDict

from django.db import connection
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from config.data_version import plan_cached
from measures.deadlines import DeadlineState, completed_among, deadline_state, deadline_state_q, due_by_q
from measures.models import Measure, MeasureResponsibility, MeasureUpdate
from targets.models import Bureau, City, Plan, Target
from targets.names import english_active
from targets.querysets import lead_first


class LatestUpdate(TypedDict):
    """What `with_latest_update` adds to each measure (None for a measure without updates)."""

    latest_status: str | None
    latest_status_name: str | None
    latest_status_name_en: str | None
    latest_completed: bool | None
    latest_percent: int | None
    latest_update_at: dt.datetime | None


class Timeline(TypedDict):
    """What measures.list_selectors.measure_detail adds to its measure: the updates, newest first."""

    timeline: list[MeasureUpdate]


# Types only: django_stubs_ext comes with the type checker (a dev dependency), not at run time.
if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    MeasureWithLatest = WithAnnotations[Measure, LatestUpdate]
    MeasureWithTimeline = WithAnnotations[Measure, Timeline]


def latest_update_value(field: str) -> Subquery:
    """A field of each measure's latest update, as a subquery (None without updates)."""
    latest = MeasureUpdate.objects.filter(measure=OuterRef("pk")).order_by("-created_at", "-id")
    return Subquery(latest.values(field)[:1])


def filter_deadline_state(measures: QuerySet[Measure], state: str, today: dt.date) -> QuerySet[Measure]:
    """Measures in a deadline state: "overdue", "due_soon", or "none" for every other measure."""
    return measures.filter(deadline_state_q(state, today=today))


def with_latest_update(measures: QuerySet[Measure], before: dt.datetime | None = None) -> QuerySet[MeasureWithLatest]:
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


LatestReport = tuple[str, str, str, bool, int | None]  # status code, name, English name, completes, percent


def latest_updates(measure_ids: Collection[int]) -> dict[int, LatestReport]:
    """The latest update of each of these measures that has one, as `with_latest_update` picks
    it (the newest; of two at once, the last saved), in one query of the updates alone: on
    PostgreSQL DISTINCT ON over the measures' updates, elsewhere each update checked against its
    measure's latest."""
    updates = MeasureUpdate.objects.filter(measure_id__in=list(measure_ids))
    if connection.vendor == "postgresql":
        updates = updates.order_by("measure_id", "-created_at", "-id").distinct("measure_id")
    else:
        latest = MeasureUpdate.objects.filter(measure=OuterRef("measure_id")).order_by("-created_at", "-id")
        updates = updates.filter(pk=Subquery(latest.values("pk")[:1])).order_by()
    fields = ("status__code", "status__name", "status__name_en", "status__is_completed", "percent_complete")
    return {
        pk: (code, name, name_en, done, percent)
        for pk, code, name, name_en, done, percent in updates.values_list("measure_id", *fields)
    }


def latest_status_label(measure: Any) -> str:
    """The name of a measure's latest reported status (`with_latest_update`), in the page's language."""
    english = getattr(measure, "latest_status_name_en", "") if english_active() else ""
    return english or getattr(measure, "latest_status_name", "") or ""


def with_deadline_state(measures: QuerySet[Measure], today: dt.date | None = None) -> list[MeasureWithLatest]:
    """The measures with their latest update and `deadline_state` ("overdue", "due_soon", "")."""
    return deadline_states(with_latest_update(measures), today)


def deadline_states(measures: Iterable[MeasureWithLatest], today: dt.date | None = None) -> list[MeasureWithLatest]:
    """Set `deadline_state` on measures already annotated by `with_latest_update`."""
    today = today or timezone.localdate()
    rows = list(measures)
    for measure in rows:
        measure.deadline_state = deadline_state(measure.deadline, bool(measure.latest_completed), today)
    return rows


def city_measures(city: City, today: dt.date | None = None) -> dict[str, list[Measure]]:
    """A city's overdue and due-soon measures (by DeadlineState) with their responsibilities.
    Which measures could be flagged (by their deadline) is plan data, kept on the city's plan
    version with their responsibilities; which of those are completed is read from their
    updates (measures.deadlines.completed_among), so a change of progress reads neither the
    city's other measures nor every measure's latest update."""
    today = today or timezone.localdate()
    key = f"city-measures-due-by:{city.pk}:{today.isoformat()}"
    candidates = plan_cached(key, partial(_due_by, city, today), city=city)
    done = completed_among(m.pk for m in candidates) if candidates else set()
    groups: dict[str, list[Measure]] = {state: [] for state in DeadlineState}
    for measure in candidates:
        measure.deadline_state = deadline_state(measure.deadline, measure.pk in done, today)
        if measure.deadline_state:
            groups[measure.deadline_state].append(measure)
    return groups


def _due_by(city: City, today: dt.date) -> list[Measure]:
    measures = (
        Measure.objects.filter(plan__city=city)
        .filter(due_by_q(today=today))
        .prefetch_related(lead_first(MeasureResponsibility))
        .order_by("deadline", "plan__issued", "position")
    )
    return list(measures)


def bureaus_by_overdue(overdue: list[Measure], limit: int = 10) -> list[tuple[Bureau, int]]:
    """The bureaus with the most overdue measures, lead or support (the measures' responsibilities
    prefetched), most first."""
    counts: Counter[int] = Counter()
    bureaus: dict[int, Bureau] = {}
    for measure in overdue:
        for responsibility in measure.responsibilities.all():
            bureaus[responsibility.bureau_id] = responsibility.bureau
            counts[responsibility.bureau_id] += 1
    return [(bureaus[pk], n) for pk, n in counts.most_common(limit)]


def _per_plan(model: type[Target] | type[Measure]) -> Coalesce:
    rows = model.objects.filter(plan=OuterRef("pk")).order_by().values("plan").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows), 0)


def plans_with_counts() -> QuerySet[Plan]:
    # Counted per plan in two subqueries: a COUNT(DISTINCT) over the join of targets and
    # measures would build every target × measure pair of a plan first.
    return (
        Plan.objects.select_related("city")
        .annotate(target_count=_per_plan(Target), measure_count=_per_plan(Measure))
        .order_by("city__code", "issued")
    )
