"""Measure pages: the filtered list and one measure with the timeline of its updates."""

from __future__ import annotations

import hashlib
from functools import cached_property, partial
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from accounts.access import dashboard_access
from config.data_version import plan_cached
from dashboard.progress_slots import MeasureProgress, PageProgress
from measures.filters import NOT_REPORTED
from measures.list_selectors import (
    MeasureFilters,
    filtered_measures,
    measure_detail,
    measure_filters_from_query,
    measure_rows_by_id,
    overdue_count,
)
from measures.models import Measure, MeasureStatus
from reporting.context_processors import PageVersion
from reporting.progress_selectors import current_snapshots
from reporting.templatetags.labels import local_name
from targets.models import Bureau, City, Plan, Sector

if TYPE_CHECKING:
    pass

PAGE_SIZE = 50
SUGGESTIONS = 20


class Listing:
    """One page of the measure list, each part read when the template first asks for it: the
    rows' plan text only when its fragment is not cached, the progress (latest reports, deadline
    states, the overdue count) whenever the page is not."""

    def __init__(self, filters: MeasureFilters, page_number: str | None) -> None:
        self.filters = filters
        self.page_number = page_number

    @cached_property
    def measures_query(self) -> QuerySet[Measure]:
        return filtered_measures(self.filters)

    @cached_property
    def page(self) -> Page:
        ids = self.measures_query.values_list("pk", flat=True)
        if self.filters.picks_by_progress():
            # Paginate the ids in the database, then build the rows of this page only.
            return Paginator(ids, PAGE_SIZE).get_page(self.page_number)
        # Which measures pass the other filters, and in what order, is plan data: the ids are
        # kept on the plan version, so a change of progress costs no count and no id query.
        key = hashlib.sha256(repr(self.filters).encode()).hexdigest()[:32]
        return Paginator(plan_cached(f"measure-ids:{key}", partial(list, ids)), PAGE_SIZE).get_page(self.page_number)

    @cached_property
    def total(self) -> int:
        return self.page.paginator.count

    @cached_property
    def measures(self) -> list[Measure]:
        return measure_rows_by_id(list(self.page.object_list))

    @cached_property
    def overdue_count(self) -> int:
        return overdue_count(self.measures_query)

    @cached_property
    def progress(self) -> PageProgress:
        return PageProgress(measures=MeasureProgress.of(Measure.objects.filter(pk__in=list(self.page.object_list))))


@dashboard_access
def measure_index(request: HttpRequest) -> HttpResponse:
    filters, bureau, errors = measure_filters_from_query(request.GET.dict())
    query = request.GET.copy()
    query.pop("page", None)
    version = PageVersion(request)
    context = {
        "filters": filters,
        "filter_errors": errors,
        "page_number": request.GET.get("page", "1")[:10],
        # Lazy: read only when the page body is not in the cache.
        "listing": Listing(filters, request.GET.get("page")),
        # The rows' plan text outlives changes of progress, unless progress picked the rows.
        "text_version": str(version) if filters.picks_by_progress() else version.plan,
        "query": query.urlencode(),
        "cities": City.objects.order_by("code").values("code", "name", "name_en"),
        # A plan is picked within a city: all plans of all cities would be a list of hundreds.
        "plans": Plan.objects.filter(city__code=filters.city).order_by("issued") if filters.city else None,
        "sectors": Sector.objects.all(),
        "bureau": bureau,
        "statuses": MeasureStatus.objects.all(),
        "not_reported": NOT_REPORTED,
    }
    return render(request, "dashboard/measures.html", context)


@dashboard_access
def bureau_suggestions(request: HttpRequest) -> JsonResponse:
    """Bureaus whose name contains `q` (within `city` when given), for the measure list's
    search-as-you-type bureau field: at most SUGGESTIONS, cities' own names first."""
    text = request.GET.get("q", "").strip()[:100]
    if not text:
        return JsonResponse({"results": []})
    bureaus = Bureau.objects.filter(name__icontains=text).select_related("city").order_by("city__code", "name")
    city = request.GET.get("city", "").strip()
    if city:
        bureaus = bureaus.filter(city__code=city)
    results = [
        {"id": b.pk, "label": b.name if city else f"{local_name(b.city)} · {b.name}"} for b in bureaus[:SUGGESTIONS]
    ]
    return JsonResponse({"results": results})


@dashboard_access
def measure_page(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        measure = measure_detail(pk)
    except Measure.DoesNotExist:
        raise Http404 from None
    targets = list(measure.targets.all())
    snapshots = current_snapshots([t.pk for t in targets])
    context = {
        "measure": measure,
        "linked_targets": [(t, snapshots.get(t.pk)) for t in targets],
        "latest": measure.timeline[0] if measure.timeline else None,
        "can_update": Measure.objects.editable_by(request.user).filter(pk=pk).exists(),
    }
    return render(request, "dashboard/measure.html", context)
