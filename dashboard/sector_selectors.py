"""Reads for a sector across cities, grouped by common indicator code.

Built for 300 cities. The sector's plan data (its cities, each indicator's headline targets,
the level targets the charts mark) is read once per plan version (reporting.sector_rankings),
and each indicator's ranking (the counts by status, the leading and lagging cities with their
figures, those without a value) is the one the recompute stored. Latest snapshots are read only
for the cities picked, for an indicator whose stored ranking the plans have outdated since, and
for every city when there are few (the page ranks them itself). Full target rows are read only
for the columns of the cities picked (every city when few), observations only for the cities a
chart shows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from config.data_version import plan_cached
from reporting.models import ProgressSnapshot
from reporting.progress_selectors import TargetRow
from reporting.sector_rankings import (
    ALL_CITIES_UP_TO,
    NO_STANDING,
    CityName,
    GroupPlan,
    Label,
    Ranking,
    Standing,
    current_standings,
    rank_order,
    ranking,
    sector_plan,
    stored_rankings,
)
from reporting.series import Series, observation_series
from reporting.statuses import StatusStyle, status_styles
from targets.models import Sector, Target

NAMES_LISTED = 12


class RankedRow(NamedTuple):
    """A city's headline target on an indicator with its latest snapshot: what the ranked
    lists and the charts read of it."""

    position: int  # in its GroupPlan
    pk: int
    city: CityName
    indicator_id: int
    label: Label
    status: str
    latest_value: float | None
    latest_period: str
    progress_pct: float | None

    @property
    def unit(self) -> str:
        return self.label.unit


@dataclass
class IndicatorGroup:
    """One common indicator across cities, at its first target year (the headline one)."""

    code: str
    name: str
    name_en: str
    unit: str
    year: int
    counts: Counter[str]  # cities by the status of their target
    leading: list[RankedRow] = field(default_factory=list)
    lagging: list[RankedRow] = field(default_factory=list)
    shown: list[CityName] = field(default_factory=list)  # the cities the chart draws
    not_reported: list[CityName] = field(default_factory=list)
    shown_rows: dict[int, RankedRow] = field(default_factory=dict)  # city id → its row, for the chart
    # shown city id → the years and levels of its level targets on the indicator, for the chart
    levels: dict[int, tuple[list[int], list[float]]] = field(default_factory=dict)

    @property
    def parts(self) -> list[tuple[StatusStyle, int]]:
        counts = self.counts
        return [(style, counts[style.code]) for style in status_styles() if counts[style.code]]


@dataclass
class SectorData:
    cities: list[CityName]  # every city with a target in the sector
    groups: list[IndicatorGroup]
    columns: list[tuple[CityName, list[TargetRow]]]


def all_sectors() -> list[Sector]:
    """Every sector in its order, for the page's navigation and to find the one asked for: plan
    data, kept on the plan version (a query less on every request)."""
    return plan_cached("sectors", lambda: list(Sector.objects.all()))


def sector_data(sector: Sector, picked: set[str]) -> SectorData:
    plan = sector_plan(sector.pk)
    cities = {city.pk: city for city in plan.cities}
    few = len(cities) <= ALL_CITIES_UP_TO
    picked_ids = {city.pk for city in plan.cities if city.code in picked}
    stored = {} if few else stored_rankings(plan, sector.pk)
    # The targets whose latest snapshots the page reads: the picked cities' headline targets,
    # every headline target of an indicator it ranks itself (all when few), the columns' targets.
    wanted: list[int] = []
    for group in plan.groups:
        positions = group.positions(picked_ids) if group.code in stored else range(len(group.pks))
        wanted.extend(group.pks[i] for i in positions)
    column_ids = set(cities) if few else picked_ids
    column_targets = _column_targets(sector, column_ids) if column_ids else []
    wanted.extend(target.pk for target in column_targets)
    current = current_standings(wanted) if wanted else {}
    groups = [_group(group, stored.get(group.code), current, cities, few=few, picked_ids=picked_ids)
              for group in plan.groups]  # fmt: skip
    rows = [TargetRow(target, _snapshot(target.pk, current.get(target.pk, NO_STANDING))) for target in column_targets]
    columns = [
        (cities[pk], sorted((row for row in rows if row.target.plan.city_id == pk), key=_column_order))
        for pk in sorted(column_ids, key=lambda pk: cities[pk].code)
    ]
    return SectorData(list(plan.cities), groups, columns)


def _group(
    plan: GroupPlan,
    stored: Ranking | None,
    current: dict[int, Standing],
    cities: dict[int, CityName],
    *,
    few: bool,
    picked_ids: set[int],
) -> IndicatorGroup:
    """An indicator's counts, leaders, laggards and the cities its chart draws, from its stored
    ranking or (without one) from every headline target's latest snapshot."""
    standings: dict[int, Standing]  # position → its standing, of the positions the page shows
    if stored is None:
        standings = dict(enumerate(current.get(pk, NO_STANDING) for pk in plan.pks))
        stored = ranking(list(standings.values()))
    else:  # the leaders and laggards as stored, and the cities picked
        standings = {i: current.get(plan.pks[i], NO_STANDING) for i in plan.positions(picked_ids)}
        standings.update(stored.named)
    counts, best, leading, lagging, not_reported, _named = stored

    def row(i: int) -> RankedRow:
        return RankedRow(i, plan.pks[i], cities[plan.city_ids[i]], plan.indicator_ids[i],
                         plan.labels[plan.label_ids[i]], *standings[i])  # fmt: skip

    leading_rows, lagging_rows = [row(i) for i in leading], [row(i) for i in lagging]
    if few:
        shown = [row(i) for i in rank_order(standings, standings)]
    elif picked_ids:
        shown = [row(i) for i in rank_order(standings, plan.positions(picked_ids))]
    else:
        shown = leading_rows + lagging_rows
    name = plan.labels[plan.label_ids[best]]  # the best ranked city's name for it
    return IndicatorGroup(
        plan.code, name.name, name.name_en, name.unit, plan.year, Counter(counts),
        leading=leading_rows, lagging=lagging_rows, shown=[r.city for r in shown],
        not_reported=[cities[plan.city_ids[i]] for i in not_reported], shown_rows={r.city.pk: r for r in shown},
        levels={r.city.pk: plan.levels(r.position) for r in shown},
    )  # fmt: skip


def _snapshot(pk: int, standing: Standing) -> ProgressSnapshot:
    """The latest snapshot's fields a column shows (no data without one)."""
    status, value, period, progress = standing
    return ProgressSnapshot(target_id=pk, status=status, latest_value=value, latest_period=period,
                            progress_pct=progress)  # fmt: skip


def _column_order(row: TargetRow) -> tuple[str, int, int]:
    return (row.target.indicator.code, row.target.target_year, row.target.position)


# What the page shows of a target in a city's column: the rest of the row, its source text
# above all, is left in the database.
SHOWN_FIELDS = (
    "plan__document_number", "plan__city__code", "plan__city__name", "plan__city__name_en", "indicator__code",
    "indicator__name", "indicator__name_en", "indicator__unit", "kind", "value", "target_year", "section", "position",
)  # fmt: skip


def _column_targets(sector: Sector, city_ids: set[int]) -> list[Target]:
    targets = Target.objects.filter(indicator__sector=sector, plan__city_id__in=city_ids)
    return list(targets.select_related("plan__city", "indicator").only(*SHOWN_FIELDS))


def shown_observations(groups: list[IndicatorGroup]) -> dict[int, Series]:
    """indicator id → its observations in time order, for the cities the charts show, in one read."""
    return observation_series({row.indicator_id for g in groups for row in g.shown_rows.values()})
