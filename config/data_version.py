"""Tokens that change whenever what a dashboard page shows changes, scoped per city.

Dashboard fragments are cached under keys that include a token, so a cached fragment is never
served after the data behind it changed. Tokens are scoped two ways:

- By city. `data_version(city=c)` is for pages about one city (the city page, a target page).
  It changes when a row of that city changes, or something every city shares (sectors, measure
  statuses). A value saved in Zibo leaves Weihai's cached pages valid. `data_version()` is for
  pages across cities (the overview, a sector page): it changes on any change anywhere.
- By kind of data. The data versions above change on every change. `plan_version(...)`, with
  the same scopes, changes only when the plans change (cities, plans, targets, measures,
  bureaus and who answers for what), not when progress does (values, snapshots, assessments,
  measure updates: `PROGRESS_MODELS`). Plan text is most of a plan or bureau page and changes
  a few times a year; progress changes daily. A fragment that shows plan text only is keyed on
  the plan version and outlives the daily changes; the progress it shows is filled in per
  request (dashboard/progress_slots.py).

Saving or deleting a row a dashboard shows (the signal receivers in dashboard/apps.py) or a bulk
load call `data_changed`; a recompute that wrote snapshots and a bulk import of values call
`progress_changed`. Fragments also expire after `FRAGMENT_SECONDS`, so a write path that
bypasses all of these is stale for minutes at most.

The cache is an accelerator, never a dependency: every call here swallows (and logs) cache
errors, so a dead Redis leaves pages uncached but working and can never fail a write's
transaction. A version changed while Redis was down is not recorded; fragments cached before the
outage then live at most `FRAGMENT_SECONDS`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)
T = TypeVar("T")

FRAGMENT_SECONDS = 600
ALL_CITIES = "data-version:all"  # changes on every change
SHARED = "data-version:shared"  # changes when something every city shows changes
CITY = "data-version:city:{}"
# The same three scopes, changed only when the plans change.
PLAN_ALL = "plan-version:all"
PLAN_SHARED = "plan-version:shared"
PLAN_CITY = "plan-version:city:{}"

# Rows that record progress: a change to one of these leaves the plan versions as they are.
# Every other model (including any not listed in CITY_PATHS) counts as plan data, the safe side.
PROGRESS_MODELS = frozenset(
    {"reporting.observation", "reporting.targetassessment", "reporting.progresssnapshot", "measures.measureupdate"}
)

# How to find the city of a saved row, as attribute paths; a model missing here (or a row whose
# city cannot be read, e.g. a cascade delete) changes every city's version.
CITY_PATHS: dict[str, str] = {
    "targets.city": "pk",
    "targets.plan": "city_id",
    "targets.bureau": "city_id",
    "targets.indicator": "city_id",
    "targets.target": "indicator.city_id",
    "targets.targetresponsibility": "bureau.city_id",
    "targets.citysetup": "city_id",  # who reports and reviews: completeness tables, "my bureau"
    "targets.indicatorreporting": "indicator.city_id",
    "measures.measure": "plan.city_id",
    "measures.measureresponsibility": "bureau.city_id",
    "measures.measuretarget": "measure.plan.city_id",
    "measures.measureupdate": "measure.plan.city_id",
    "reporting.observation": "indicator.city_id",
    "reporting.targetassessment": "target.indicator.city_id",
    "reporting.progresssnapshot": "target.indicator.city_id",
}


def _city_id(city: Any) -> int:
    return int(getattr(city, "pk", city))


def data_version(city: Any = None) -> str:
    """The current token: for one city (a City or its id), or across cities (None)."""
    return _version((ALL_CITIES, SHARED, CITY), city)


def plan_version(city: Any = None) -> str:
    """Like `data_version`, but changed only when the plans change (not on progress)."""
    return _version((PLAN_ALL, PLAN_SHARED, PLAN_CITY), city)


def _version(keys: tuple[str, str, str], city: Any) -> str:
    """The token under the keys of one kind (across cities, shared, one city's pattern)."""
    across, shared, one_city = keys
    try:
        return _read([across] if city is None else [shared, one_city.format(_city_id(city))])
    except Exception:  # a cache problem must only cost the caching
        logger.warning("Could not read the %s; pages render uncached", across, exc_info=True)
        return ""


def plan_cached(name: str, compute: Callable[[], T], city: Any = None) -> T:
    """`compute()`, kept in the cache on the plan version: for reads of plan data (which targets
    a city or a sector has) that pages need after every change of progress. With `city` (a City
    or its id), on that city's plan version: for plan data of one city, which another city's
    plans leave valid. `name` says everything else the result depends on (the city included)."""
    version = plan_version(city)
    if not version:  # no cache: compute every time
        return compute()
    key = f"plan-data:{name}:{version}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, FRAGMENT_SECONDS)
    return found


def _read_many(keys: list[str]) -> dict[str, Any]:
    """The versions under `keys`, each started (a fresh random value) where none exists yet."""
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, uuid.uuid4().hex, None)
        found = cache.get_many(keys)
    return found


def _read(keys: list[str]) -> str:
    found = _read_many(keys)
    return ".".join(str(found.get(key, "")) for key in keys)


def data_changed(*args: Any, instance: Any = None, **kwargs: Any) -> None:
    """Start new versions for what `instance` belongs to (every city if None or unknown): now,
    and again when the current transaction commits, so a request that read the old rows and
    cached them in between is superseded too. Signal receivers and bulk writers call this."""
    cities = None if instance is None else _cities_of(instance)
    plan = instance is None or instance._meta.label_lower not in PROGRESS_MODELS
    _bump(cities, plan=plan)
    transaction.on_commit(lambda: _bump(cities, plan=plan))


def progress_changed(city_ids: Iterable[int] | None = None) -> None:
    """New data versions, plan versions kept, for writers of progress that know which cities
    they touched (bulk imports of values, a recompute); None is every city."""
    cities = None if city_ids is None else frozenset(int(c) for c in city_ids)
    _bump(cities, plan=False)
    transaction.on_commit(lambda: _bump(cities, plan=False))


def _cities_of(instance: Any) -> frozenset[int] | None:
    path = CITY_PATHS.get(instance._meta.label_lower)
    if path is None:
        return None
    value: Any = instance
    try:
        for attribute in path.split("."):
            value = getattr(value, attribute)
    except Exception:  # e.g. the parent row is already gone: scope to everything
        return None
    return None if value is None else frozenset([int(value)])


def _bump(cities: frozenset[int] | None, *, plan: bool) -> None:
    keys = [ALL_CITIES] + ([SHARED] if cities is None else [CITY.format(c) for c in sorted(cities)])
    if plan:
        keys += [PLAN_ALL] + ([PLAN_SHARED] if cities is None else [PLAN_CITY.format(c) for c in sorted(cities)])
    try:
        cache.set_many({key: uuid.uuid4().hex for key in keys}, None)
    except Exception:  # never fail the write that changed the data
        logger.warning("Could not start a new data version; cached pages expire within %ss", FRAGMENT_SECONDS)
