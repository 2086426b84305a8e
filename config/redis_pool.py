"""A Redis connection pool that stops knocking on a dead door for a few seconds.

With Redis unreachable, every cache call would otherwise try to connect again. A refused
connection costs microseconds, but a host that drops packets costs the whole connect timeout,
several times per request and once per saved row of an import. After a failed connect this pool
fails at once, without a network round trip, until `retry_after` seconds have passed; then one
call tries again. The cache backend (django-redis, IGNORE_EXCEPTIONS) turns the failure into a
cache miss.
"""

from __future__ import annotations

import time
from typing import Any

from redis import ConnectionPool
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

RETRY_AFTER_SECONDS = 5.0


class FailFastConnectionPool(ConnectionPool):
    def __init__(self, *args: Any, retry_after: float = RETRY_AFTER_SECONDS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after = retry_after
        self.down_until = 0.0

    def get_connection(self, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() < self.down_until:
            raise RedisConnectionError(f"Redis was unreachable less than {self.retry_after:g} s ago; not retrying yet")
        try:
            connection = super().get_connection(*args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError, OSError):
            self.down_until = time.monotonic() + self.retry_after
            raise
        self.down_until = 0.0
        return connection
