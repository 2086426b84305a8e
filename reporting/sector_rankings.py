"""Cities ranked on each common indicator of a sector, for the sector page.

Which targets are ranked is plan data: per indicator code of the sector, each city's first
target on it at the code's first target year (its headline target), in city code order
(`sector_plan`, kept on the plan version by config.data_version.plan_cached). How they rank
follows their latest snapshots: the best status first (reporting.statuses.WORST_FIRST read
backwards), then the most progress (`ranking`).

At 300 cities the sector page ranks some 1,900 targets on 14 indicators; reading their latest
snapshots and ranking them took most of the page's time on the first request after every
change of progress. A ranking changes only when a recompute writes snapshots, so the recompute
ranks the indicators whose targets it wrote again, in its own transaction
(`sector_rankings_refresh`), into SectorRanking: the counts by status, the leading and lagging
cities with their targets' status, value and progress, and the cities without a value. The
page reads a row per indicator (`stored_rankings`). A row records which headline targets it
ranked (`headlines`, a digest of their ids); when the plans have changed since (a target added,
moved or deleted), the row is not read and the page ranks that indicator itself, until the next
recompute that writes one of its targets, or the nightly full one, writes it again.
"""

from __future__ import annotations

import hashlib
import math
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery

from config.compiled_sql import CompiledRows
from config.data_version import plan_cached
from reporting.models import ProgressSnapshot, SectorRanking
from reporting.statuses import WORST_FIRST
from targets.models import City, Sector, Target

# Up to this many cities a sector page shows every city, and ranks them itself; beyond, the
# leaders, the laggards and the cities the reader picked.
ALL_CITIES_UP_TO = 6
RANKED = 3

Standing = tuple[str, float | None, str, float | None]  # status, latest value, its period, progress %
NO_STANDING: Standing = (ProgressSnapshot.Status.NO_DATA, None, "", None)


class CityName(NamedTuple):
    """What the page shows of a city (its name, its code for links and colours): kept with the
    sector's plan data, read faster than a City object for each of 300 cities."""

    pk: int
    code: str
    name: str
    name_en: str


class Label(NamedTuple):
    """An indicator's name and unit (cities may name a common indicator differently)."""

    name: str
    name_en: str
    unit: str


class GroupPlan(NamedTuple):
    """An indicator code's headline targets, in city code order, as parallel arrays of numbers
    (read after every change of progress: an array comes back from the cache as one block of
    memory, where a tuple of numbers makes an object of each)."""

    code: str
    year: int
    labels: tuple[Label, ...]  # the names its cities give the indicator
    pks: array[int]
    city_ids: array[int]
    indicator_ids: array[int]
    label_ids: array[int]  # each target's indicator's name, as an index into `labels`
    headlines: str  # a digest of `pks`: which targets a stored ranking ranked
    # The years and levels of each target's city's level targets on the indicator, for its
    # chart: those of position i are at level_starts[i] up to level_starts[i + 1].
    level_starts: array[int]
    level_years: array[int]
    level_values: array[float]

    def positions(self, city_ids: set[int]) -> list[int]:
        """The positions of these cities' targets."""
        if not city_ids:
            return []
        return [i for i, city_id in enumerate(self.city_ids) if city_id in city_ids]

    def levels(self, position: int) -> tuple[list[int], list[float]]:
        """The years and levels of the level targets of the city at `position`."""
        start, end = self.level_starts[position], self.level_starts[position + 1]
        return self.level_years[start:end].tolist(), self.level_values[start:end].tolist()


class SectorPlan(NamedTuple):
    """A sector's plan data that its page needs after a change of progress."""

    cities: tuple[CityName, ...]  # every city with a target in the sector, by code
    groups: tuple[GroupPlan, ...]  # by indicator code


class Ranking(NamedTuple):
    """An indicator's ranking: positions are indexes into its GroupPlan's arrays."""

    counts: dict[str, int]  # status → cities
    best: int  # the best ranked (its city's name for the indicator names it on the page)
    leading: list[int]  # best first
    lagging: list[int]  # worst first
    not_reported: list[int]  # without a latest value, in city order
    named: dict[int, Standing]  # position → standing, of the leading and lagging (as stored)


def sector_plan(sector_id: int) -> SectorPlan:
    return plan_cached(f"sector-plan:{sector_id}", partial(_sector_plan, sector_id))


