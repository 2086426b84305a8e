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
    completed_among,
    completed_measures,
    deadline_state,
    deadline_state_q,
    due_by_q,
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
    # The city page's pair: the measures its deadline alone may flag (plan data), less those completed.
    candidates = set(rows.filter(due_by_q(today=TODAY)).values_list("pk", flat=True))
    assert candidates - completed_among(candidates) == flagged


def test_completed_among_reads_the_latest_update_as_the_database_rule_does(world, users):
    done = MeasureStatus.objects.filter(is_completed=True).first()
    open_ = MeasureStatus.objects.filter(is_completed=False).first()
    at = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    histories = {
        "reopened": [(done, at), (open_, at + dt.timedelta(days=1))],
        "finished": [(open_, at), (done, at + dt.timedelta(days=1))],
        "same moment, finished last": [(open_, at), (done, at)],
        "same moment, reopened last": [(done, at), (open_, at)],
        "entered late for an earlier day": [(done, at + dt.timedelta(days=2)), (open_, at)],
        "never updated": [],
    }
    template = world["pv_measure"]
    measures = {}
    for n, (name, updates) in enumerate(histories.items()):
        measures[name] = Measure.objects.create(
            plan=template.plan, section=f"h{n}", title=name, text="t", sector=template.sector, position=2000 + n
        )
        for status, created_at in updates:
            update = MeasureUpdate.objects.create(measure=measures[name], status=status, created_by=users["admin"])
            MeasureUpdate.objects.filter(pk=update.pk).update(created_at=created_at)
    ids = [m.pk for m in measures.values()]
    in_sql = set(completed_measures().filter(measure__in=ids).values_list("measure", flat=True))
    assert completed_among(ids) == in_sql
    assert in_sql == {
        measures[name].pk for name in ("finished", "same moment, finished last", "entered late for an earlier day")
    }
