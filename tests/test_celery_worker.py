"""A real worker takes a task from Redis, not eager mode, and reads the database."""

from __future__ import annotations

import pytest

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
