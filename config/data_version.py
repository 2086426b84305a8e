"""A token that changes whenever anything the dashboards show changes.

Dashboard fragments are cached under keys that include this token, so a cached fragment is never
served after the data behind it changed: saving or deleting any domain row, a recompute that wrote
snapshots, or a bulk load all call `data_changed`. Fragments also expire after a while
(`FRAGMENT_SECONDS`), so a write path that bypasses all of these is stale for minutes at most.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction

KEY = "data-version"
FRAGMENT_SECONDS = 600


def data_version() -> str:
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, uuid.uuid4().hex, None)
        version = cache.get(KEY) or ""
    return version


def _new_version() -> None:
    cache.set(KEY, uuid.uuid4().hex, None)


def data_changed(*args: Any, **kwargs: Any) -> None:
    """Start a new version now, and again when the current transaction commits: a request that
    read the old rows and cached them in between is superseded too. Signal receivers call this."""
    _new_version()
    transaction.on_commit(_new_version)
