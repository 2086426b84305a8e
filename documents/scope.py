"""What an export holds: the rows a list page shows, read with the page's own selectors.

Each list page (a city's dashboard with its filters, a plan, a bureau, a sector, the measures
list with its filters) has a scope here. The exports of a page hold what the page lists: its
targets with their current status, its measures, and the observations of its targets'
indicators.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from django.db.models import Model, QuerySet, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404

from documents.tables import BureauPart
from measures.list_selectors import MeasureFilters, measure_filters_from_query, measure_list
from measures.models import MeasureResponsibility
from reporting.models import Observation
from reporting.progress_selectors import CityFilters, TargetRow, city_target_rows, target_rows
from targets.models import Bureau, City, Plan, Role, Sector, Target, TargetResponsibility
from targets.querysets import responsibilities_lead_first

if TYPE_CHECKING:
    from measures.selectors import MeasureWithLatest


@dataclass
class ExportScope:
    slug: str  # ASCII, for file names
    target_rows: list[TargetRow] | None  # None: the page lists no targets (the measures list)
    # Read only by the exports that hold measures: a list of targets alone does not build them.
    measure_rows: Callable[[], list[MeasureWithLatest]]

    @cached_property
    def measures(self) -> list[MeasureWithLatest]:
        return self.measure_rows()

    @property
    def has_targets(self) -> bool:
        return self.target_rows is not None

    @cached_property
    def target_bureaus(self) -> dict[int, list[BureauPart]]:
        """Each listed target's bureaus, the lead first (`target_bureaus`)."""
        return target_bureaus([row.target.pk for row in self.target_rows or []])

    @cached_property
    def measure_bureaus(self) -> dict[int, list[BureauPart]]:
        """Each listed measure's bureaus, the lead first (`measure_bureaus`)."""
        return measure_bureaus([measure.pk for measure in self.measures])

    def observations(self) -> QuerySet[Observation]:
        indicators = {row.target.indicator_id for row in self.target_rows or []}
        return (
            Observation.objects.filter(indicator_id__in=indicators)
            .select_related("indicator__city")
            .order_by("indicator__city__code", "indicator__code", "period_end")
        )


def target_bureaus(target_ids: list[int]) -> dict[int, list[BureauPart]]:
    """target id → its bureaus, the lead first (`_bureaus_of`)."""
    return _bureaus_of(TargetResponsibility, "target", target_ids)


def measure_bureaus(measure_ids: list[int]) -> dict[int, list[BureauPart]]:
    """measure id → its bureaus, the lead first (`_bureaus_of`)."""
    return _bureaus_of(MeasureResponsibility, "measure", measure_ids)


def _bureaus_of(model: type[Model], owner: str, ids: list[int]) -> dict[int, list[BureauPart]]:
    """Each item's bureaus, the lead first, read as values: a sector's export names some 8,000
    and the measures list's 36,000, which as model instances (responsibilities and their
    bureaus) took a tenth of a sector workbook and three seconds of the measures workbook."""
    bureaus: dict[int, list[BureauPart]] = {}
    rows = responsibilities_lead_first(model).filter(**{f"{owner}_id__in": ids})
    for item, name, name_en, role in rows.values_list(f"{owner}_id", "bureau__name", "bureau__name_en", "role"):
        bureaus.setdefault(item, []).append((name, name_en, role == Role.LEAD))
    return bureaus


def _with_cities(rows: list[TargetRow]) -> list[TargetRow]:
    # city_target_rows selects the plan only, and every row names its city.
    prefetch_related_objects([row.target for row in rows], "plan__city")
    return rows


def city_scope(code: str, query: dict[str, str]) -> ExportScope:
    """The city dashboard, with the same filters (plan, sector, year, bureau, status)."""
    city = get_object_or_404(City, code=code)
    filters = CityFilters.from_query(query)
    measures = MeasureFilters(city=city.code, plan=filters.plan, sector=filters.sector, bureau=filters.bureau)
    return ExportScope(
        slug=city.code,
        target_rows=_with_cities(city_target_rows(city, filters)),
        measure_rows=lambda: measure_list(measures),
    )


def plan_scope(code: str, query: dict[str, str]) -> ExportScope:
    plan = get_object_or_404(Plan, code=code)
    targets = plan.targets.select_related("plan__city", "indicator__sector").order_by("position", "pk")
    return ExportScope(
        slug=f"plan-{plan.code}",
        target_rows=_with_cities(target_rows(list(targets))),
        measure_rows=lambda: measure_list(MeasureFilters(plan=plan.code)),
    )


def bureau_scope(key: str, query: dict[str, str]) -> ExportScope:
    if not key.isdigit():
        raise Http404("bureau ids are numbers")
    bureau = get_object_or_404(Bureau, pk=int(key))
    targets = (
        Target.objects.filter(responsibilities__bureau=bureau)
        .select_related("plan__city", "indicator__sector")
        .order_by("plan__issued", "position")
        .distinct()
    )
    return ExportScope(
        slug=f"bureau-{bureau.pk}",
        target_rows=_with_cities(target_rows(list(targets))),
        measure_rows=lambda: measure_list(MeasureFilters(bureau=bureau.pk)),
    )


def sector_scope(code: str, query: dict[str, str]) -> ExportScope:
    sector = get_object_or_404(Sector, code=code)
    targets = (
        Target.objects.filter(indicator__sector=sector)
        .select_related("plan__city", "indicator__sector")
        .order_by("indicator__code", "plan__city__code", "target_year")
    )
    return ExportScope(
        slug=f"sector-{sector.code}",
        target_rows=_with_cities(target_rows(list(targets))),
        measure_rows=lambda: measure_list(MeasureFilters(sector=sector.code)),
    )


def measures_scope(query: dict[str, str]) -> ExportScope:
    """The measures list, with its filters (city, plan, sector, bureau, status, deadline, q)."""
    filters, _bureau, _errors = measure_filters_from_query(query)
    return ExportScope(slug="measures", target_rows=None, measure_rows=lambda: measure_list(filters))


SCOPES = {"cities": city_scope, "plans": plan_scope, "bureaus": bureau_scope, "sectors": sector_scope}
