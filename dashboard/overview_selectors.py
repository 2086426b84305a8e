"""Reads for the overview: every city's headline per target year, grouped by province.

Built for 300 cities: the status counts of all cities are the few rows per city that the
recompute keeps (reporting.status_counts), the overdue measures one grouped query, the city list
is paginated in the database, and the per-city details (latest data) are read for the cities on
the page only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from measures.deadlines import DeadlineState, deadline_state_q
from measures.models import Measure
from reporting.models import Observation
from reporting.progress_selectors import HEADLINE_YEARS, Headline
from reporting.status_counts import status_counts
from reporting.statuses import ATTENTION_STATUSES
from targets.models import City, Indicator

CITIES_PER_PAGE = 20
ATTENTION_CITIES = 5


def attention_key(counts_by_year: Iterable[Mapping[str, int]], overdue: int) -> tuple[int, ...]:
    """Sort key, larger is more urgent: missed, then worsening/lagging trends, then overdue measures."""
    return (*(sum(counts.get(s, 0) for counts in counts_by_year) for s in ATTENTION_STATUSES), overdue)


@dataclass
class CitySummary:
    city: City
    headlines: list[Headline]
    overdue: int = 0
    latest_data: dt.date | None = None


@dataclass
class ProvinceSummary:
    province: str
    province_en: str
    cities: int
    headlines: list[Headline]


@dataclass
class ProvinceCities:
    """Every city of a province as (code, name, English name): the overview's directory, from
    which any city is two clicks away (open the province, pick the city) at any number of cities."""

    province: str
    province_en: str
    cities: list[tuple[str, str, str]]


@dataclass(frozen=True)
class OverviewFilters:
    q: str = ""
    province: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, query: dict[str, str]) -> OverviewFilters:
        page = query.get("page", "")
        return cls(q=query.get("q", "").strip()[:50], province=query.get("province", "").strip()[:50],
                   page=int(page) if page.isdigit() and int(page) > 0 else 1)  # fmt: skip

    def cities(self) -> QuerySet[City]:
        # cities whose province is not recorded come last
        unplaced = Case(When(province="", then=Value(1)), default=Value(0), output_field=IntegerField())
        cities = City.objects.order_by(unplaced, "province", "code")
        if self.province:
            cities = cities.filter(province=self.province)
        if self.q:
            cities = cities.filter(
                Q(name__icontains=self.q) | Q(name_en__icontains=self.q) | Q(code__icontains=self.q)
                | Q(province__icontains=self.q) | Q(province_en__icontains=self.q)
            )  # fmt: skip
        return cities

    def query(self, **changes: object) -> str:
        """This filter's query string with `changes`, for links that keep the other filters."""
        values = {"q": self.q, "province": self.province, "page": self.page, **changes}
        if values["page"] == 1:
            values.pop("page")
        return urlencode({key: value for key, value in values.items() if value})


def overdue_counts(today: dt.date | None = None) -> Counter[int]:
    """city id → measures past their deadline whose latest update is not completed (the rule of
    measures.deadlines, counted in the database)."""
    today = today or timezone.localdate()
    overdue = Measure.objects.filter(deadline_state_q(DeadlineState.OVERDUE, today=today))
    return Counter(dict(overdue.values_list("plan__city_id").annotate(n=Count("id")).order_by()))


def _headlines(by_year: Mapping[int, Mapping[str, int]] | None) -> list[Headline]:
    return [Headline(year, Counter((by_year or {}).get(year, {}))) for year in HEADLINE_YEARS]


def _with_latest_data(summaries: list[CitySummary]) -> list[CitySummary]:
    """The latest period with a counted value, per city shown: one backward step on the
    (indicator, period_end) index per indicator of those cities, not a MAX over their rows."""
    last = (
        Observation.objects.counted().filter(indicator=OuterRef("pk")).order_by("-period_end").values("period_end")[:1]
    )
    latest: dict[int, dt.date] = {}
    indicators = Indicator.objects.filter(city_id__in=[s.city.pk for s in summaries]).order_by()
    for city_id, period_end in indicators.annotate(last=Subquery(last)).values_list("city_id", "last"):
        if period_end is not None and (city_id not in latest or period_end > latest[city_id]):
            latest[city_id] = period_end
    for summary in summaries:
        summary.latest_data = latest.get(summary.city.pk)
    return summaries


@dataclass
class Overview:
    provinces: list[ProvinceSummary]
    attention: list[CitySummary]
    page: Page
    cities: list[CitySummary]
    city_count: int


def _by_province(province: str) -> tuple[bool, str]:
    return (province == "", province)  # cities whose province is not recorded come last


def overview(filters: OverviewFilters) -> Overview:
    """The province summaries, the cities most in need of attention, and one page of cities,
    from the stored counts of every city (plain sums: 300 cities, two years, a few statuses)."""
    counts = status_counts(HEADLINE_YEARS)
    overdue = overdue_counts()
    provinces: dict[str, ProvinceSummary] = {}
    urgent: list[tuple[tuple[int, ...], str, int]] = []
    city_count = 0
    for pk, code, province, province_en in City.objects.values_list("pk", "code", "province", "province_en"):
        city_count += 1
        group = provinces.get(province)
        if group is None:
            group = provinces[province] = ProvinceSummary(province, province_en, 0, _headlines(None))
        group.cities += 1
        by_year = counts.get(pk, {})
        for headline in group.headlines:
            summed = headline.counts
            for status, n in by_year.get(headline.year, {}).items():
                summed[status] = summed.get(status, 0) + n
        key = attention_key(list(by_year.values()), overdue[pk])
        if any(key):
            urgent.append((tuple(-n for n in key), code, pk))
    urgent_ids = [pk for _key, _code, pk in sorted(urgent)[:ATTENTION_CITIES]]
    page = Paginator(filters.cities(), CITIES_PER_PAGE).get_page(filters.page)
    # The page holds a slice of the queryset Paginator was given, so still a queryset.
    page_ids = list(cast(QuerySet[City], page.object_list).values_list("pk", flat=True))
    # the page's cities and the urgent ones in one query, whether or not they overlap
    shown = City.objects.in_bulk(page_ids + urgent_ids)
    summaries = _with_latest_data(
        [CitySummary(city, _headlines(counts.get(pk)), overdue[pk]) for pk, city in shown.items()]
    )
    by_id = {summary.city.pk: summary for summary in summaries}
    return Overview(
        provinces=sorted(provinces.values(), key=lambda p: _by_province(p.province)),
        attention=[by_id[pk] for pk in urgent_ids],
        page=page,
        cities=[by_id[pk] for pk in page_ids],
        city_count=city_count,
    )


def city_directory() -> list[ProvinceCities]:
    """Every city by province, for the overview's directory (plan data: the page keeps it on the
    plan version)."""
    directory: dict[str, ProvinceCities] = {}
    cities = City.objects.order_by("province", "code").values_list("code", "name", "name_en", "province", "province_en")
    for code, name, name_en, province, province_en in cities:
        directory.setdefault(province, ProvinceCities(province, province_en, [])).cities.append((code, name, name_en))
    return sorted(directory.values(), key=lambda p: _by_province(p.province))
