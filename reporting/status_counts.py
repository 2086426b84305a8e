"""Each city's quantified targets by target year and current status, for pages across cities.

Counting every target's latest snapshot for 300 cities (11,100 targets) on each request after
a change took longer than the rest of the overview. The counts change only when a recompute
writes snapshots, so the recompute rewrites them for the cities it touched, in its own
transaction (`status_counts_refresh`), into CityStatusCount; a page reads a few rows per city
once (`StatusCountTable`) and sums them across cities or shows a city's own. Targets without
any snapshot yet (a plan loaded since the last recompute) are counted as "no data": each city's
targets per year, less those counted. That total is plan data, kept in the cache on the plan
version (config.data_version).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery

from config.compiled_sql import CompiledRows
from config.data_version import plan_cached
from reporting.models import CityStatusCount, ProgressSnapshot
from reporting.statuses import STATUSES, ProgressStatus
from targets.models import City, Plan, Target

logger = logging.getLogger(__name__)


def _quantified(city_ids: Iterable[int] | None) -> QuerySet[Target]:
    targets = Target.objects.exclude(kind=Target.Kind.QUALITATIVE)
    return targets if city_ids is None else targets.filter(plan__city_id__in=list(city_ids))


def status_counts_refresh(city_ids: Iterable[int] | None = None) -> None:
    """Count the cities' targets by their latest snapshot again (every city when None). Called
    inside the recompute's transaction, after its snapshots are written."""
    ids = None if city_ids is None else sorted({int(pk) for pk in city_ids})
    with transaction.atomic(savepoint=False):
        # One count per city at a time: two recomputes of the same city's indicators run side by
        # side (each locks only its own targets), and each would count without the other's
        # uncommitted snapshots, the later write leaving counts that miss the earlier one's.
        # The later run waits here, then counts what the earlier one committed. Cities are
        # locked after targets and in id order, as every recompute does, so no two runs
        # deadlock.
        cities = City.objects.all() if ids is None else City.objects.filter(pk__in=ids)
        list(cities.order_by("pk").select_for_update(no_key=True).values_list("pk", flat=True))
        _refresh_locked(ids)


def _refresh_locked(ids: list[int] | None) -> None:
    latest = ProgressSnapshot.objects.filter(target=OuterRef("pk")).order_by("-id").values("status")[:1]
    rows = (
        _quantified(ids)
        .annotate(current=Subquery(latest))
        .filter(current__isnull=False)
        .values_list("plan__city_id", "target_year", "current")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = [CityStatusCount(city_id=city, target_year=year, status=status, targets=n)
              for city, year, status, n in rows]  # fmt: skip
    stale = CityStatusCount.objects.all() if ids is None else CityStatusCount.objects.filter(city_id__in=ids)
    stale.delete()
    CityStatusCount.objects.bulk_create(counts, batch_size=2000)


@dataclass
class StatusCountTable:
    """Every city's stored counts for some target years, read in one query (a few rows per
    city), for pages that sum them across cities and show some cities' own."""

    years: list[int]
    stored: dict[int, list[tuple[int, str, int]]]  # city id → (year, status, targets)
    totals: dict[tuple[int, int], int]  # (city id, year) → quantified targets

    @classmethod
    def read(cls, years: Iterable[int]) -> StatusCountTable:
        years = list(years)
        stored: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
        for city, year, status, n in _stored_counts(tuple(years)):
            stored[city].append((year, status if status in STATUSES else ProgressStatus.NO_DATA, n))
        return cls(years, stored, _totals(years))

    def cities(self) -> set[int]:
        return set(self.stored) | {city for city, _year in self.totals}

    def of_city(self, city: int) -> dict[int, Counter[str]]:
        """target year → the city's targets by status; those without a snapshot are "no_data"."""
        counts: dict[int, Counter[str]] = {year: Counter() for year in self.years}
        for year, status, n in self.stored.get(city, ()):
            counts[year][status] += n
        for year, found in counts.items():
            missing = self.totals.get((city, year), 0) - sum(found.values())
            if missing > 0:
                found[ProgressStatus.NO_DATA] += missing
        return counts

    def summed(self, cities: Iterable[int]) -> dict[int, Counter[str]]:
        """target year → the targets of all `cities` by status (a province's headline)."""
        total: dict[int, Counter[str]] = {year: Counter() for year in self.years}
        missing = dict.fromkeys(self.years, 0)
        for city in cities:
            counted = dict.fromkeys(self.years, 0)
            for year, status, n in self.stored.get(city, ()):
                total[year][status] += n
                counted[year] += n
            for year in self.years:
                missing[year] += max(self.totals.get((city, year), 0) - counted[year], 0)
        for year, n in missing.items():
            if n:
                total[year][ProgressStatus.NO_DATA] += n
        return total

    def of_statuses(self, statuses: Iterable[str]) -> dict[int, dict[str, int]]:
        """city id → its targets at each of `statuses`, the years summed, for the cities with any."""
        wanted = set(statuses)
        found: dict[int, dict[str, int]] = {}
        for city, rows in self.stored.items():
            for _year, status, n in rows:
                if status in wanted:
                    counts = found.setdefault(city, {})
                    counts[status] = counts.get(status, 0) + n
        return found


_stored_counts = CompiledRows(
    lambda years: CityStatusCount.objects.filter(target_year__in=years).values_list(
        "city_id", "target_year", "status", "targets"
    )
)


def _totals(years: list[int]) -> dict[tuple[int, int], int]:
    """(city id, year) → quantified targets: plan data, kept on the plan version."""

    def count() -> dict[tuple[int, int], int]:
        rows = (
            _quantified(None).filter(target_year__in=years).values_list("plan__city_id", "target_year")
            .annotate(n=Count("id")).order_by()
        )  # fmt: skip
        return {(city, year): n for city, year, n in rows}

    return plan_cached(f"quantified-targets:{','.join(map(str, years))}", count)


def target_deleted(sender: type[Target], instance: Target, **kwargs: object) -> None:
    """A target deleted (its snapshots go with it) is counted again in its city once the
    deletion commits; the recompute, which rewrites the counts otherwise, never deletes one."""
    # Django deletes a plan's targets before the plan, so the plan is still there to ask.
    city_id = Plan.objects.filter(pk=instance.plan_id).values_list("city_id", flat=True).first()
    if city_id is not None:
        transaction.on_commit(lambda: status_counts_refresh([city_id]))
