"""Recompute service, Celery wiring, reminders: through the database, with hand-checked values."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import threading
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from config.change_sources import ChangeSource
from measures.deadlines import deadline_state
from measures.models import DeadlineReminder, MeasureStatus, MeasureUpdate
from measures.reminders import deadline_reminders_send, reminder_stage
from measures.selectors import city_measures
from reporting import tasks
from reporting.models import Observation, ProgressSnapshot
from reporting.recompute import progress_recompute
from reporting.recompute_lock import full_recompute_lock
from reporting.services import observation_record


def _observe(world, user, period, value):
    return observation_record(source=ChangeSource.COMMAND, indicator=world["pv"], period=period, value=value, user=user)


def test_recording_an_observation_recomputes_its_targets_on_commit(world, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _observe(world, users["ndrc_staff"], "2020", "300")
    # One recompute is queued (the other callbacks start a new dashboard data version).
    assert [c.__qualname__ for c in callbacks].count("observation_record.<locals>.queue") == 1
    with django_capture_on_commit_callbacks(execute=True):
        _observe(world, users["ndrc_staff"], "2023", "420")
    snapshot = ProgressSnapshot.objects.filter(target=world["pv_target"]).latest("id")
    # level ≥ 500 from 300 (2020) to 420 (2023): progress 60 %, expected 60 %.
    assert (snapshot.status, snapshot.latest_value, snapshot.latest_period) in {
        ("on_track", 420.0, "2023"),
    }
    assert snapshot.progress_pct == pytest.approx(60.0)
    assert snapshot.expected_pct == pytest.approx(60.0)
    # The PM2.5 target's indicator was not touched: no snapshot for it.
    assert not ProgressSnapshot.objects.filter(target=world["pm_target"]).exists()


def test_nothing_is_queued_before_commit(world, users, django_capture_on_commit_callbacks):
    with mock.patch.object(tasks.recompute_indicator, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            _observe(world, users["ndrc_staff"], "2021", "310")
        delay.assert_not_called()
        for callback in callbacks:
            callback()
        delay.assert_called_once_with(world["pv"].pk)


def test_an_unchanged_value_queues_nothing_and_writes_no_history(world, users, django_capture_on_commit_callbacks):
    _observe(world, users["ndrc_staff"], "2021", "310")
    with django_capture_on_commit_callbacks() as callbacks:
        _observe(world, users["ndrc_staff"], "2021", "310.0")
    assert callbacks == []
    assert Observation.objects.get().history.count() == 1


def test_recompute_over_unchanged_data_writes_nothing(world, users):
    Observation.objects.create(indicator=world["pv"], period="2020", period_end="2020-12-31", value=300)
    Observation.objects.create(indicator=world["pv"], period="2023", period_end="2023-12-31", value=420)
    first = progress_recompute()
    assert (first.targets, first.written) == (2, 2)
    second = progress_recompute()
    assert (second.targets, second.written) == (2, 0)
    Observation.objects.filter(period="2023").update(value=520)
    third = progress_recompute()
    assert third.written == 1
    history = list(
        ProgressSnapshot.objects.filter(target=world["pv_target"]).order_by("id").values_list("status", flat=True)
    )
    assert history == ["on_track", "achieved"]


def test_redis_down_still_saves_and_the_page_says_figures_may_lag(transactional_db, client, world, users):
    client.force_login(users["ndrc_staff"])
    with mock.patch.object(tasks.recompute_indicator, "delay", side_effect=ConnectionError("redis down")):
        response = client.post(
            reverse("entry:observation_create", args=[world["pv"].pk]), {"period": "2022", "value": "350"}, follow=True
        )
    assert Observation.objects.get(indicator=world["pv"], period="2022").value == 350
    assert "可能滞后" in response.content.decode()
    # The nightly run catches up.
    tasks.recompute_all.apply()
    assert ProgressSnapshot.objects.filter(target=world["pv_target"]).exists()


def test_two_full_recomputes_never_run_at_once_and_the_skipped_one_says_who_runs(world):
    Observation.objects.create(indicator=world["pv"], period="2020", period_end="2020-12-31", value=300)
    held, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:  # another run, on its own database connection
        try:
            with full_recompute_lock(run="nightly-0042") as holder:
                assert holder is None
                held.set()
                release.wait(30)
        finally:
            connection.close()

    other = threading.Thread(target=hold_the_lock)
    other.start()
    assert held.wait(30)
    try:
        outcome = tasks.recompute_all.apply().get()
        assert outcome["held_by"] == "nightly-0042"
        assert "nightly-0042" in outcome["skipped"]
        since = dt.datetime.fromisoformat(outcome["since"])
        assert abs((timezone.now() - since).total_seconds()) < 60
        assert not ProgressSnapshot.objects.exists()
    finally:
        release.set()
        other.join()
    # The holder's transaction ended: the lock went with it, nothing to clean up.
    assert tasks.recompute_all.apply().get() == {"targets": 2, "written": 2}


@pytest.fixture
def errors_recorded(monkeypatch):
    """Run eagerly, a task's error is raised in the caller by default (task_eager_propagates);
    these tests read it from the result instead, as a worker records it, retries included."""
    monkeypatch.setitem(tasks.recompute_all.app.conf, "task_eager_propagates", False)


def test_a_task_retries_a_passing_failure_and_then_succeeds(world, monkeypatch, errors_recorded):
    from reporting import recompute

    # A database error twice, then the recompute goes through. Run eagerly, Celery runs each
    # retry at once (the backoff delay applies on a real worker).
    real = recompute.progress_recompute_indicator
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) <= 2:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    monkeypatch.setattr(recompute, "progress_recompute_indicator", flaky)
    result = tasks.recompute_indicator.apply(args=[world["pv"].pk])
    assert result.successful() and result.get() == {"targets": 1, "written": 1}
    assert ProgressSnapshot.objects.filter(target=world["pv_target"]).count() == 1
    assert calls == [{"indicator_id": world["pv"].pk}] * 3


@pytest.mark.parametrize(
    ("task", "module", "service"),
    [
        (tasks.recompute_indicator, "reporting.recompute", "progress_recompute_indicator"),
        (tasks.recompute_all, "reporting.recompute", "progress_recompute_all_exclusive"),
        (tasks.send_deadline_reminders, "measures.reminders", "deadline_reminders_send"),
    ],
)
def test_tasks_retry_up_to_their_limit_and_are_acked_late(world, monkeypatch, errors_recorded, task, module, service):
    calls = []

    def broken(**kwargs):
        calls.append(kwargs)
        raise OperationalError("the database is down")

    monkeypatch.setattr(importlib.import_module(module), service, broken)
    outcome = task.apply(args=[world["pv"].pk] if task is tasks.recompute_indicator else [])
    assert outcome.failed() and isinstance(outcome.result, OperationalError)
    assert len(calls) == task.max_retries + 1 >= 4  # the first run and every retry
    assert task.acks_late is True  # a worker lost mid-task leaves the message to be redelivered


def test_beat_schedule_has_the_nightly_recompute_and_daily_reminders():
    from django.conf import settings

    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks_scheduled == {
        "reporting.tasks.recompute_all",
        "reporting.tasks.send_deadline_reminders",
        "jobs.tasks.prune_jobs",
    }


@pytest.mark.parametrize(
    ("days", "completed", "expected"),
    [
        (-1, False, "overdue"),
        (-1, True, ""),
        (0, False, "due_soon"),
        (60, False, "due_soon"),
        (61, False, ""),
        (10, True, ""),
    ],
)
def test_deadline_status(days, completed, expected):
    today = dt.date(2026, 11, 21)
    assert deadline_state(today + dt.timedelta(days=days), completed, today) == expected


def test_measures_grouped_by_deadline_status(world, users):
    today = dt.date(2026, 11, 21)
    world["pv_measure"].deadline = dt.date(2026, 10, 31)
    world["pv_measure"].save()
    world["pm_measure"].deadline = dt.date(2026, 12, 31)
    world["pm_measure"].save()
    groups = city_measures(world["plan"].city, today)
    assert [m.section for m in groups["overdue"]] == ["三（一）1"]
    assert [m.section for m in groups["due_soon"]] == ["三（二）1"]
    MeasureUpdate.objects.create(
        measure=world["pv_measure"], status=MeasureStatus.objects.get(code="completed"), created_by=users["admin"]
    )
    assert city_measures(world["plan"].city, today)["overdue"] == []


@pytest.mark.parametrize(
    ("days", "stage"),
    [(45, None), (30, "30d"), (8, "30d"), (7, "7d"), (2, "7d"), (1, "1d"), (0, "1d"), (-1, "overdue")],
)
def test_reminder_stage(days, stage):
    today = dt.date(2026, 11, 21)
    assert reminder_stage(today + dt.timedelta(days=days), today) == stage


def test_reminders_are_sent_once_each_to_the_responsible_bureaus(world, users):
    users["ndrc_staff"].email = "ndrc@example.gov.cn"
    users["ndrc_staff"].save()
    users["eco_staff"].email = "eco@example.gov.cn"
    users["eco_staff"].save()
    measure = world["pv_measure"]  # the NDRC alone is responsible
    measure.deadline = dt.date(2026, 12, 31)
    measure.deadline_source = "到2026年年底"
    measure.save()
    day = dt.date(2026, 12, 1)  # 30 days before
    assert deadline_reminders_send(day) == 1
    assert deadline_reminders_send(day) == 0, "once each"
    assert deadline_reminders_send(dt.date(2026, 12, 2)) == 0, "still the 30-day stage"
    assert deadline_reminders_send(dt.date(2026, 12, 24)) == 1  # 7 days before
    assert deadline_reminders_send(dt.date(2026, 12, 30)) == 1  # 1 day before
    assert deadline_reminders_send(dt.date(2027, 1, 3)) == 1  # overdue
    assert deadline_reminders_send(dt.date(2027, 1, 4)) == 0
    assert len(mail.outbox) == 4
    assert all(message.to == ["ndrc@example.gov.cn"] for message in mail.outbox)
    assert "已逾期3天" in mail.outbox[-1].subject and "三（一）1" in mail.outbox[-1].subject
    assert set(DeadlineReminder.objects.values_list("stage", flat=True)) == {"30d", "7d", "1d", "overdue"}


def test_no_reminder_for_a_completed_measure(world, users):
    measure = world["pv_measure"]
    measure.deadline = dt.date(2026, 12, 31)
    measure.save()
    MeasureUpdate.objects.create(
        measure=measure, status=MeasureStatus.objects.get(code="completed"), created_by=users["admin"]
    )
    assert deadline_reminders_send(dt.date(2027, 1, 5)) == 0


def test_recompute_and_export_progress_commands(world):
    Observation.objects.create(indicator=world["pv"], period="2020", period_end="2020-12-31", value=300)
    Observation.objects.create(indicator=world["pv"], period="2023", period_end="2023-12-31", value=420)
    out = StringIO()
    call_command("recompute_progress", "--city", "测试市", stdout=out)
    assert "Recomputed 2 target(s): 2 changed, 0 unchanged." in out.getvalue()
    out = StringIO()
    call_command("export_progress", "--format", "json", stdout=out)
    records = {r["target_id"]: r for r in json.loads(out.getvalue())}
    pv = records[world["pv_target"].pk]
    assert pv == {
        "target_id": world["pv_target"].pk,
        "city": "测试市",
        "indicator_code": "pv_installed_capacity",
        "target_year": 2025,
        "status": "on_track",
        "latest_value": 420.0,
        "latest_period": "2023",
        "target_level": 500.0,
        "projected_value": pytest.approx(525.6, abs=0.05),
        "progress_pct": 60.0,
        "expected_pct": 60.0,
        "warning_level": 3,
    }
    assert records[world["pm_target"].pk]["status"] == "no_data"


def test_qualitative_target_takes_a_persons_assessment(world, users, django_capture_on_commit_callbacks):
    from django.core.exceptions import PermissionDenied

    from reporting.services import target_assess
    from targets.models import Target

    target = Target.objects.create(
        plan=world["plan"],
        code="zero-landfill-2025",
        indicator=world["pm"],
        kind="qualitative",
        target_year=2025,
        section="四（四）",
        source_text="到2025年，原生生活垃圾零填埋",
    )
    with pytest.raises(PermissionDenied):
        target_assess(
            source=ChangeSource.COMMAND, target=target, verdict="on_track", note="进展顺利", user=users["ndrc_staff"]
        )
    progress_recompute()
    assert ProgressSnapshot.objects.filter(target=target).latest("id").status == "no_data"
    with django_capture_on_commit_callbacks(execute=True):
        target_assess(
            source=ChangeSource.COMMAND,
            target=target,
            verdict="on_track",
            note="焚烧厂二期已投运",
            user=users["eco_staff"],
        )
    latest = ProgressSnapshot.objects.filter(target=target).latest("id")
    assert (latest.status, latest.note) == ("manual", "焚烧厂二期已投运")


def test_assessment_frame_gives_each_asked_target_its_latest_assessment(world, users):
    from reporting.frames import assessment_frame
    from reporting.models import TargetAssessment

    admin = users["admin"]
    for verdict in ("off_track", "on_track"):
        TargetAssessment.objects.create(target=world["pm_target"], verdict=verdict, note="…", assessed_by=admin)
    TargetAssessment.objects.create(target=world["pv_target"], verdict="achieved", note="…", assessed_by=admin)
    frame = assessment_frame([world["pm_target"].pk])
    assert frame[["target_id", "verdict"]].values.tolist() == [[world["pm_target"].pk, "on_track"]]
    assert len(assessment_frame()) == 2


def test_the_embedded_databases_lock_holds_across_processes_and_dies_with_its_holder(tmp_path, monkeypatch):
    """SQLite's lock (a flock on a file beside the database): another process cannot take it
    while it is held, and a holder that is killed leaves nothing to clean up."""
    import subprocess
    import sys

    from reporting import recompute_lock

    path = tmp_path / "db.sqlite3.recompute-lock"
    monkeypatch.setattr(recompute_lock, "_lock_path", lambda: path)
    try_lock = (
        "import fcntl, sys\nf = open(sys.argv[1], 'a+')\n"
        "try:\n    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)\nexcept BlockingIOError:\n    sys.exit(1)\n"
    )
    with recompute_lock._local_lock("nightly-7") as holder:
        assert holder is None
        assert subprocess.run([sys.executable, "-c", try_lock, str(path)], check=False).returncode == 1
        with recompute_lock._local_lock("by-hand") as other:  # a second open: as another process
            assert other is not None and other.run == "nightly-7"
    assert subprocess.run([sys.executable, "-c", try_lock, str(path)], check=False).returncode == 0

    hold = try_lock + "print('held', flush=True)\nimport time\ntime.sleep(60)\n"
    holder_process = subprocess.Popen([sys.executable, "-c", hold, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder_process.stdout.readline().strip() == "held"
        with recompute_lock._local_lock("by-hand") as other:
            assert other is not None  # held by the other process
        holder_process.kill()
        holder_process.wait(10)
        with recompute_lock._local_lock("by-hand") as other:
            assert other is None  # the killed holder's lock went with it
    finally:
        holder_process.kill()
