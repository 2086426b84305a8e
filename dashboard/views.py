"""Dashboard pages. Thin: each gathers selector results and renders.

The heavy parts of a page are wrapped in `{% cache %}` in its template, keyed on the data version
(config.data_version). Their context values are lazy, so a cached fragment runs no queries.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject

from dashboard.access import dashboard_access
from dashboard.charts import STATUS_COLOURS, target_figure
from dashboard.progress_selectors import (
    STATUSES,
    CityFilters,
    bureaus_by_overdue,
    city_measures,
    city_summaries,
    city_target_rows,
    current_snapshots,
    sector_status_grid,
)
from dashboard.selectors import plan_measures, plan_targets, plans_with_counts
from reporting.frames import observation_frame
from reporting.models import Observation, ProgressSnapshot
from reporting.status_selectors import completeness_by_bureau, indicator_reporting_context
from targets.models import Bureau, City, Plan, Sector, Target

STATUS_LABELS = [(s, ProgressSnapshot.Status(s).label, STATUS_COLOURS[s]) for s in STATUSES]


@dashboard_access
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "cities": SimpleLazyObject(city_summaries),
        "plans": SimpleLazyObject(lambda: list(plans_with_counts())),
        "statuses": STATUS_LABELS,
    }
    return render(request, "dashboard/home.html", context)


@dashboard_access
def city_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    city = get_object_or_404(City, code=code)
    filters = CityFilters.from_query(request.GET.dict())
    rows = SimpleLazyObject(lambda: city_target_rows(city, filters))
    measures = SimpleLazyObject(lambda: city_measures(city))
    context = {
        "city": city,
        "filters": filters,
        "rows": rows,
        "summary": SimpleLazyObject(
            lambda: [(s, label, colour, sum(r.status == s for r in rows)) for s, label, colour in STATUS_LABELS]
        ),
        "grid": SimpleLazyObject(lambda: sector_status_grid(rows)),
        "statuses": STATUS_LABELS,
        "overdue": SimpleLazyObject(lambda: measures["overdue"]),
        "due_soon": SimpleLazyObject(lambda: measures["due_soon"]),
        "bureau_ranking": SimpleLazyObject(lambda: bureaus_by_overdue(measures["overdue"])),
        "plans": Plan.objects.filter(city=city),
        "sectors": Sector.objects.all(),
        "bureaus": Bureau.objects.filter(city=city).order_by("name"),
        # reporting/_completeness.html: who has reported, by bureau.
        "completeness": SimpleLazyObject(lambda: completeness_by_bureau(city=city)),
        "years": SimpleLazyObject(
            lambda: sorted(set(Target.objects.filter(plan__city=city).values_list("target_year", flat=True)))
        ),
    }
    return render(request, "dashboard/city.html", context)


@dashboard_access
def target_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(
        Target.objects.select_related("plan__city", "indicator__sector").prefetch_related("responsibilities__bureau"),
        pk=pk,
    )
    context = {"target": target, "page": SimpleLazyObject(lambda: _target_page(target))}
    return render(request, "dashboard/target.html", context)


def _target_page(target: Target) -> dict[str, Any]:
    snapshot = current_snapshots([target.pk]).get(target.pk)
    frame = observation_frame([target.indicator_id]).sort_values("t")
    observations = list(zip(frame["t"], frame["value"], frame["period"].astype(str), strict=True))
    siblings = list(Target.objects.filter(indicator=target.indicator).select_related("plan").order_by("target_year"))
    status = snapshot.status if snapshot else ProgressSnapshot.Status.NO_DATA
    return {
        "snapshot": snapshot,
        "status_label": ProgressSnapshot.Status(status).label,
        "status_colour": STATUS_COLOURS[status],
        "figure": target_figure(target, snapshot, observations, siblings),
        "siblings": [t for t in siblings if t.pk != target.pk],
        "entries": Observation.history.filter(indicator_id=target.indicator_id)
        .select_related("history_user")
        .order_by("-history_date")[:50],
        "has_data": bool(observations),
        # reporting/_target_reporting.html: the indicator code, who reports it, values pending review.
        **indicator_reporting_context(indicator=target.indicator),
    }


@dashboard_access
def plan_detail(request: HttpRequest, code: str) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("city"), code=code)
    context = {"plan": plan, "targets": plan_targets(plan), "measures": plan_measures(plan)}
    return render(request, "dashboard/plan_detail.html", context)
