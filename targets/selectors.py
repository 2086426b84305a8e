"""Reads of plan data that more than one entry point needs."""

from __future__ import annotations

from django.db import DatabaseError

from targets.models import Bureau


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
