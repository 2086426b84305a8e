"""Reads for the dashboard pages."""

from __future__ import annotations

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from measures.models import Measure, MeasureResponsibility
from targets.models import Plan, Target, TargetResponsibility
from targets.querysets import lead_first


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


def plan_targets(plan: Plan) -> QuerySet[Target]:
    return (
        plan.targets.select_related("indicator__sector")
        .prefetch_related(lead_first(TargetResponsibility))
        .order_by("position")
    )


def plan_measures(plan: Plan) -> QuerySet[Measure]:
    return (
        plan.measures.select_related("sector").prefetch_related(lead_first(MeasureResponsibility)).order_by("position")
    )
