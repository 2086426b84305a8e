"""A benchmark's own database, which can never be one that someone uses.

On PostgreSQL the database gets a fresh unique name under a fixed prefix (`bench_pages_…`) and is
created with a plain CREATE DATABASE, which fails rather than overwrite; it is dropped afterwards
only if this run created it. `keep` leaves it in place, and `reuse` names one kept earlier
(it must carry the prefix), so a large data set is built once. SQLite gets a database in memory.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management import call_command
from django.db import connection

from config.throwaway_db import throwaway_database


class BenchDatabaseError(Exception):
    pass


@contextmanager
def bench_database(prefix: str, *, keep: bool = False, reuse: str = "") -> Iterator[tuple[str, bool]]:
    """Point the default connection at the benchmark's database for the duration.

    Yields (name, built): `built` is False when an existing database is reused."""
    if connection.vendor != "postgresql":
        if reuse or keep:
            raise BenchDatabaseError("--keep and --reuse need PostgreSQL (DATABASE_URL)")
        with throwaway_database(prefix):
            yield ":memory:", True
        return
    if reuse and not reuse.startswith(f"{prefix}_"):
        raise BenchDatabaseError(f"only a database named {prefix}_… can be reused, not {reuse!r}")
    name = reuse or f"{prefix}_{uuid.uuid4().hex[:12]}"
    settings_dict = connection.settings_dict
    old_name = settings_dict["NAME"]
    created = False
    if not reuse:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')  # the name is ours: prefix and hex only
        created = True
    connection.close()
    settings_dict["NAME"] = name
    try:
        call_command("migrate", verbosity=0)
        yield name, not reuse
    finally:
        connection.close()
        settings_dict["NAME"] = old_name
        if created and not keep:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE "{name}"')
