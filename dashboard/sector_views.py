"""One sector in every city: the spread of statuses across cities, the leading and lagging
cities per indicator, and line charts for a handful of cities (all of them when few)."""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from accounts.access import dashboard_access
from dashboard.progress_slots import PageProgress, TargetProgress
from dashboard.sector_selectors import IndicatorGroup, SectorData, all_sectors, sector_data, shown_observations
from reporting.charts import city_colour, figure, scatter, status_bars, wrap_label
from reporting.statuses import STATUSES
from reporting.templatetags.labels import language_name, local_name
from targets.names import english_active, name_in_language
from targets.units import unit_label

PICKED_CITIES = 8


@dashboard_access
def sector_view(request: HttpRequest, code: str) -> HttpResponse:
    sectors = all_sectors()
    sector = next((s for s in sectors if s.code == code), None)
    if sector is None:
        raise Http404
    picked = tuple(sorted({c for c in request.GET.getlist("city") if c})[:PICKED_CITIES])
    # Lazy, so a page whose body is cached (see the template) runs none of these queries.
    # A proxy for the SectorData it builds on first use, so it is read as one.
    data = cast(SectorData, SimpleLazyObject(lambda: sector_data(sector, set(picked))))
    context = {
        "sector": sector,
        "sectors": sectors,
        "picked": picked,
        "data": data,
        "columns": SimpleLazyObject(lambda: data.columns),
        "column_progress": SimpleLazyObject(
            lambda: PageProgress(TargetProgress.of_rows(row for _city, rows in data.columns for row in rows))
        ),
        "spread": SimpleLazyObject(lambda: {"figure": _spread(data)}),
        "charts": SimpleLazyObject(lambda: _charts(data)),
        "city_options": SimpleLazyObject(lambda: _city_options(data.cities, picked)),
        "sector_query": f"?sector={sector.code}",  # the city links open on this sector
    }
    return render(request, "dashboard/sector.html", context)


def _city_options(cities: list[Any], picked: tuple[str, ...]) -> str:
    """The picker's options, one per city (300 of them), joined here: a template loop would
    resolve each city's attributes through the template engine."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((city.code, " selected" if city.code in picked else "", local_name(city)) for city in cities),
    )


def _group_name(group: IndicatorGroup) -> str:
    return language_name(group.name, group.name_en)


def _spread(data: SectorData) -> dict | None:
    """Per indicator, how many cities stand at each status: the whole picture at any number of cities."""
    if not data.groups:
        return None
    names = [f"{wrap_label(_group_name(g))} ({g.year})" for g in data.groups]
    counts = {status: [g.counts[status] for g in data.groups] for status in STATUSES}
    return status_bars(names, counts, x_title=_("城市数"))


def _charts(data: SectorData) -> list[dict]:
    """A line chart per indicator for the cities it shows, drawn only where one of them has data."""
    observations = shown_observations(data.groups)
    english = english_active()  # read once: the charts name some seventy cities
    names: dict[int, str] = {}  # city id → its name, a city drawn on several charts named once
    target_name = _("%(city)s 目标")
    charts = []
    for index, group in enumerate(data.groups):
        traces: list[dict] = []
        for city in group.shown:
            series = observations.get(group.shown_rows[city.pk].indicator_id)
            if series is not None and series.t:
                name = names[city.pk] = names.get(city.pk) or name_in_language(city, english)
                traces.append(scatter(x=series.t, y=series.value, mode="lines+markers", name=name,
                                      line={"color": city_colour(city.code)}, legendgroup=city.code))  # fmt: skip
        if traces:  # a chart without a line would be an empty frame
            for city in group.shown:
                years, levels = group.levels[city.pk]  # of its level targets
                if levels:
                    name = names[city.pk] = names.get(city.pk) or name_in_language(city, english)
                    traces.append(
                        scatter(x=years, y=levels, mode="markers",
                                name=target_name % {"city": name}, legendgroup=city.code,
                                marker={"symbol": "star", "size": 13, "color": city_colour(city.code)})
                    )  # fmt: skip
        charts.append(
            {"group": group, "id": f"sector-{index}", "figure_id": f"sector-{index}-figure",
             "title": _group_name(group),
             "figure": figure(traces, height=320, y_title=unit_label(group.unit)) if traces else None}
        )  # fmt: skip
    return charts
