"""Dashboard pages. Thin: each gathers selector results and renders.

The heavy parts of a page are wrapped in `{% cache %}` in its template, keyed on the data version
(config.data_version). Their context values are lazy, so a cached fragment runs no queries.
"""

from __future__ import annotations

from functools import partial
from typing import Any, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.access import dashboard_access
from config.data_version import plan_cached
from dashboard.overview_selectors import Overview, OverviewFilters, city_directory, overview
from dashboard.progress_slots import MeasureProgress, PageProgress, TargetProgress, TargetRowProgress
from dashboard.row_urls import row_url
from dashboard.selectors import plan_measures, plan_targets, target_plan_data
from dashboard.templatetags.dashboard_tags import city_row_texts
from measures.selectors import bureaus_by_overdue, city_measures, plans_with_counts
from reporting.charts import status_bars, target_figure
from reporting.city_selectors import city_target_list, city_targets, sector_status_counts
from reporting.models import Observation, ProgressSnapshot
from reporting.progress_selectors import HEADLINE_YEARS, CityFilters, TargetRow, current_snapshots
from reporting.series import Series, observation_series
from reporting.status_selectors import completeness_by_bureau, pending_review
from reporting.statuses import STATUS_COLOURS, status_label, status_styles
from reporting.templatetags.labels import language_name, local_name
from targets.models import Bureau, City, Indicator, Plan, Sector, Target


@dashboard_access
def home(request: HttpRequest) -> HttpResponse:
    filters = OverviewFilters.from_query(request.GET.dict())
    data = cast(Overview, SimpleLazyObject(lambda: overview(filters)))  # a proxy for the Overview it builds
    context = {
        "filters": filters,
        "overview": data,
        "charts": SimpleLazyObject(lambda: _overview_charts(data)),
        "directory": SimpleLazyObject(_directory),
        "plans": SimpleLazyObject(lambda: list(plans_with_counts().filter(city__in=[s.city for s in data.cities]))),
        "statuses": status_styles(),
        "years": HEADLINE_YEARS,
        "year_labels": {year: _("%(year)s年目标") % {"year": year} for year in HEADLINE_YEARS},
        "measures_url": reverse("dashboard:measures"),
    }
    return render(request, "dashboard/home.html", context)


def _directory() -> list[dict]:
    """Every city by province, each a list of links joined here once: a template loop over 300
    cities would resolve each one's attributes through the template engine."""
    city_url = row_url("dashboard:city")
    return [
        {
            "group": group,
            "count": len(group.cities),
            "links": format_html_join(
                "",
                '<li><a href="{}">{}</a></li>',
                ((city_url(code), language_name(name, name_en)) for code, name, name_en in group.cities),
            ),
        }
        for group in city_directory()
    ]


def _overview_charts(data: Overview) -> list[dict]:
    """Per headline year, the cities on this page by status: at most a page of bars, readable."""
    charts = []
    names = [local_name(summary.city) for summary in data.cities]
    city_url = row_url("dashboard:city")
    for index, year in enumerate(HEADLINE_YEARS):
        counts = {
            style.code: [next(h for h in s.headlines if h.year == year).counts[style.code] for s in data.cities]
            for style in status_styles()
        }
        links = [city_url(s.city.code) + f"?target_year={year}" for s in data.cities]
        if names and any(any(values) for values in counts.values()):
            charts.append(
                {"id": f"overview-{index}", "figure_id": f"overview-{index}-figure", "year": year,
                 "figure": status_bars(names, counts, links=links)}
            )  # fmt: skip
    return charts


@dashboard_access
def city_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    city = plan_cached(f"city:{code}", lambda: City.objects.filter(code=code).first())  # plan data
    if city is None:
        raise Http404
    filters, filter_errors = CityFilters.parse(request.GET.dict())
    targets = SimpleLazyObject(lambda: city_targets(city, filters))
    measures = SimpleLazyObject(lambda: city_measures(city))
    status_links = {style.code: filters.query(status=style.code) for style in status_styles()}
    context = {
        "city": city,
        "filters": filters,
        "filter_errors": filter_errors,
        "targets": targets,
        "rows": SimpleLazyObject(lambda: targets.rows),
        # The target rows' plan text (on the city's plan version) and their progress, in slots.
        "row_texts": SimpleLazyObject(lambda: _city_row_texts(city, targets.all_rows)),
        "progress": SimpleLazyObject(lambda: TargetRowProgress.of(targets.rows, status_links)),
        "chart": SimpleLazyObject(lambda: {"figure": _city_chart(targets.all_rows, filters)}),
        "statuses": status_styles(),
        "status_name": status_label(filters.status) if filters.status else "",
        "overdue": SimpleLazyObject(lambda: measures["overdue"]),
        "due_soon": SimpleLazyObject(lambda: measures["due_soon"]),
        "bureau_ranking": SimpleLazyObject(lambda: bureaus_by_overdue(measures["overdue"])),
        "plans": Plan.objects.filter(city=city),
        "sectors": Sector.objects.all(),
        "bureaus": Bureau.objects.filter(city=city).order_by("name"),
        # reporting/_completeness.html: who has reported, by bureau.
        "completeness": SimpleLazyObject(lambda: completeness_by_bureau(city=city)),
        "years": SimpleLazyObject(lambda: targets.years),
    }
    return render(request, "dashboard/city.html", context)


