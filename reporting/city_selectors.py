"""Reads for a city's dashboard: headlines, status by sector, targets grouped worst first."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from functools import partial

from config.data_version import plan_cached
from reporting.progress_selectors import (
    HEADLINE_YEARS,
    CityFilters,
    Headline,
    TargetRow,
    city_targets_query,
    indicator_trends,
    target_rows,
)
from reporting.statuses import ATTENTION_STATUSES, WORST_FIRST, StatusStyle, status_styles
from targets.models import City, Plan, Sector, Target


@dataclass
class SectorGroup:
    sector: Sector
    rows: list[TargetRow]
    open: bool

    @property
    def parts(self) -> list[tuple[StatusStyle, int]]:
        counts = Counter(row.status for row in self.rows)
        return [(style, counts[style.code]) for style in status_styles() if counts[style.code]]


@dataclass
class CityTargets:
    headlines: list[Headline]
    all_rows: list[TargetRow]
    rows: list[TargetRow]
    groups: list[SectorGroup]

    @property
    def years(self) -> list[int]:
        """The city's target years, for the filter form."""
        return sorted({row.target.target_year for row in self.all_rows})


def city_headlines(rows: list[TargetRow]) -> list[Headline]:
    """The city's quantified targets per headline year by status (qualitative ones are assessed
    by a person and counted apart on the page)."""
    headlines = {year: Headline(year) for year in HEADLINE_YEARS}
    for row in rows:
        if row.target.target_year in headlines and row.target.kind != Target.Kind.QUALITATIVE:
            headlines[row.target.target_year].counts[row.status] += 1
    return list(headlines.values())


def _worst_first(row: TargetRow) -> tuple[int, int, int]:
    return (WORST_FIRST.get(row.status, 99), row.target.target_year, row.target.position)


def sector_groups(rows: list[TargetRow], *, filtered: bool) -> list[SectorGroup]:
    """Rows grouped by sector, each group worst first, the groups in order of their worst row
    and then of how many rows need attention."""
    grouped: dict[Sector, list[TargetRow]] = {}
    for row in sorted(rows, key=_worst_first):
        grouped.setdefault(row.target.indicator.sector, []).append(row)
    groups = sorted(
        (SectorGroup(sector, members, filtered) for sector, members in grouped.items()),
        key=lambda g: (_worst_first(g.rows[0])[0], -_attention(g.rows), g.sector.position),
    )
    # Unfiltered, the page opens on the sector that needs the most attention; the others show
    # their counts in their summary line and open on a click (and all of them in print).
    if groups and not filtered:
        groups[0].open = True
    return groups


def _attention(rows: list[TargetRow]) -> int:
    return sum(row.status in ATTENTION_STATUSES for row in rows)


def city_targets(city: City, filters: CityFilters) -> CityTargets:
    # Which targets the city has, and which pass filters other than the status, is plan data:
    # kept on the city's plan version, so a change of progress reads only the progress.
    targets = city_target_list(city)
    all_rows = target_rows(targets, indicator_trends(t.indicator_id for t in targets))
    rows = all_rows
    if filters.active:
        # The headlines and the chart count every target: pick the filtered ones from those rows
        # (the filter decides which, in the database) rather than read them all a second time.
        chosen = _chosen(city, filters)
        rows = [row for row in all_rows if row.target.pk in chosen]
    return CityTargets(
        headlines=city_headlines(all_rows),
        all_rows=all_rows,
        rows=rows,
        groups=sector_groups(rows, filtered=filters.active),
    )


def city_target_list(city: City) -> list[Target]:
    """Every target of the city, with its plan, indicator and sector, in the order of its page:
    plan data, kept on the city's plan version."""
    return plan_cached(f"city-targets:{city.pk}", partial(_read_city_targets, city), city=city)


def _read_city_targets(city: City) -> list[Target]:
    targets = list(city_targets_query(city, CityFilters()))
    # The rows read each plan and sector again with every target: one of each, shared, pickles
    # (for the cache) and unpickles on each read in half the time.
    plans: dict[int, Plan] = {}
    sectors: dict[int, Sector] = {}
    for target in targets:
        target.plan = plans.setdefault(target.plan_id, target.plan)
        target.indicator.sector = sectors.setdefault(target.indicator.sector_id, target.indicator.sector)
    return targets


def _chosen(city: City, filters: CityFilters) -> set[int]:
    """The ids of the city's targets that pass `filters`."""
    ids = filters.apply(Target.objects.filter(plan__city=city)).values_list("pk", flat=True)
    if filters.status:  # a filter on progress: read again after every change
        return set(ids)
    key = hashlib.sha256(filters.query().encode()).hexdigest()[:32]
    return plan_cached(f"city-target-ids:{city.pk}:{key}", lambda: set(ids), city=city)


def sector_status_counts(rows: list[TargetRow]) -> tuple[list[Sector], dict[str, list[int]]]:
    """Sectors in their taxonomy order and, per status, each sector's number of targets."""
    sectors = sorted({row.target.indicator.sector for row in rows}, key=lambda s: (s.position, s.code))
    index = {sector: i for i, sector in enumerate(sectors)}
    counts: dict[str, list[int]] = {style.code: [0] * len(sectors) for style in status_styles()}
    for row in rows:
        counts[row.status][index[row.target.indicator.sector]] += 1
    return sectors, counts
