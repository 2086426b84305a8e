"""Reads for the dashboard pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet, prefetch_related_objects

from config.data_version import plan_cached
from measures.models import Measure, MeasureResponsibility
from targets.models import IndicatorReporting, Plan, Target, TargetResponsibility
from targets.querysets import lead_first


def plan_targets(plan: Plan) -> QuerySet[Target]:
    return (
        plan.targets.select_related("indicator__sector")
        .prefetch_related(lead_first(TargetResponsibility))
        .order_by("position", "pk")
    )


def plan_measures(plan: Plan) -> QuerySet[Measure]:
    return (
        plan.measures.select_related("sector")
        .prefetch_related(lead_first(MeasureResponsibility))
        .order_by("position", "pk")
    )


@dataclass
class TargetPlanData:
    """What a target's page shows of the plans besides the target itself: who answers for it
    (the lead first), every target of its indicator (itself included, by target year) and who
    reports the indicator's values."""

    responsibilities: list[TargetResponsibility]
    targets_of_indicator: list[Target]
    reporting: IndicatorReporting | None


def target_plan_data(target: Target) -> TargetPlanData:
    """Read once per plan version of the target's city: a change of progress reads none of it."""
    return plan_cached(f"target-plan-data:{target.pk}", lambda: _target_plan_data(target), city=target.plan.city_id)


def _target_plan_data(target: Target) -> TargetPlanData:
    prefetch_related_objects([target], lead_first(TargetResponsibility))
    return TargetPlanData(
        responsibilities=list(target.responsibilities.all()),
        targets_of_indicator=list(
            Target.objects.filter(indicator_id=target.indicator_id).select_related("plan").order_by("target_year")
        ),
        reporting=IndicatorReporting.objects.filter(indicator_id=target.indicator_id).select_related("bureau").first(),
    )
