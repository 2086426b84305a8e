"""The deadline rule (measures.deadlines) in Python and in the database agree for every kind
of measure: no deadline, past, today, within and beyond DUE_SOON_DAYS; without updates, with
an open latest update, with a completed one."""

from __future__ import annotations

import datetime as dt

import pytest

from measures.deadlines import (
    DUE_SOON_DAYS,
    NO_STATE,
    DeadlineState,
    deadline_state,
    deadline_state_q,
    flagged_q,
    overdue_measures,
)
from measures.models import Measure, MeasureStatus, MeasureUpdate
from measures.selectors import with_latest_update

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 30)
OFFSETS = [None, -400, -1, 0, 1, DUE_SOON_DAYS, DUE_SOON_DAYS + 1, 900]


def test_python_and_sql_give_every_measure_the_same_state(world, users):
    template = world["pv_measure"]
    done = MeasureStatus.objects.filter(is_completed=True).first()
    open_ = MeasureStatus.objects.filter(is_completed=False).first()
    for n, offset in enumerate(OFFSETS):
        for latest in (None, open_, done):
            measure = Measure.objects.create(
                plan=template.plan,
                section=f"t{n}-{latest.pk if latest else 0}",
                title="t",
                text="t",
                sector=template.sector,
                deadline=None if offset is None else TODAY + dt.timedelta(days=offset),
                position=1000 + n,
            )
            if latest is not None:
                MeasureUpdate.objects.create(measure=measure, status=latest, created_by=users["admin"])
    rows = with_latest_update(Measure.objects.filter(section__startswith="t"))
    expected = {m.pk: deadline_state(m.deadline, bool(m.latest_completed), TODAY) or NO_STATE for m in rows}
    assert set(expected.values()) == {DeadlineState.OVERDUE, DeadlineState.DUE_SOON, NO_STATE}
    for state in (DeadlineState.OVERDUE, DeadlineState.DUE_SOON, NO_STATE):
        in_sql = set(rows.filter(deadline_state_q(state, today=TODAY)).values_list("pk", flat=True))
        assert in_sql == {pk for pk, s in expected.items() if s == state}, state
    overdue = set(overdue_measures(today=TODAY).filter(section__startswith="t").values_list("pk", flat=True))
    assert overdue == {pk for pk, s in expected.items() if s == DeadlineState.OVERDUE}
    flagged = set(rows.filter(flagged_q(today=TODAY)).values_list("pk", flat=True))
    assert flagged == {pk for pk, s in expected.items() if s != NO_STATE}