def _sector_plan(sector_id: int) -> SectorPlan:
    """The sector's cities, its indicators' headline targets and their cities' level targets,
    in three queries."""
    targets = Target.objects.filter(indicator__sector_id=sector_id).order_by(
        "indicator__code", "plan__city__code", "target_year", "position"
    )
    rows = targets.values_list(
        "pk", "indicator__code", "target_year", "plan__city_id", "indicator_id", "indicator__name",
        "indicator__name_en", "indicator__unit",
    )  # fmt: skip
    by_code: dict[str, list[tuple]] = {}
    for row in rows:
        by_code.setdefault(row[1], []).append(row)
    city_ids = {row[3] for code_rows in by_code.values() for row in code_rows}
    cities = tuple(
        CityName(*city)
        for city in City.objects.filter(pk__in=city_ids).order_by("code").values_list("pk", "code", "name", "name_en")
    )
    few = len(cities) <= ALL_CITIES_UP_TO
    levels: dict[tuple[str, int], list[tuple[int, float]]] = {}  # (code, city id) → (year, level)
    level_targets = targets.filter(kind=Target.Kind.LEVEL).order_by("plan", "position")
    for code, city_id, year, value in level_targets.values_list(
        "indicator__code", "plan__city_id", "target_year", "value"
    ):
        if value is not None:
            levels.setdefault((code, city_id), []).append((year, float(value)))
    groups = []
    for code, code_rows in by_code.items():
        year = min(row[2] for row in code_rows)
        labels: dict[Label, int] = {}
        first: dict[int, tuple[int, int, int, int]] = {}
        for pk, _code, target_year, city_id, indicator_id, *label in code_rows:
            if target_year == year and city_id not in first:
                first[city_id] = (pk, city_id, indicator_id, labels.setdefault(Label(*label), len(labels)))
        if few and len(first) < 2:
            continue  # a chart compares cities; an indicator only one city reports has its own target page
        pks, group_cities, indicator_ids, label_ids = zip(*first.values(), strict=True)
        digest = hashlib.blake2b(",".join(map(str, pks)).encode(), digest_size=16).hexdigest()
        points = [levels.get((code, city_id), []) for city_id in group_cities]
        starts = array("I", [0])
        for city_points in points:
            starts.append(starts[-1] + len(city_points))
        groups.append(
            GroupPlan(code, year, tuple(labels), array("q", pks), array("q", group_cities), array("q", indicator_ids),
                      array("H", label_ids), digest, starts, array("H", [y for p in points for y, _v in p]),
                      array("d", [v for p in points for _y, v in p]))
        )  # fmt: skip
    return SectorPlan(cities, tuple(groups))


def current_standings(target_ids: Iterable[int] | None = None) -> dict[int, Standing]:
    """target id → its latest snapshot's status, value, period and progress (every target's
    when None); a target without a snapshot is left out. For some targets, each one's latest is
    found by one step on the (target, -id) index, so the cost follows the targets (a few hundred
    cities' on one indicator, on every recompute of one value), not the history they hold."""
    latest: Iterable[tuple[Any, ...]]
    if target_ids is None:
        latest = _standings(ProgressSnapshot.objects.latest_per_target())
    else:
        # In two steps: joined to the latest ids in one statement, PostgreSQL hashed every
        # snapshot stored rather than look up the few hundred it needs.
        latest_ids = [pk for (pk,) in _latest_ids(tuple(sorted(set(target_ids)))) if pk is not None]
        latest = _standings(ProgressSnapshot.objects.filter(pk__in=latest_ids))
    return {pk: (status, value, period, progress) for pk, status, value, period, progress in latest}


def _standings(snapshots: QuerySet[ProgressSnapshot]) -> QuerySet:
    # No order: the snapshots' default one joins their targets, plans and cities to sort rows
    # that end in a dict.
    return snapshots.order_by().values_list("target_id", "status", "latest_value", "latest_period", "progress_pct")


# An indicator's headline targets are the same from one recompute to the next: the SQL of their
# latest snapshots' ids is composed once per set of targets (config.compiled_sql).
_latest_ids = CompiledRows(
    lambda ids: (
        Target.objects.filter(pk__in=ids)
        .annotate(
            last=Subquery(ProgressSnapshot.objects.filter(target=OuterRef("pk")).order_by("-id").values("id")[:1])
        )
        .order_by()
        .values_list("last")
    ),
    kept=256,
)


def rank_key(standing: Standing) -> tuple[int, float]:
    """Best first: by status (WORST_FIRST backwards), then by progress, the most first."""
    status, _value, _period, progress = standing
    return (-WORST_FIRST.get(status, 0), -progress if progress is not None and math.isfinite(progress) else math.inf)


def rank_order(standings: Sequence[Standing] | Mapping[int, Standing], positions: Iterable[int]) -> list[int]:
    """The positions, best first by their standings; equals keep their order (the cities')."""
    return sorted(positions, key=lambda i: rank_key(standings[i]))


