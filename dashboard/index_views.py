"""Index pages: every sector, and every bureau (by city, paginated in the database)."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import dashboard_access
from targets.models import Bureau, City, Sector

BUREAUS_PER_PAGE = 50


@dashboard_access
def sector_index(request: HttpRequest) -> HttpResponse:
    sectors = Sector.objects.annotate(
        target_count=Count("indicators__targets", distinct=True),
        measure_count=Count("measures", distinct=True),
    ).order_by("position", "code")
    return render(request, "dashboard/sector_index.html", {"sectors": sectors})


@dashboard_access
def bureau_index(request: HttpRequest) -> HttpResponse:
    city_code = request.GET.get("city", "").replace("\x00", "")  # PostgreSQL refuses NUL in a string
    bureaus = Bureau.objects.select_related("city").order_by("city__code", "name")
    if city_code:
        bureaus = bureaus.filter(city__code=city_code)
    # Counted per page only: the annotation runs on the page's rows, not every bureau.
    page = Paginator(bureaus, BUREAUS_PER_PAGE).get_page(request.GET.get("page"))
    ids = [b.pk for b in page.object_list]
    counts = {
        row["pk"]: row
        for row in Bureau.objects.filter(pk__in=ids)
        .annotate(target_count=Count("targets", distinct=True), measure_count=Count("measures", distinct=True))
        .values("pk", "target_count", "measure_count")
    }
    rows: list[tuple[Bureau, Mapping[str, object]]] = [
        (bureau, counts.get(bureau.pk, {})) for bureau in page.object_list
    ]
    context = {"page": page, "rows": rows, "cities": City.objects.order_by("code"), "city_code": city_code}
    return render(request, "dashboard/bureau_index.html", context)