def _city_row_texts(city: City, rows: list[TargetRow]) -> dict[int, SafeString]:
    """The rows' plan text, kept on the city's plan version. Built from the city's targets as
    kept at the version current when it is built (not from `rows`, which may have been read
    under an earlier one), so no text is stored under a newer version than its targets'; a row
    the cached text lacks (a target `rows` still hold while a plan change removed it) is built
    on the spot."""
    key = f"city-rows:{city.pk}:{get_language()}"
    texts = plan_cached(key, lambda: city_row_texts(city_target_list(city)), city=city)
    missing = [row.target for row in rows if row.target.pk not in texts]
    return {**texts, **city_row_texts(missing)} if missing else texts


def _city_chart(rows: list, filters: CityFilters) -> dict | None:
    """Status by sector for the chosen target year (all years when none is chosen); a click on a
    bar filters the page by that sector."""
    rows = [row for row in rows if not filters.target_year or row.target.target_year == filters.target_year]
    sectors, counts = sector_status_counts(rows)
    if not sectors:
        return None
    links = ["?" + filters.query(sector=sector.code) for sector in sectors]
    return status_bars([local_name(sector) for sector in sectors], counts, links=links)


@dashboard_access
def target_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = plan_cached(f"target:{int(pk)}", partial(_target, pk))  # plan data: kept while only progress changes
    if target is None:
        raise Http404
    context = {
        "target": target,
        "page": SimpleLazyObject(lambda: _target_page(target)),
        # Outside the cached body: who may report differs by user. The one write rule decides.
        "can_report": Indicator.objects.editable_by(request.user).filter(pk=target.indicator_id).exists(),
    }
    return render(request, "dashboard/target.html", context)


def _target(pk: int) -> Target | None:
    return Target.objects.select_related("plan__city", "indicator__sector").filter(pk=pk).first()


def _target_page(target: Target) -> dict[str, Any]:
    plan = target_plan_data(target)  # kept on the city's plan version: no query after a change of progress
    snapshot = current_snapshots([target.pk]).get(target.pk)
    series = observation_series([target.indicator_id]).get(target.indicator_id, Series())
    observations = list(zip(series.t, series.value, series.period, strict=True))
    status = snapshot.status if snapshot else ProgressSnapshot.Status.NO_DATA
    return {
        "snapshot": snapshot,
        "status": status,
        "status_label": status_label(status),
        "status_colour": STATUS_COLOURS[status],
        "figure": target_figure(target, snapshot, observations, plan.targets_of_indicator),
        "responsibilities": plan.responsibilities,
        "siblings": [t for t in plan.targets_of_indicator if t.pk != target.pk],
        "entries": Observation.history.filter(indicator_id=target.indicator_id)
        .select_related("history_user__bureau")
        .order_by("-history_date")[:50],
        "has_data": bool(observations),
        # reporting/_target_reporting.html: who reports the indicator, values pending review.
        "reporting": plan.reporting,
        "pending": pending_review(indicator=target.indicator),
    }


@dashboard_access
def plan_detail(request: HttpRequest, code: str) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("city"), code=code)
    context = {
        "plan": plan,
        # Lazy: the plan text is read only when its fragment is not cached (on the plan version),
        # the progress only when the page is not (on the data version).
        "targets": SimpleLazyObject(lambda: list(plan_targets(plan))),
        "measures": SimpleLazyObject(lambda: list(plan_measures(plan))),
        "progress": SimpleLazyObject(
            lambda: PageProgress(TargetProgress.of(plan.targets.all()), MeasureProgress.of(plan.measures.all()))
        ),
    }
    return render(request, "dashboard/plan_detail.html", context)