def ranking(standings: list[Standing]) -> Ranking:
    """An indicator's ranking from its headline targets' standings (in their plan order)."""
    order = rank_order(standings, range(len(standings)))
    reported = [i for i in order if standings[i][1] is not None]
    leading = reported[: min(RANKED, math.ceil(len(reported) / 2))]
    lagging = list(reversed(reported[len(leading) :][-RANKED:]))
    not_reported = [i for i, standing in enumerate(standings) if standing[1] is None]
    counts = dict(Counter(standing[0] for standing in standings))
    named = {i: standings[i] for i in leading + lagging}
    return Ranking(counts, order[0], leading, lagging, not_reported, named)


def stored_rankings(plan: SectorPlan, sector_id: int) -> dict[str, Ranking]:
    """code → its stored ranking, for the indicators whose row ranked the headline targets the
    plans give now."""
    headlines = {group.code: group.headlines for group in plan.groups}
    rows = SectorRanking.objects.filter(sector_id=sector_id).values_list(
        "code", "headlines", "counts", "best", "leading", "lagging", "not_reported"
    )
    rankings = {}
    for code, digest, counts, best, leading, lagging, not_reported in rows:
        if headlines.get(code) == digest:
            named = {i: (status, _number(value), period, _number(progress))
                     for i, status, value, period, progress in leading + lagging}  # fmt: skip
            rankings[code] = Ranking(counts, best, [row[0] for row in leading], [row[0] for row in lagging],
                                     not_reported, named)  # fmt: skip
    return rankings


def _stored(ranking: Ranking, positions: list[int]) -> list[list]:
    """The positions with their standings, as SectorRanking keeps them."""
    rows = []
    for i in positions:
        status, value, period, progress = ranking.named[i]
        rows.append([i, status, _json(value), period, _json(progress)])
    return rows


def _json(number: float | None) -> float | str | None:
    """A number for JSON: an infinite or undefined one as text, which JSON has no number for."""
    return number if number is None or math.isfinite(number) else repr(number)


def _number(stored: float | str | None) -> float | None:
    return float(stored) if isinstance(stored, str) else stored


def sector_rankings_refresh(target_ids: Iterable[int] | None = None) -> None:
    """Rank again the indicators of these targets in their sectors (every indicator when None).
    Called inside the recompute's transaction, after its snapshots are written."""
    ids = None if target_ids is None else sorted({int(pk) for pk in target_ids})
    targets = Target.objects.all() if ids is None else Target.objects.filter(pk__in=ids)
    touched: dict[int, set[str]] = {}
    for sector_id, code in targets.values_list("indicator__sector_id", "indicator__code").distinct().order_by():
        touched.setdefault(sector_id, set()).add(code)
    if not touched:
        return
    with transaction.atomic(savepoint=False):
        # One ranking per sector at a time, as for the status counts: two recomputes of
        # different cities' targets on one indicator run side by side, and each would rank
        # without the other's uncommitted snapshots. The later run waits here, then reads what
        # the earlier one committed. Sectors are locked after targets and cities, in id order,
        # as every recompute does, so no two runs deadlock.
        sectors = Sector.objects.filter(pk__in=list(touched)).order_by("pk").select_for_update(no_key=True)
        list(sectors.values_list("pk", flat=True))
        plans = {sector_id: sector_plan(sector_id) for sector_id in touched}
        groups = [(sector_id, group) for sector_id, plan in plans.items() for group in plan.groups
                  if group.code in touched[sector_id]]  # fmt: skip
        current = current_standings(None if ids is None else [pk for _sector, group in groups for pk in group.pks])
        rows = []
        for sector_id, group in groups:
            ranked = ranking([current.get(pk, NO_STANDING) for pk in group.pks])
            rows.append(
                SectorRanking(sector_id=sector_id, code=group.code, headlines=group.headlines, counts=ranked.counts,
                              best=ranked.best, leading=_stored(ranked, ranked.leading),
                              lagging=_stored(ranked, ranked.lagging), not_reported=ranked.not_reported)
            )  # fmt: skip
        if ids is None:  # every ranking anew, and none left of an indicator the plans no longer rank
            SectorRanking.objects.all().delete()
            SectorRanking.objects.bulk_create(rows, batch_size=500)
        else:  # these indicators' rows, in one statement
            SectorRanking.objects.bulk_create(
                rows, batch_size=500, update_conflicts=True, unique_fields=["sector", "code"], update_fields=_RANKED
            )


_RANKED = ["headlines", "counts", "best", "leading", "lagging", "not_reported"]
