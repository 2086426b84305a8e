"""Reads for the overview: every city's headline per target year, grouped by province.

Built for 300 cities: the province summaries and the ranking by need of attention are sums over
the few rows per city that the recompute keeps (reporting.status_counts), read once; the overdue
measures are one grouped query on the deadline's index; the list of cities in order is plan data
from the cache (a search runs in the database), and the latest data is read for the cities shown
only.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from config.compiled_sql import CompiledRows
from config.data_version import plan_cached
from measures.deadlines import overdue_measures
from reporting.latest_data import cities_with_latest_data
from reporting.progress_selectors import HEADLINE_YEARS, Headline
from reporting.status_counts import StatusCountTable
from reporting.statuses import ATTENTION_STATUSES
from targets.models import City

CITIES_PER_PAGE = 20
ATTENTION_CITIES = 5


def attention_key(counts: Mapping[str, int], overdue: int) -> tuple[int, ...]:
    """Sort key, larger is more urgent: missed, then worsening/lagging trends (`counts`, a city's
    targets by status, the headline years summed), then overdue measures."""
    return (*[counts.get(status, 0) for status in ATTENTION_STATUSES], overdue)


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
    measures.deadlines, counted in the database by the deadline's index)."""
    return Counter(dict(_overdue_per_city(today or timezone.localdate())))


_overdue_per_city = CompiledRows(
    lambda today: overdue_measures(today=today).values_list("plan__city_id").annotate(n=Count("id")).order_by()
)


def _headlines(by_year: Mapping[int, Mapping[str, int]] | None) -> list[Headline]:
    return [Headline(year, Counter((by_year or {}).get(year, {}))) for year in HEADLINE_YEARS]


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
    """The province summaries, the cities most in need of attention, and one page of cities:
    the stored counts of every city read once (a few rows per city), plan data from the cache,
    and the other per-city details read for the cities shown only."""
    table = StatusCountTable.read(HEADLINE_YEARS)
    places = _places()
    members: dict[str, list[int]] = {}
    for pk, province in places.ordered:
        members.setdefault(province, []).append(pk)
    provinces = [
        ProvinceSummary(province, province_en, n, _headlines(table.summed(members[province])))
        for province, province_en, n in places.provinces
    ]
    overdue = overdue_counts()
    urgent_ids = _most_urgent(table, places.codes, overdue)
    page: Page[Any]
    if filters.q:  # a search runs in the database
        page = Paginator(filters.cities(), CITIES_PER_PAGE).get_page(filters.page)
        # The page holds a slice of the queryset Paginator was given, so still a queryset.
        page_ids = list(cast(QuerySet[City], page.object_list).values_list("pk", flat=True))
    else:  # the list of cities in order is plan data, from the cache
        ordered = [pk for pk, province in places.ordered if not filters.province or province == filters.province]
        page = Paginator(ordered, CITIES_PER_PAGE).get_page(filters.page)
        page_ids = list(page.object_list)
    # the page's cities and the urgent ones in one query, whether or not they overlap
    shown = cities_with_latest_data(page_ids + urgent_ids)
    by_id = {
        pk: CitySummary(city, _headlines(table.of_city(pk)), overdue[pk], latest)
        for pk, (city, latest) in shown.items()
    }
    return Overview(
        provinces=provinces,
        attention=[by_id[pk] for pk in urgent_ids],
        page=page,
        cities=[by_id[pk] for pk in page_ids],
        city_count=sum(n for _province, _en, n in places.provinces),
    )


def _most_urgent(table: StatusCountTable, codes: Mapping[int, str], overdue: Counter[int]) -> list[int]:
    """The ids of the ATTENTION_CITIES cities most in need of attention (`attention_key`, then
    by code), from each city's sums of the attention statuses and its overdue measures."""
    attention = table.of_statuses(ATTENTION_STATUSES)
    ranked = []
    for pk in attention.keys() | overdue.keys():
        key = attention_key(attention.get(pk, {}), overdue.get(pk, 0))
        if any(key) and pk in codes:
            ranked.append((tuple(-n for n in key), codes[pk], pk))
    return [pk for _key, _code, pk in heapq.nsmallest(ATTENTION_CITIES, ranked)]


@dataclass
class Places:
    provinces: list[tuple[str, str, int]]  # (province, English name, cities), unrecorded last
    codes: dict[int, str]  # city id → code
    ordered: list[tuple[int, str]]  # (city id, province) in the overview's order


def _places() -> Places:
    """The provinces with their number of cities, and every city's code and place in the
    overview's order: plan data, kept on the plan version."""

    def read() -> Places:
        provinces: dict[str, tuple[str, str, int]] = {}
        codes, ordered = {}, []
        every_city = OverviewFilters().cities().values_list("pk", "code", "province", "province_en")
        for pk, code, province, province_en in every_city:
            codes[pk] = code
            ordered.append((pk, province))
            _p, _en, n = provinces.get(province, (province, province_en, 0))
            provinces[province] = (province, province_en, n + 1)
        return Places(sorted(provinces.values(), key=lambda p: _by_province(p[0])), codes, ordered)

    return plan_cached("overview-places", read)


def city_directory() -> list[ProvinceCities]:
    """Every city by province, for the overview's directory (plan data: the page keeps it on the
    plan version)."""
    directory: dict[str, ProvinceCities] = {}
    cities = City.objects.order_by("province", "code").values_list("code", "name", "name_en", "province", "province_en")
    for code, name, name_en, province, province_en in cities:
        directory.setdefault(province, ProvinceCities(province, province_en, [])).cities.append((code, name, name_en))
    return sorted(directory.values(), key=lambda p: _by_province(p.province))
