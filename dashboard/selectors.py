"""Reads for the dashboard pages."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from measures.models import Measure, MeasureResponsibility
from targets.models import Plan, Target, TargetResponsibility
from targets.querysets import lead_first


def plans_with_counts() -> QuerySet[Plan]:
    return (
        Plan.objects.select_related("city")
        .annotate(target_count=Count("targets", distinct=True), measure_count=Count("measures", distinct=True))
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
