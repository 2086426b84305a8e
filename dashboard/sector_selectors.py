"""Reads for a sector across cities: one pass over the sector's targets, grouped by indicator.

Built for 300 cities: the sector's targets and their current snapshots are read in two
queries and grouped once by common indicator code (no city is compared with every other);
observations are read only for the cities a chart shows.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from dashboard.progress_selectors import TargetRow, target_rows
from dashboard.statuses import WORST_FIRST, StatusStyle, status_styles
from reporting.frames import observation_frame
from targets.models import City, Sector, Target

# Up to this many cities a sector page shows every city; beyond, the leaders, the laggards and
# the cities the reader picked.
ALL_CITIES_UP_TO = 6
RANKED = 3
NAMES_LISTED = 12


@dataclass
class IndicatorGroup:
    """One common indicator across cities, at its first target year (the headline one)."""

    code: str
    name: str
    name_en: str
    unit: str
    year: int
    rows: list[TargetRow]  # one per city with a target that year, best first
    leading: list[TargetRow] = field(default_factory=list)
    lagging: list[TargetRow] = field(default_factory=list)
    shown: list[City] = field(default_factory=list)  # the cities the chart draws
    not_reported: list[City] = field(default_factory=list)

    @property
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


def _best_first(row: TargetRow) -> tuple[int, float]:
    progress = row.progress_pct if row.progress_pct is not None and math.isfinite(row.progress_pct) else -math.inf
    return (-WORST_FIRST.get(row.status, 0), -progress)


def _rank(group: IndicatorGroup, picked: set[str], few: bool) -> None:
    reported = [row for row in group.rows if row.latest_value is not None]
    group.not_reported = sorted(
        (row.target.plan.city for row in group.rows if row.latest_value is None), key=lambda c: c.code
    )
    reported.sort(key=_best_first)
    leading = reported[: min(RANKED, math.ceil(len(reported) / 2))]
    lagging = list(reversed(reported[len(leading) :]))[:RANKED]
    group.leading, group.lagging = leading, lagging
    if few:
        group.shown = [row.target.plan.city for row in group.rows]
    elif picked:
        group.shown = [row.target.plan.city for row in group.rows if row.target.plan.city.code in picked]
    else:
        group.shown = [row.target.plan.city for row in leading + lagging]


def sector_data(sector: Sector, picked: set[str]) -> SectorData:
    targets = list(
        Target.objects.filter(indicator__sector=sector)
        .select_related("plan__city", "indicator")
        .order_by("indicator__code", "plan__city__code", "target_year", "position")
    )
    rows = target_rows(targets)
    cities = sorted({t.plan.city for t in targets}, key=lambda c: c.code)
    few = len(cities) <= ALL_CITIES_UP_TO
    groups: dict[str, IndicatorGroup] = {}
    levels: dict[tuple[str, int], list[Target]] = {}
    seen: set[tuple[str, int]] = set()
    for row in rows:
        target = row.target
        code, city_id = target.indicator.code, target.plan.city_id
        if target.kind == Target.Kind.LEVEL and target.value is not None:
            levels.setdefault((code, city_id), []).append(target)
        group = groups.get(code)
        if group is None:
            indicator = target.indicator
            group = groups[code] = IndicatorGroup(code, indicator.name, indicator.name_en, indicator.unit,
                                                  target.target_year, [])  # fmt: skip
        # rows come ordered by year within a city: the first one per city is its earliest target
        if (code, city_id) not in seen:
            seen.add((code, city_id))
            if target.target_year == group.year:
                group.rows.append(row)
    for group in groups.values():
        group.rows.sort(key=_best_first)
        _rank(group, picked, few)
    shown_cities = set(cities) if few else {c for c in cities if c.code in picked}
    by_city: dict[City, list[TargetRow]] = {}
    for row in rows:
        if row.target.plan.city in shown_cities:
            by_city.setdefault(row.target.plan.city, []).append(row)
    # a chart compares cities; an indicator only one city reports has its own target page
    compared = [g for g in groups.values() if len({r.target.plan.city_id for r in g.rows}) >= 2 or not few]
    return SectorData(cities, compared, sorted(by_city.items(), key=lambda item: item[0].code), levels)


def shown_observations(groups: list[IndicatorGroup]) -> dict[int, pd.DataFrame]:
    """indicator id → its observations sorted by time, for the cities the charts show, in one read."""
    ids = sorted({row.target.indicator_id for g in groups for row in g.rows if row.target.plan.city in set(g.shown)})
    if not ids:
        return {}
    frame = observation_frame(ids).sort_values("t")
    return {int(indicator_id): part for indicator_id, part in frame.groupby("indicator_id")}
