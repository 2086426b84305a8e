"""One sector in every city side by side; indicators sharing a common code on one chart."""

from __future__ import annotations

from collections import defaultdict

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from dashboard.access import dashboard_access
from dashboard.charts import figure, scatter
from dashboard.progress_selectors import TargetRow, target_rows
from dashboard.units import unit_label
from reporting.frames import observation_frame
from targets.models import City, Sector, Target

CITY_COLOURS = ["#0969da", "#cf222e", "#1a7f37", "#8250df", "#bf8700", "#57606a"]


@dashboard_access
def sector_view(request: HttpRequest, code: str) -> HttpResponse:
    sector = get_object_or_404(Sector, code=code)
    # Lazy, so a page whose body is cached (see the template) runs none of these queries.
    data = SimpleLazyObject(lambda: _sector_data(sector))
    context = {
        "sector": sector,
        "sectors": Sector.objects.all(),
        "columns": SimpleLazyObject(lambda: data["columns"]),
        "charts": SimpleLazyObject(lambda: data["charts"]),
    }
    return render(request, "dashboard/sector.html", context)


def _sector_data(sector: Sector) -> dict[str, list]:
    targets = list(
        Target.objects.filter(indicator__sector=sector)
        .select_related("plan__city", "indicator")
        .order_by("indicator__code", "plan__city__code", "target_year")
    )
    by_city: dict[City, list[TargetRow]] = defaultdict(list)
    by_code: dict[str, list[Target]] = defaultdict(list)
    for row in target_rows(targets):
        by_city[row.target.plan.city].append(row)
        by_code[row.target.indicator.code].append(row.target)
    frame = observation_frame(sorted({t.indicator_id for t in targets})) if targets else None
    charts = []
    for index, (_code, group) in enumerate(sorted(by_code.items())):
        cities = {t.plan.city for t in group}
        if len(cities) < 2 or frame is None:
            continue  # a chart compares cities; one city's indicator has its own target page
        charts.append(
            {"id": f"sector-{index}", "figure_id": f"sector-{index}-figure", "title": group[0].indicator.name,
             "figure": _comparison(group, frame)}
        )  # fmt: skip
    return {"columns": sorted(by_city.items(), key=lambda item: item[0].code), "charts": charts}


def _comparison(targets: list[Target], frame) -> dict:  # type: ignore[no-untyped-def]
    traces: list[dict] = []
    cities = sorted({t.plan.city for t in targets}, key=lambda c: c.code)
    for number, city in enumerate(cities):
        colour = CITY_COLOURS[number % len(CITY_COLOURS)]
        mine = [t for t in targets if t.plan.city == city]
        series = frame[frame["indicator_id"] == mine[0].indicator_id].sort_values("t")
        if len(series):
            traces.append(scatter(x=series["t"].tolist(), y=series["value"].tolist(), mode="lines+markers",
                                  name=city.name, line={"color": colour}))  # fmt: skip
        levels = [t for t in mine if t.kind == Target.Kind.LEVEL and t.value is not None]
        if levels:
            marker = {"symbol": "star", "size": 13, "color": colour}
            traces.append(
                scatter(x=[t.target_year for t in levels], y=[float(t.value) for t in levels], mode="markers",
                        name=_("%(city)s 目标") % {"city": city.name}, marker=marker)
            )  # fmt: skip
    return figure(traces, height=320, y_title=unit_label(targets[0].indicator.unit))
