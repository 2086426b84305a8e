"""A throwaway database for benchmarks: created, migrated, and dropped afterwards.

On PostgreSQL the database gets a name no one else uses — `throwaway_<name>_<random>` — and is
made with a plain CREATE DATABASE, which fails rather than reuse a database that exists. Only the
database this call created is ever dropped: nothing here drops a database by a name it was given.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management import call_command
from django.db import connection

PREFIX = "throwaway_"


@contextmanager
def throwaway_database(name: str) -> Iterator[str]:
    """Point the default connection at a new database for the duration; the real one is never
    touched. Yields the new database's name (PostgreSQL) or "" (SQLite: one in memory)."""
    if connection.vendor != "postgresql":
        with _sqlite_in_memory():
            yield ""
        return
    if not re.fullmatch(r"[a-z0-9_]{1,30}", name):
        raise ValueError(f"a throwaway database name is 1-30 of a-z, 0-9 and _: {name!r}")
    created = f"{PREFIX}{name}_{secrets.token_hex(4)}"
    quoted = connection.ops.quote_name(created)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {quoted}")
    settings_dict = connection.settings_dict
    real = settings_dict["NAME"]
    connection.close()
    settings_dict["NAME"] = created
    try:
        call_command("migrate", verbosity=0)
        yield created
    finally:
        connection.close()
        settings_dict["NAME"] = real
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


@contextmanager
def _sqlite_in_memory() -> Iterator[None]:
    settings_dict = connection.settings_dict
    old_name = settings_dict["NAME"]
    settings_dict.setdefault("TEST", {})["NAME"] = ""  # in memory: nothing on disk to clobber
    connection.creation.create_test_db(verbosity=0, autoclobber=False, serialize=False)
    try:
        call_command("migrate", verbosity=0)
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
