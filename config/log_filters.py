"""Logging filters."""

from __future__ import annotations

import logging
import time


class OnceAMinute(logging.Filter):
    """Lets one record a minute through, as one line: for errors that repeat on every request
    while a service is down (django-redis logs each cache call it answered as a miss)."""

    def __init__(self, name: str = "", interval: float = 60.0) -> None:
        super().__init__(name)
        self.interval = interval
        self._last = float("-inf")

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        if now - self._last < self.interval:
            return False
        self._last = now
        if record.exc_info and record.exc_info[1] is not None:
            record.msg = f"Cache unavailable, pages are served uncached: {record.exc_info[1]}"
            record.args = ()
            record.exc_info = record.exc_text = None
        return True
