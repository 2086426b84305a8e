"""Reads for the measure pages: a filtered list and one measure with its timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from measures.models import Measure, MeasureResponsibility, MeasureUpdate
from measures.selectors import deadline_states, deadline_status, with_latest_update
from targets.querysets import lead_first

DEADLINE_STATES = ("overdue", "due_soon", "none")
# Reported-status filter value for measures nobody has reported on yet.
NOT_REPORTED = "not_reported"


@dataclass(frozen=True)
class MeasureFilters:
    city: str = ""
    plan: str = ""
    sector: str = ""
    bureau: int | None = None
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
            status=query.get("status", "").strip(),
            deadline=deadline if deadline in DEADLINE_STATES else "",
            q=query.get("q", "").strip()[:100],
        )

    def is_active(self) -> bool:
        return any((self.city, self.plan, self.sector, self.bureau, self.status, self.deadline, self.q))

    def apply(self, measures: QuerySet[Measure]) -> QuerySet[Measure]:
        if self.city:
            measures = measures.filter(plan__city__code=self.city)
        if self.plan:
            measures = measures.filter(plan__code=self.plan)
        if self.sector:
            measures = measures.filter(sector__code=self.sector)
        if self.bureau:
            measures = measures.filter(responsibilities__bureau_id=self.bureau)
        if self.q:
            measures = measures.filter(Q(title__icontains=self.q) | Q(text__icontains=self.q) | Q(section=self.q))
        if self.status == NOT_REPORTED:
            measures = measures.filter(latest_status__isnull=True)
        elif self.status:
            measures = measures.filter(latest_status=self.status)
        return measures


def measure_list(filters: MeasureFilters, today: dt.date | None = None) -> list[Measure]:
    """Measures passing the filters, with latest update and deadline state, in plan order."""
    measures = filters.apply(with_latest_update(Measure.objects.all())).distinct()
    rows = deadline_states(
        measures.select_related("plan__city", "sector")
        .prefetch_related(lead_first(MeasureResponsibility))
        .order_by("plan__city__code", "plan__issued", "position"),
        today,
    )
    if filters.deadline == "none":
        return [m for m in rows if not m.deadline_state]
    if filters.deadline:
        return [m for m in rows if m.deadline_state == filters.deadline]
    return rows


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
