"""A throwaway database for benchmarks: created, migrated, and dropped afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management import call_command
from django.db import connection


@contextmanager
def throwaway_database(name: str) -> Iterator[None]:
    """Point the default connection at a new database for the duration; the real one is
    never touched. PostgreSQL gets a database called `name`; SQLite one in memory."""
    settings_dict = connection.settings_dict
    old_name = settings_dict["NAME"]
    settings_dict.setdefault("TEST", {})["NAME"] = "" if connection.vendor == "sqlite" else name
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        call_command("migrate", verbosity=0)
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
