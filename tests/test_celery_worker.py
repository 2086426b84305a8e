"""A real worker takes a task from Redis, not eager mode, and reads the database."""

from __future__ import annotations

import pytest

from config.change_sources import ChangeSource
from reporting.tasks import count_targets
from tests.worker import real_worker


@pytest.mark.celery_worker
def test_real_worker_runs_a_task_through_redis(transactional_db, world):
    with real_worker() as queue:
        result = count_targets.apply_async(args=["testcity"], queue=queue)
        assert result.get(timeout=90) == 2
        # The task really went through the broker to another process.
        assert result.backend.__class__.__name__ == "RedisBackend"
        assert result.successful()


@pytest.mark.celery_worker
def test_real_worker_recomputes_after_an_observation_is_recorded(transactional_db, world, users):
    import time

    from reporting.models import ProgressSnapshot
    from reporting.services import observation_record

    with real_worker():
        observation_record(
            source=ChangeSource.COMMAND, indicator=world["pv"], period="2020", value="300", user=users["ndrc_staff"]
        )
        result = observation_record(
            source=ChangeSource.COMMAND, indicator=world["pv"], period="2023", value="420", user=users["ndrc_staff"]
        )
        assert result.recompute_queued is True
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            latest = ProgressSnapshot.objects.filter(target=world["pv_target"]).order_by("-id").first()
            if latest and latest.latest_period == "2023":
                break
            time.sleep(0.3)
        assert latest is not None and (latest.status, latest.latest_value) == ("on_track", 420.0)
