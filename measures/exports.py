"""Flat records of measures for the `export_measures` command."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from measures.models import Measure, MeasureResponsibility
from targets.exports import city_filter
from targets.querysets import lead_first

MEASURE_FIELDS = ["id", "city", "plan", "section", "title", "text", "sector", "deadline", "bureaus"]


def measure_records(city: str | None = None) -> Iterator[dict[str, Any]]:
    responsibilities = lead_first(MeasureResponsibility)
    measures = (
        Measure.objects.filter(city_filter(city))
        .select_related("plan__city", "sector")
        .prefetch_related(responsibilities)
        .order_by("plan__city__code", "plan__issued", "position")
    )
    for measure in measures:
        yield {
            "id": measure.pk,
            "city": measure.plan.city.name,
            "plan": measure.plan.document_number,
            "section": measure.section,
            "title": measure.title,
            "text": measure.text,
            "sector": measure.sector.code,
            "deadline": measure.deadline.isoformat() if measure.deadline else None,
            "bureaus": [r.bureau.name for r in measure.responsibilities.all()],
        }
