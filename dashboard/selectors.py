"""Reads for the dashboard pages."""

from __future__ import annotations

from django.db.models import QuerySet

from measures.models import Measure, MeasureResponsibility
from targets.models import Plan, Target, TargetResponsibility
from targets.querysets import lead_first


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
