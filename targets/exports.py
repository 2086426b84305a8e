"""Flat records of targets for the export commands, the city filter they share, and the
JSON/CSV rendering of such records (measures.exports and reporting.progress_exports add theirs)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from targets.models import City, Target, TargetResponsibility
from targets.querysets import lead_first

TARGET_FIELDS = [
    "id",
    "city",
    "plan",
    "sector",
    "indicator",
    "indicator_code",
    "kind",
    "comparator",
    "value",
    "unit",
    "target_year",
    "period_start",
    "baseline_year",
    "strive",
    "section",
    "source_text",
    "bureaus",
]


def city_filter(name: str | None, prefix: str = "plan__city__") -> Q:
    """Match a city by its Chinese name (淄博), English name or code."""
    if not name:
        return Q()
    return Q(**{f"{prefix}name": name}) | Q(**{f"{prefix}code": name.lower()}) | Q(**{f"{prefix}name_en__iexact": name})


def known_city(name: str) -> bool:
    return City.objects.filter(city_filter(name, prefix="")).exists()


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    normalized = value.normalize()
    return int(normalized) if normalized == normalized.to_integral_value() else float(normalized)


def target_records(city: str | None = None) -> Iterator[dict[str, Any]]:
    responsibilities = lead_first(TargetResponsibility)
    targets: QuerySet[Target] = (
        Target.objects.filter(city_filter(city))
        .select_related("plan__city", "indicator__sector")
        .prefetch_related(responsibilities)
        .order_by("plan__city__code", "plan__issued", "position")
    )
    for target in targets:
        relative = target.kind in (Target.Kind.CHANGE, Target.Kind.ANNUAL_GROWTH)
        yield {
            "id": target.pk,
            "city": target.plan.city.name,
            "plan": target.plan.document_number,
            "sector": target.indicator.sector.code,
            "indicator": target.indicator.name,
            "indicator_code": target.indicator.code,
            "kind": target.kind,
            "comparator": target.comparator or None,
            "value": _number(target.value),
            # the unit of `value`: relative targets are stated in percent of the baseline
            "unit": "%" if relative else ("" if target.kind == Target.Kind.QUALITATIVE else target.indicator.unit),
            "target_year": target.target_year,
            "period_start": target.period_start,
            "baseline_year": target.baseline_year,
            "strive": target.strive,
            "section": target.section,
            "source_text": target.source_text,
            "bureaus": [r.bureau.name for r in target.responsibilities.all()],
        }
