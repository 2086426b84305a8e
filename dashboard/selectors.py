"""Reads for the dashboard pages."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from targets.models import Plan


def plans_with_counts() -> QuerySet[Plan]:
    return (
        Plan.objects.select_related("city")
        .annotate(target_count=Count("targets", distinct=True), measure_count=Count("measures", distinct=True))
        .order_by("city__code", "issued")
    )
