"""Plausible yearly demo observations from 2020 for every quantified indicator.

Each indicator moves toward its first target at a pace drawn per indicator, so the demo shows
every status: some ahead, some lagging, some moving the wrong way. Rows are marked is_demo, the
dashboard shows a banner while any exist, and `load_demo_data --remove` deletes them. Real data
is never overwritten: an indicator with any real observation is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from config.change_sources import ChangeSource
from config.data_version import progress_changed
from reporting.bulk_record import CheckedEntry, observations_record_bulk
from reporting.models import Observation
from reporting.values import observation_input_clean
from targets.models import Target

START_YEAR = 2020
MISSING_SHARE = 0.3
PACES = [1.25, 1.05, 0.9, 0.75, 0.45, -0.3]


def _round(value: float) -> float:
    return float(f"{value:.4g}")


_Number = TypeVar("_Number", int, Decimal)


def _stated(number: _Number | None, target: Target, what: str) -> _Number:
    """A number the target's kind requires, which the model's constraints guarantee is stored."""
    if number is None:
        raise ValueError(f"Target {target.pk} ({target.kind}) has no {what}.")
    return number


def _series(
    target: Target, years: list[int], pace: float, rng: random.Random, start: float | None = None
) -> dict[int, float]:
    value = float(_stated(target.value, target, "value"))
    span = max(target.target_year - START_YEAR, 1)
    noise = lambda scale: 1 + rng.uniform(-0.015, 0.015) * scale  # noqa: E731
    rising = target.comparator == "at_least" or (
        target.comparator == "about" and target.indicator.direction == "increase"
    )
    if target.kind == Target.Kind.CUMULATIVE:
        period_start = _stated(target.period_start, target, "period start")
        if target.indicator.nature == "flow":
            per_year = value / max(target.target_year - period_start + 1, 1)
            return {y: _round(max(per_year * (pace if y >= period_start else 0.8) * noise(4), 0)) for y in years}
        base = value * 0.6
        return {y: _round(base + value * pace * (y - period_start + 1) / span * noise(1)) for y in years}
    if target.kind == Target.Kind.CHANGE:
        baseline_year = _stated(target.baseline_year, target, "baseline year")
        base = rng.uniform(0.4, 1.2)
        goal = base * (1 + value / 100)
        return {y: _round(base + (goal - base) * pace * (y - baseline_year) / span * noise(1)) for y in years}
    if target.kind == Target.Kind.ANNUAL_GROWTH:
        baseline_year = _stated(target.baseline_year, target, "baseline year")
        base = 1000.0
        return {y: _round(base * (1 + value / 100 * pace) ** (y - baseline_year) * noise(1)) for y in years}
    if start is None:
        start = value * (0.75 if rising else 1.25) if value else 10.0
    return {y: _round(start + (value - start) * pace * (y - START_YEAR) / span * noise(1)) for y in years}


def _submitted_at(year: int, rng: random.Random) -> dt.datetime:
    """A plausible first submission: most in March of the next year (annual values are due by
    31 March in the cities' set-up), some weeks late, so the completeness tables show both."""
    day = dt.date(year + 1, 3, 1) + dt.timedelta(days=rng.choice([5, 12, 20, 27, 29, 45]))
    return dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_current_timezone())


@transaction.atomic
def demo_observations_create(*, seed: int = 2026, last_year: int | None = None) -> int:
    """Create demo observations; returns how many. Run again, it adds nothing."""
    last_year = last_year or timezone.localdate().year - 1
    years = list(range(START_YEAR, last_year + 1))
    rng = random.Random(seed)
    submit_rng = random.Random(seed + 1)  # its own stream, so the values stay as they were
    real = set(Observation.objects.filter(is_demo=False).values_list("indicator_id", flat=True))
    existing = set(Observation.objects.values_list("indicator_id", "period"))
    # Level targets drive the series where there is one: they are what a reader checks first.
    first_target: dict[int, Target] = {}
    added: dict[tuple[int, int], float] = {}
    quantified = Target.objects.exclude(kind=Target.Kind.QUALITATIVE).select_related("indicator")
    for target in sorted(quantified, key=lambda t: (t.kind != Target.Kind.LEVEL, t.target_year, t.position)):
        first_target.setdefault(target.indicator_id, target)
        if target.kind == Target.Kind.CUMULATIVE and target.indicator.nature == "stock":
            added[(target.indicator_id, target.target_year)] = float(_stated(target.value, target, "value"))
    entries: list[CheckedEntry] = []
    for indicator_id, target in sorted(first_target.items()):
        pace = rng.choice(PACES)
        if indicator_id in real:
            continue
        # A plan that states both "add 400" and "reach 500" by 2025 implies 100 at the start.
        implied = added.get((indicator_id, target.target_year))
        start = (
            float(_stated(target.value, target, "value")) - implied
            if target.kind == Target.Kind.LEVEL and implied
            else None
        )
        # About a third of the indicators lack the latest year, so the demo shows what is owed;
        # not those with two consistent targets, whose statuses must stay in step.
        # Drawn per indicator, so a second run makes the same choice and adds nothing.
        skip = random.Random(f"{seed}-{indicator_id}").random() < MISSING_SHARE
        owed = last_year if skip and not implied else None
        for year, value in _series(target, years, pace, rng, start).items():
            if (indicator_id, str(year)) not in existing and year != owed:
                # Read by the service's own rules, as any entry is; an operator's command may
                # report every indicator, so no permission stands in the way.
                entry = observation_input_clean(period=year, value=value, note="演示数据")
                entries.append(CheckedEntry(target.indicator, entry, submitted_at=_submitted_at(year, submit_rng)))
    # Through the service's bulk path: every row gets its history record ("demo data"). The
    # command recomputes everything afterwards, so no recompute is queued per indicator.
    result = observations_record_bulk(entries, user=None, source=ChangeSource.DEMO, is_demo=True, queue_recompute=False)
    progress_changed()  # the demo banner and every page: a new data version everywhere
    return result.counts["created"]


@transaction.atomic
def demo_observations_remove() -> int:
    deleted, _ = Observation.objects.filter(is_demo=True).delete()
    return deleted
