"""Reads for the overview: every city's headline per target year, grouped by province.

Built for 300 cities: the status counts of all cities come from one grouped query (a few
thousand rows at most), the city list is paginated in the database, and the per-city details
(latest data) are read for the cities on the page only. Each city's counts are cached under its
own data version, so a value saved in one city recounts that city alone.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from config.data_version import FRAGMENT_SECONDS, city_versions
from measures.deadlines import DeadlineState, deadline_state_q
from measures.models import Measure
from reporting.models import Observation, ProgressSnapshot
from reporting.progress_selectors import HEADLINE_YEARS, Headline
from reporting.statuses import ATTENTION_STATUSES, STATUSES
from targets.models import City, Indicator, Target

logger = logging.getLogger(__name__)

CITIES_PER_PAGE = 20
ATTENTION_CITIES = 5


@dataclass
class CitySummary:
    city: City
    headlines: list[Headline]
    overdue: int = 0
    latest_data: dt.date | None = None

    @property
    def attention(self) -> tuple[int, ...]:
        """Sort key, larger is more urgent: missed, then worsening/lagging trends, then overdue measures."""
        counts = Counter[str]()
        for headline in self.headlines:
            counts.update(headline.counts)
        return (*(counts[s] for s in ATTENTION_STATUSES), self.overdue)

    @property
    def needs_attention(self) -> bool:
        return any(self.attention)


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


def status_counts(city_ids: list[int] | None = None) -> dict[int, dict[int, Counter[str]]]:
    """city id → target year → quantified targets by current status, for every city at once (or
    the cities given)."""
    latest = ProgressSnapshot.objects.filter(target=OuterRef("pk")).order_by("-id").values("status")[:1]
    targets = Target.objects.all() if city_ids is None else Target.objects.filter(plan__city_id__in=city_ids)
    rows = (
        targets.filter(target_year__in=HEADLINE_YEARS)
        .exclude(kind=Target.Kind.QUALITATIVE)
        .annotate(current=Coalesce(Subquery(latest), Value("no_data")))
        .values_list("plan__city_id", "target_year", "current")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[int, dict[int, Counter[str]]] = defaultdict(lambda: {year: Counter() for year in HEADLINE_YEARS})
    for city_id, year, status, n in rows:
        counts[city_id][year][status if status in STATUSES else "no_data"] += n
    return counts


def overdue_counts(today: dt.date | None = None, city_ids: list[int] | None = None) -> Counter[int]:
    """city id → measures past their deadline whose latest update is not completed (the rule of
    measures.deadlines, counted in the database)."""
    today = today or timezone.localdate()
    overdue = Measure.objects.filter(deadline_state_q(DeadlineState.OVERDUE, today=today))
    if city_ids is not None:
        overdue = overdue.filter(plan__city_id__in=city_ids)
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


CityCounts = tuple[dict[int, dict[str, int]], int]  # target year → status → targets; overdue measures


def city_counts(city_ids: list[int], today: dt.date | None = None) -> dict[int, CityCounts]:
    """city id → its headline counts and overdue measures, each city's cached under its own data
    version (config.data_version): after a value is saved in one city, only that city is
    counted again, not all 300. Counted in two grouped queries for the cities not cached."""
    today = today or timezone.localdate()
    versions = city_versions(city_ids)
    keys = {pk: f"overview-city:{pk}:{versions[pk]}:{today.isoformat()}" for pk in city_ids if pk in versions}
    found = _cache_call(lambda: cache.get_many(list(keys.values()))) or {}
    result = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in city_ids if pk not in result]
    if missing:
        only = None if len(missing) == len(city_ids) else missing  # all: no list of 300 ids
        counts, overdue = status_counts(only), overdue_counts(today, only)
        fresh = {pk: ({year: dict(n) for year, n in counts.get(pk, {}).items()}, overdue[pk]) for pk in missing}
        result.update(fresh)
        stored = {keys[pk]: value for pk, value in fresh.items() if pk in keys}
        _cache_call(lambda: cache.set_many(stored, FRAGMENT_SECONDS))
    return result


def _cache_call(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except Exception:  # the cache is an accelerator: without it, count everything
        logger.warning("Overview summaries not cached", exc_info=True)
        return None


@dataclass
class Overview:
    provinces: list[ProvinceSummary]
    attention: list[CitySummary]
    page: Page
    cities: list[CitySummary]
    city_count: int
    directory: list[ProvinceCities]


def overview(filters: OverviewFilters) -> Overview:
    provinces: dict[str, ProvinceSummary] = {}
    urgent: list[tuple[tuple[int, ...], str, int]] = []
    all_cities = list(
        City.objects.order_by("province", "code").values_list(
            "pk", "code", "name", "name_en", "province", "province_en"
        )
    )
    directory: dict[str, ProvinceCities] = {}
    summed = city_counts([pk for pk, *_rest in all_cities])
    counts = {pk: value[0] for pk, value in summed.items()}
    overdue = Counter({pk: value[1] for pk, value in summed.items()})
    for pk, code, name, name_en, province, province_en in all_cities:
        directory.setdefault(province, ProvinceCities(province, province_en, [])).cities.append((code, name, name_en))
        group = provinces.setdefault(province, ProvinceSummary(province, province_en, 0, _headlines(None)))
        group.cities += 1
        for headline in group.headlines:
            headline.counts.update(counts.get(pk, {}).get(headline.year, {}))
        key = CitySummary(City(pk=pk), _headlines(counts.get(pk)), overdue[pk]).attention
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
        provinces=sorted(provinces.values(), key=lambda p: (p.province == "", p.province)),
        attention=[by_id[pk] for pk in urgent_ids],
        page=page,
        cities=[by_id[pk] for pk in page_ids],
        city_count=len(all_cities),
        directory=sorted(directory.values(), key=lambda p: (p.province == "", p.province)),
    )
