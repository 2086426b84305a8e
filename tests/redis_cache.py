"""The test run's Redis cache: `clear()` removes this run's keys only.

django-redis clears with FLUSHDB, which would also wipe the keys of a parallel test worker
(pytest-xdist) and the Celery broker's queues that share the database. Each worker has a key
prefix of its own (config/settings/test.py), and clearing deletes the keys under it.
"""

from __future__ import annotations

from django_redis.cache import RedisCache


class WorkerRedisCache(RedisCache):
    def clear(self) -> None:
        self.delete_pattern("*")
