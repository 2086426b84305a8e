"""Measure pages: the filtered list and one measure with the timeline of its updates."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dashboard.access import dashboard_access
from dashboard.measure_selectors import NOT_REPORTED, MeasureFilters, measure_detail, measure_list
from dashboard.progress_selectors import current_snapshots
from measures.models import Measure, MeasureStatus
from targets.models import Bureau, City, Plan, Sector

PAGE_SIZE = 50


@dashboard_access
def measure_index(request: HttpRequest) -> HttpResponse:
    filters = MeasureFilters.from_query(request.GET.dict())
    rows = measure_list(filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    bureaus = Bureau.objects.select_related("city").order_by("city__code", "name")
    plans = Plan.objects.select_related("city").order_by("city__code", "issued")
    if filters.city:
        bureaus = bureaus.filter(city__code=filters.city)
        plans = plans.filter(city__code=filters.city)
    context = {
        "filters": filters,
        "page": page,
        "measures": page.object_list,
        "total": len(rows),
        "overdue_count": sum(m.deadline_state == "overdue" for m in rows),
        "query": query.urlencode(),
        "cities": City.objects.order_by("code"),
        "plans": plans,
        "sectors": Sector.objects.all(),
        "bureaus": bureaus,
        "statuses": MeasureStatus.objects.all(),
        "not_reported": NOT_REPORTED,
    }
    return render(request, "dashboard/measures.html", context)


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
