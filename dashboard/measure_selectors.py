"""Reads for the measure pages: a filtered list and one measure with its timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from measures.deadlines import NO_STATE, DeadlineState, deadline_state_q
from measures.models import Measure, MeasureResponsibility, MeasureUpdate
from measures.selectors import deadline_states, deadline_status, with_latest_update
from targets.models import Bureau
from targets.querysets import lead_first

DEADLINE_STATES = (*DeadlineState.values, NO_STATE)
# Reported-status filter value for measures nobody has reported on yet.
NOT_REPORTED = "not_reported"


@dataclass(frozen=True)
class MeasureFilters:
    city: str = ""
    plan: str = ""
    sector: str = ""
    bureau: int | None = None
    # Typed text matched against bureau names: the bureau field without JavaScript.
    bureau_name: str = ""
    status: str = ""
    deadline: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query: dict[str, str]) -> MeasureFilters:
        bureau = query.get("bureau", "")
        deadline = query.get("deadline", "")
        return cls(
            city=query.get("city", "").strip(),
            plan=query.get("plan", "").strip(),
            sector=query.get("sector", "").strip(),
            bureau=int(bureau) if bureau.isdigit() else None,
            bureau_name=query.get("bureau_name", "").strip()[:100],
            status=query.get("status", "").strip(),
            deadline=deadline if deadline in DEADLINE_STATES else "",
            q=query.get("q", "").strip()[:100],
        )

    def is_active(self) -> bool:
        return any(
            (self.city, self.plan, self.sector, self.bureau, self.bureau_name, self.status, self.deadline, self.q)
        )

    def apply(self, measures: QuerySet[Measure], today: dt.date) -> QuerySet[Measure]:
        """The filters as SQL. The latest update is looked up per row only when the status or
        deadline filter needs it."""
        if self.city:
            measures = measures.filter(plan__city__code=self.city)
        if self.plan:
            measures = measures.filter(plan__code=self.plan)
        if self.sector:
            measures = measures.filter(sector__code=self.sector)
        if self.bureau:
            measures = measures.filter(Exists(_responsible(bureau_id=self.bureau)))
        elif self.bureau_name:
            measures = measures.filter(Exists(_responsible(bureau__name__icontains=self.bureau_name)))
        if self.q:
            measures = measures.filter(Q(title__icontains=self.q) | Q(text__icontains=self.q) | Q(section=self.q))
        if self.status == NOT_REPORTED:
            measures = measures.filter(~Exists(MeasureUpdate.objects.filter(measure=OuterRef("pk"))))
        elif self.status:
            measures = measures.alias(filter_status=_latest("status__code")).filter(filter_status=self.status)
        if self.deadline:
            state = _overdue(today) | _due_soon(today)
            if self.deadline != "none":
                state = _overdue(today) if self.deadline == "overdue" else _due_soon(today)
            measures = _with_completed(measures)
            measures = measures.exclude(state) if self.deadline == "none" else measures.filter(state)
        return measures


def measure_filters_from_query(query: dict[str, str]) -> tuple[MeasureFilters, Bureau | None]:
    """The filters and the bureau picked by id. The form sends the picked id (set by the
    suggestion script) next to the typed text; when the text no longer names that bureau, the
    text was edited (without the script to clear the id), and the text wins."""
    filters = MeasureFilters.from_query(query)
    bureau = Bureau.objects.select_related("city").filter(pk=filters.bureau).first() if filters.bureau else None
    if bureau is None or ("bureau_name" in query and not filters.bureau_name.endswith(bureau.name)):
        return replace(filters, bureau=None), None
    return replace(filters, bureau_name=""), bureau


def _responsible(**lookup: object) -> QuerySet[MeasureResponsibility]:
    return MeasureResponsibility.objects.filter(measure=OuterRef("pk"), **lookup)


def _latest(field: str) -> Subquery:
    latest = MeasureUpdate.objects.filter(measure=OuterRef("pk")).order_by("-created_at", "-id")
    return Subquery(latest.values(field)[:1])


def _with_completed(measures: QuerySet[Measure]) -> QuerySet[Measure]:
    if "filter_completed" in measures.query.annotations:
        return measures
    return measures.alias(filter_completed=Coalesce(_latest("status__is_completed"), False))


# The SQL form of the deadline rule (measures.deadlines), on `_with_completed` rows.
def _overdue(today: dt.date) -> Q:
    return deadline_state_q(DeadlineState.OVERDUE, today=today, completed="filter_completed")


def _due_soon(today: dt.date) -> Q:
    return deadline_state_q(DeadlineState.DUE_SOON, today=today, completed="filter_completed")


def filtered_measures(filters: MeasureFilters, today: dt.date | None = None) -> QuerySet[Measure]:
    """Measures passing the filters, in plan order, without per-row annotations: count it and
    slice it in the database, then build rows for one page with `measure_rows`."""
    today = today or timezone.localdate()
    return filters.apply(Measure.objects.all(), today).order_by("plan__city__code", "plan__issued", "position", "pk")


def overdue_count(measures: QuerySet[Measure], today: dt.date | None = None) -> int:
    """How many of the measures are overdue: the latest update is looked up only for
    measures past their deadline."""
    today = today or timezone.localdate()
    return _with_completed(measures.filter(deadline__lt=today)).filter(_overdue(today)).count()


def measure_rows(measures: QuerySet[Measure], today: dt.date | None = None) -> list[Measure]:
    """The measures in their order, with their latest update, deadline state, plan, city,
    sector and bureaus (lead first)."""
    rows = (
        with_latest_update(measures)
        .select_related("plan__city", "sector")
        .prefetch_related(lead_first(MeasureResponsibility))
    )
    return deadline_states(rows, today)


def measure_rows_by_id(ids: list[int], today: dt.date | None = None) -> list[Measure]:
    """`measure_rows` for one page of ids, in the order given."""
    by_id = {measure.pk: measure for measure in measure_rows(Measure.objects.filter(pk__in=ids), today)}
    return [by_id[pk] for pk in ids if pk in by_id]


def measure_list(filters: MeasureFilters, today: dt.date | None = None) -> list[Measure]:
    """Every measure passing the filters, as rows (for exports, which hold them all)."""
    return measure_rows(filtered_measures(filters, today), today)


def measure_detail(pk: int, today: dt.date | None = None) -> Measure:
    """One measure with its bureaus (lead first), linked targets, children and update timeline.

    Raises Measure.DoesNotExist."""
    measure = (
        Measure.objects.select_related("plan__city", "sector", "parent")
        .prefetch_related(
            lead_first(MeasureResponsibility),
            "children",
            "targets__indicator",
            Prefetch(
                "updates",
                queryset=MeasureUpdate.objects.select_related("status", "created_by__bureau").order_by(
                    "-created_at", "-id"
                ),
                to_attr="timeline",
            ),
        )
        .get(pk=pk)
    )
    completed = bool(measure.timeline) and measure.timeline[0].status.is_completed
    measure.deadline_state = deadline_status(measure.deadline, completed, today or timezone.localdate())
    return measure
