"""Reads for a sector across cities: one pass over the sector's targets, grouped by indicator.

Built for 300 cities: the sector's targets and their current snapshots are read in two
queries and grouped once by common indicator code (no city is compared with every other);
observations are read only for the cities a chart shows.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import NamedTuple

from django.db.models import QuerySet

from config.data_version import plan_cached
from reporting.models import ProgressSnapshot
from reporting.progress_selectors import TargetRow
from reporting.series import Series, observation_series
from reporting.statuses import WORST_FIRST, StatusStyle, status_styles
from targets.models import City, Sector, Target

# Up to this many cities a sector page shows every city; beyond, the leaders, the laggards and
# the cities the reader picked.
ALL_CITIES_UP_TO = 6
RANKED = 3
NAMES_LISTED = 12


class LightRow(NamedTuple):
    """A target's place in the ranking, read as a tuple: enough to count and rank every city's
    target without building model objects for all of them. A NamedTuple: a sector has
    thousands of targets, and a tuple is made several times faster than a dataclass."""

    pk: int
    code: str
    year: int
    city_id: int
    status: str
    latest_value: float | None
    latest_period: str
    progress_pct: float | None

    def snapshot(self) -> ProgressSnapshot:
        """The current snapshot's fields the page shows (no data without one), for a full row:
        read once with the ranking, not a second time for the rows shown."""
        return ProgressSnapshot(target_id=self.pk, status=self.status, latest_value=self.latest_value,
                                latest_period=self.latest_period, progress_pct=self.progress_pct)  # fmt: skip


@dataclass
class IndicatorGroup:
    """One common indicator across cities, at its first target year (the headline one)."""

    code: str
    name: str
    name_en: str
    unit: str
    year: int
    rows: list[LightRow]  # one per city with a target that year, best first
    leading: list[TargetRow] = field(default_factory=list)
    lagging: list[TargetRow] = field(default_factory=list)
    shown: list[City] = field(default_factory=list)  # the cities the chart draws
    not_reported: list[City] = field(default_factory=list)
    shown_rows: dict[int, TargetRow] = field(default_factory=dict)  # city id → its row, for the chart

    @cached_property  # read once per status by the spread chart: count once
    def counts(self) -> Counter[str]:
        return Counter(row.status for row in self.rows)

    @property
    def parts(self) -> list[tuple[StatusStyle, int]]:
        counts = self.counts
        return [(style, counts[style.code]) for style in status_styles() if counts[style.code]]


@dataclass
class SectorData:
    cities: list[City]  # every city with a target in the sector
    groups: list[IndicatorGroup]
    columns: list[tuple[City, list[TargetRow]]]
    levels: dict[tuple[str, int], list[Target]]  # (code, city id) → the city's level targets


def _best_first(row: LightRow | TargetRow) -> tuple[int, float]:
    progress = row.progress_pct if row.progress_pct is not None and math.isfinite(row.progress_pct) else -math.inf
    return (-WORST_FIRST.get(row.status, 0), -progress)


def _light_rows(sector: Sector) -> list[LightRow]:
    """Every target of the sector with its current status, in two queries and no model objects."""
    targets = Target.objects.filter(indicator__sector=sector)
    latest = ProgressSnapshot.objects.filter(target__in=targets.values("pk")).latest_per_target()
    snapshots = {
        target_id: rest
        for target_id, *rest in latest.values_list(
            "target_id", "status", "latest_value", "latest_period", "progress_pct"
        )
    }
    rows = []
    for pk, code, year, city_id in plan_cached(f"sector-targets:{sector.pk}", partial(_sector_targets, targets)):
        status, value, period, progress = snapshots.get(pk, (ProgressSnapshot.Status.NO_DATA, None, "", None))
        rows.append(LightRow(pk, code, year, city_id, status, value, period, progress))
    return rows


def _sector_targets(targets: QuerySet[Target]) -> list[tuple[int, str, int, int]]:
    """(pk, indicator code, target year, city id) of the sector's targets, in ranking order:
    plan data, which its page keeps on the plan version (config.data_version.plan_cached)."""
    ordered = targets.order_by("indicator__code", "plan__city__code", "target_year", "position")
    return list(ordered.values_list("pk", "indicator__code", "target_year", "plan__city_id"))


def sector_data(sector: Sector, picked: set[str]) -> SectorData:
    light = _light_rows(sector)
    cities = {city.pk: city for city in City.objects.filter(pk__in={row.city_id for row in light}).order_by("code")}
    few = len(cities) <= ALL_CITIES_UP_TO
    picked_ids = {pk for pk, city in cities.items() if city.code in picked}
    by_code: dict[str, list[LightRow]] = {}
    for row in light:
        by_code.setdefault(row.code, []).append(row)
    groups: list[IndicatorGroup] = []
    wanted: set[int] = set()  # the targets whose full rows the page shows
    ends: dict[str, tuple[list[LightRow], list[LightRow]]] = {}  # code → leading, lagging; made full below
    for code, rows in by_code.items():
        year = min(row.year for row in rows)
        first: dict[int, LightRow] = {}
        for row in rows:
            if row.year == year:
                first.setdefault(row.city_id, row)
        ranked = sorted(first.values(), key=_best_first)
        if few and len(ranked) < 2:
            continue  # a chart compares cities; an indicator only one city reports has its own target page
        reported = [row for row in ranked if row.latest_value is not None]
        leading = reported[: min(RANKED, math.ceil(len(reported) / 2))]
        lagging = list(reversed(reported[len(leading) :]))[:RANKED]
        if few:
            shown = [row.city_id for row in ranked]
        elif picked_ids:
            shown = [row.city_id for row in ranked if row.city_id in picked_ids]
        else:
            shown = [row.city_id for row in leading + lagging]
        group = IndicatorGroup(code, "", "", "", year, ranked)
        ends[code] = (leading, lagging)
        group.shown = [cities[pk] for pk in shown]
        group.not_reported = sorted((cities[row.city_id] for row in ranked if row.latest_value is None),
                                    key=lambda c: c.code)  # fmt: skip
        wanted.update(row.pk for row in [ranked[0], *leading, *lagging])  # the first names the indicator
        shown_set = set(shown)
        wanted.update(row.pk for row in rows if row.city_id in shown_set)
        groups.append(group)
    column_ids = set(cities) if few else picked_ids
    wanted.update(row.pk for row in light if row.city_id in column_ids)
    by_pk = {row.pk: row for row in light}
    full = {target.pk: TargetRow(target, by_pk[target.pk].snapshot()) for target in _full_targets(wanted)}
    levels: dict[tuple[str, int], list[Target]] = {}
    for full_row in full.values():
        target = full_row.target
        if target.kind == Target.Kind.LEVEL and target.value is not None:
            levels.setdefault((target.indicator.code, target.plan.city_id), []).append(target)
    for group in groups:
        group.leading = [full[row.pk] for row in ends[group.code][0]]
        group.lagging = [full[row.pk] for row in ends[group.code][1]]
        shown_ids = {city.pk for city in group.shown}
        group.shown_rows = {row.city_id: full[row.pk] for row in group.rows if row.city_id in shown_ids}
        indicator = full[group.rows[0].pk]
        group.name, group.name_en, group.unit = (indicator.target.indicator.name, indicator.target.indicator.name_en,
                                                 indicator.target.indicator.unit)  # fmt: skip
    columns = [
        (cities[pk], sorted((r for r in full.values() if r.target.plan.city_id == pk), key=_column_order))
        for pk in sorted(column_ids, key=lambda pk: cities[pk].code)
    ]
    return SectorData(list(cities.values()), groups, columns, levels)


def _column_order(row: TargetRow) -> tuple[str, int, int]:
    return (row.target.indicator.code, row.target.target_year, row.target.position)


# What the page shows of a target (its rankings, columns and charts): the rest of the row,
# its source text above all, is left in the database.
SHOWN_FIELDS = (
    "plan__document_number", "plan__city__code", "plan__city__name", "plan__city__name_en", "indicator__code",
    "indicator__name", "indicator__name_en", "indicator__unit", "kind", "value", "target_year", "section", "position",
)  # fmt: skip


def _full_targets(ids: set[int]) -> list[Target]:
    return list(Target.objects.filter(pk__in=ids).select_related("plan__city", "indicator").only(*SHOWN_FIELDS))


def shown_observations(groups: list[IndicatorGroup]) -> dict[int, Series]:
    """indicator id → its observations in time order, for the cities the charts show, in one read."""
    return observation_series({row.target.indicator_id for g in groups for row in g.shown_rows.values()})
