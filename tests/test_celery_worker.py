"""A real worker takes a task from Redis, not eager mode, and reads the database.

Skipped outside CI where Redis is not running (tests/conftest.py); CI starts Redis and runs them.
"""

from __future__ import annotations

import pytest

from config.change_sources import ChangeSource
from reporting.tasks import count_targets
from tests.worker import real_worker

# Seconds, an upper bound that only a failure reaches: the wait ends when the result arrives. The
# worker starts in a few seconds on an idle machine, in tens on a loaded one; the tasks take milliseconds.
WAIT = 90


@pytest.mark.celery_worker
def test_real_worker_runs_a_task_through_redis(transactional_db, world):
    with real_worker() as queue:
        result = count_targets.apply_async(args=["testcity"], queue=queue)
        assert result.get(timeout=WAIT) == 2
        # The task really went through the broker to another process.
        assert result.backend.__class__.__name__ == "RedisBackend"
        assert result.successful()


@pytest.mark.celery_worker
def test_real_worker_recomputes_after_an_observation_is_recorded(transactional_db, world, users):
    from reporting.models import ProgressSnapshot
    from reporting.services import observation_record

    with real_worker() as queue:
        observation_record(
            source=ChangeSource.COMMAND, indicator=world["pv"], period="2020", value="300", user=users["ndrc_staff"]
        )
        observation = observation_record(
            source=ChangeSource.COMMAND, indicator=world["pv"], period="2023", value="420", user=users["ndrc_staff"]
        )
        assert observation.recompute_queued is True
        # The worker (one process, solo pool) takes its queue in order: once a task sent after
        # the recomputes has answered, the recomputes have run.
        assert count_targets.apply_async(args=["testcity"], queue=queue).get(timeout=WAIT) == 2
    latest = ProgressSnapshot.objects.filter(target=world["pv_target"]).order_by("-id").first()
    assert latest is not None and latest.latest_period == "2023"
    assert (latest.status, latest.latest_value) == ("on_track", 420.0)
