"""The full recompute's lock: one at a time, and never held by a run that is dead.

On PostgreSQL it is a transaction-level advisory lock (`pg_try_advisory_xact_lock`): the
database releases it when the holder's transaction ends — committed, rolled back, or its
connection gone because the worker was killed (SIGKILL, OOM, the task time limit). Nothing
expires and nothing has to be deleted, so a lock can never be released by anyone but its holder,
and never outlives it. The holder names itself in its session's `application_name` for the
length of the transaction, so a skipped run can say which run holds the lock and since when
(`pg_stat_activity.xact_start`).

Elsewhere (SQLite, the embedded single-process mode) it is a lock within the process.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

# pg_advisory_xact_lock(int4, int4): an application-wide class and the full-recompute key.
LOCK_CLASS = 0x7074  # "pt": plan tracker
FULL_RECOMPUTE = 1
APP_NAME_PREFIX = "full-recompute:"


@dataclass(frozen=True)
class LockHolder:
    run: str
    since: dt.datetime | None

    def __str__(self) -> str:
        since = self.since.isoformat(timespec="seconds") if self.since else "?"
        return f"run {self.run} since {since}"


@contextmanager
def full_recompute_lock(*, run: str) -> Iterator[LockHolder | None]:
    """Open a transaction and take the lock for it. Yields None while this run holds it, or the
    run that holds it (the block should then do nothing). Held until the block ends."""
    if connection.vendor == "postgresql":
        with transaction.atomic():
            yield _postgres_try(run)
        return
    with _local_lock(run) as holder, transaction.atomic():
        yield holder


def _postgres_try(run: str) -> LockHolder | None:
    with connection.cursor() as cursor:
        for _ in range(3):  # the holder may finish between the two statements: try again
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [LOCK_CLASS, FULL_RECOMPUTE])
            if cursor.fetchone()[0]:
                # Local to this transaction: the name goes when the lock goes.
                cursor.execute("SELECT set_config('application_name', %s, true)", [f"{APP_NAME_PREFIX}{run}"[:63]])
                return None
            cursor.execute(
                """
                SELECT a.application_name, a.xact_start
                FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database()
                  AND l.classid = %s AND l.objid = %s AND l.objsubid = 2
                """,
                [LOCK_CLASS, FULL_RECOMPUTE],
            )
            row = cursor.fetchone()
            if row is not None:
                name, since = row
                return LockHolder(run=name.removeprefix(APP_NAME_PREFIX) or "?", since=since)
    return LockHolder(run="?", since=None)


_local = threading.Lock()
_local_holder: LockHolder | None = None


@contextmanager
def _local_lock(run: str) -> Iterator[LockHolder | None]:
    global _local_holder
    if not _local.acquire(blocking=False):
        yield _local_holder or LockHolder(run="?", since=None)
        return
    _local_holder = LockHolder(run=run, since=timezone.now())
    try:
        yield None
    finally:
        _local_holder = None
        _local.release()
