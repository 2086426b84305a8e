"""A worker killed (SIGKILL) in the middle of the full recompute blocks nothing: the lock dies
with it, and a full recompute on a new worker completes and leaves one snapshot per target."""

from __future__ import annotations

import os
import signal
import time

import pytest
from django.db import connection
from django.db.models import Count

from reporting.benchmark import synthetic_data_create
from reporting.models import ProgressSnapshot
from reporting.recompute_lock import APP_NAME_PREFIX
from reporting.tasks import recompute_all
from targets.models import Target
from tests.worker import new_queue, publishing_to, start_worker, stop_worker, worker_log


def _wait_for_line(queue: str, number: int, text: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while text not in worker_log(queue, number).read_text():
        assert time.monotonic() < deadline, f"{text!r} not in {worker_log(queue, number)} after {seconds} s"
        time.sleep(0.02)


def _lock_holders() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT application_name FROM pg_stat_activity WHERE datname = current_database() "
            "AND application_name LIKE %s",
            [f"{APP_NAME_PREFIX}%"],
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.celery_worker
def test_a_worker_killed_mid_recompute_does_not_block_the_next_one(transactional_db, reference_data):
    # Enough data that a full recompute takes a while (about a second on PostgreSQL).
    synthetic_data_create(cities=10, observations=250_000)
    targets = Target.objects.count()
    queue = new_queue()
    postgres = connection.vendor == "postgresql"
    with publishing_to(queue):
        first = start_worker(queue, 1)
        try:
            _wait_for_line(queue, 1, "ready.", 60)
            killed_run = recompute_all.apply_async().id
            _wait_for_line(queue, 1, f"Full recompute {killed_run} started", 120)
            if postgres:
                assert _lock_holders() == [f"{APP_NAME_PREFIX}{killed_run}"]
            os.kill(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
        finally:
            stop_worker(first)
        assert f"Full recompute {killed_run} wrote" not in worker_log(queue, 1).read_text()
        assert not ProgressSnapshot.objects.exists(), "the killed run was not mid-recompute"
        if postgres:  # the database ends the dead worker's session, and its lock with it
            deadline = time.monotonic() + 10
            while _lock_holders():
                assert time.monotonic() < deadline, "the dead worker's lock is still held after 10 s"
                time.sleep(0.1)

        second = start_worker(queue, 2)
        try:
            _wait_for_line(queue, 2, "ready.", 60)
            outcome = recompute_all.apply_async().get(timeout=180)
        finally:
            stop_worker(second)
    assert outcome == {"targets": targets, "written": targets}
    per_target = ProgressSnapshot.objects.values("target_id").annotate(n=Count("id"))
    assert per_target.count() == targets
    assert {row["n"] for row in per_target} == {1}
