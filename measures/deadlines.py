"""Where a measure stands against its deadline: the states, their labels, and the rule, both in
Python (for rows already read) and as a database condition (for filtering and counting), side
by side so they cannot drift apart (tests/test_deadline_states.py checks they agree)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from config.compiled_sql import CompiledRows
from measures.models import Measure, MeasureUpdate

DUE_SOON_DAYS = 60


class DeadlineState(models.TextChoices):
    OVERDUE = "overdue", _("逾期")
    DUE_SOON = "due_soon", _("即将到期")


NO_STATE = "none"  # the filters' name for every other measure


def deadline_state(deadline: dt.date | None, completed: bool, today: dt.date) -> str:
    """ "overdue" when past the deadline and the latest update is not completed; "due_soon"
    when the deadline is within DUE_SOON_DAYS and not completed; else ""."""
    if deadline is None or completed:
        return ""
    if deadline < today:
        return DeadlineState.OVERDUE
    if (deadline - today).days <= DUE_SOON_DAYS:
        return DeadlineState.DUE_SOON
    return ""


def completed_measures() -> QuerySet[MeasureUpdate, Any]:
    """The ids (as `measure`) of measures whose latest update is a completed status, found among
    the updates (no later update of the same measure exists) rather than by a latest-update
    subquery per measure: the cost follows the updates made, not the 14,000 measures of 300
    cities. A measure without updates is not completed."""
    later = MeasureUpdate.objects.filter(measure=OuterRef("measure")).filter(
        Q(created_at__gt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), id__gt=OuterRef("id"))
    )
    return MeasureUpdate.objects.filter(status__is_completed=True).exclude(Exists(later)).values("measure")


def completed_among(measure_ids: Iterable[int]) -> set[int]:
    """Which of these measures have a completed status as their latest update (the latest by
    creation time, then id, as everywhere). For a page's few measures: their updates are read
    newest first (a few per measure), which costs less than building the subquery of
    `completed_measures`, whose compilation takes longer than its run."""
    ids = tuple(sorted(set(measure_ids)))
    latest: dict[int, bool] = {}
    for measure_id, completed in _updates_newest_first(ids):
        latest.setdefault(measure_id, bool(completed))  # the first row of each measure is its latest
    return {measure_id for measure_id, completed in latest.items() if completed}


# Composed once per set of measures (config.compiled_sql): a city's flagged measures are the
# same all day.
_updates_newest_first = CompiledRows(
    lambda ids: (
        MeasureUpdate.objects.filter(measure__in=ids)
        .order_by("measure_id", "-created_at", "-id")
        .values_list("measure_id", "status__is_completed")
    ),
    kept=1024,
)


def deadline_state_q(state: str, *, today: dt.date) -> Q:
    """The same rule as a condition on measures. `state` is a DeadlineState or NO_STATE."""
    done = Q(pk__in=completed_measures())
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    if state == DeadlineState.OVERDUE:
        return Q(deadline__lt=today) & ~done
    if state == DeadlineState.DUE_SOON:
        return Q(deadline__gte=today, deadline__lte=soon) & ~done
    return Q(deadline__isnull=True) | done | Q(deadline__gt=soon)


def overdue_measures(*, today: dt.date) -> QuerySet[Measure]:
    """The overdue measures (the OVERDUE state of `deadline_state_q`), from a query of the open
    measures built once per process: building the completed-measures subquery into a query
    costs more than running it, and the overview counts overdue measures on every request."""
    return _open_measures().filter(deadline__lt=today)


@functools.cache
def _open_measures() -> QuerySet[Measure]:
    # Never evaluated itself: every use filters a copy.
    return Measure.objects.exclude(pk__in=completed_measures())


def due_by_q(*, today: dt.date) -> Q:
    """Measures that are overdue or due soon unless completed: by their deadline alone (plan
    data), without their updates."""
    return Q(deadline__lte=today + dt.timedelta(days=DUE_SOON_DAYS))


def flagged_q(*, today: dt.date) -> Q:
    """Overdue or due soon, as one condition: the two states' conditions joined by OR would
    repeat the completed-measures subquery, which costs more to build than to run."""
    return due_by_q(today=today) & ~Q(pk__in=completed_measures())
