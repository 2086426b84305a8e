"""The full recompute's lock: one at a time, and never held by a run that is dead.

On PostgreSQL it is a transaction-level advisory lock (`pg_try_advisory_xact_lock`): the
database releases it when the holder's transaction ends — committed, rolled back, or its
connection gone because the worker was killed (SIGKILL, OOM, the task time limit). Nothing
expires and nothing has to be deleted, so a lock can never be released by anyone but its holder,
and never outlives it. The holder names itself in its session's `application_name` for the
length of the transaction, so a skipped run can say which run holds the lock and since when
(`pg_stat_activity.xact_start`).

On SQLite (the embedded default) it is an exclusive lock on a file beside the database file
(flock), which the operating system releases when its holder closes the file or dies: it holds
across the processes sharing that database (the server, a worker, `recompute_progress` run by
hand) as the advisory lock does on PostgreSQL, and again nothing has to be deleted.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

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


@contextmanager
def _local_lock(run: str) -> Iterator[LockHolder | None]:
    """An exclusive lock on a file beside the database (flock): shared by every process and
    thread on the machine that uses this database file, released by the operating system when
    the holder closes it or dies, and never by anyone else. The holder writes its run and start
    time into the file, for a skipped run to report."""
    with open(_lock_path(), "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            yield _holder_from(handle.read())
            return
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps({"run": run, "since": timezone.now().isoformat()}))
            handle.flush()
            yield None
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _lock_path() -> Path:
    name = str(connection.settings_dict["NAME"])
    if name and name != ":memory:" and not name.startswith("file:"):
        return Path(f"{name}.recompute-lock")
    # An in-memory database lives in one process: a lock file of its own in the temp folder.
    return Path(tempfile.gettempdir()) / f"plan-tracker-recompute-{os.getpid()}.lock"


def _holder_from(text: str) -> LockHolder:
    try:
        data = json.loads(text)
        return LockHolder(run=str(data["run"]), since=dt.datetime.fromisoformat(data["since"]))
    except (ValueError, KeyError, TypeError):  # the holder had not written its name yet
        return LockHolder(run="?", since=None)
