"""Reads of plan data that more than one entry point needs."""

from __future__ import annotations

from django.db import DatabaseError
from django.db.models import Count, QuerySet

from targets.models import Bureau, Plan


def known_bureau_names(city_code: str) -> dict[str, str]:
    """Every stored name and alias of the city's bureaus → the bureau's name, for the plan
    drafter; empty when the database is not set up (drafting needs none)."""
    names: dict[str, str] = {}
    try:
        rows = list(Bureau.objects.filter(city__code=city_code).values_list("name", "aliases"))
    except DatabaseError:
        return names
    for name, aliases in rows:
        names[name] = name
        names.update({alias: name for alias in aliases or []})
    return names


def plans_with_counts() -> QuerySet[Plan]:
    return (
        Plan.objects.select_related("city")
        .annotate(target_count=Count("targets", distinct=True), measure_count=Count("measures", distinct=True))
        .order_by("city__code", "issued")
    )
