"""Reads whose SQL is composed once per process, for the queries every uncached page (and every
recompute) repeats with the same parameters.

Django composes a queryset's SQL again on each evaluation. For a query with subqueries that
costs a millisecond or more: for the overview's count of today's overdue measures it took
longer than PostgreSQL took to run it (1.8 ms through the ORM against 0.7 ms for the SQL alone,
at 300 cities). `CompiledRows` keeps each queryset's SQL and parameters, per argument tuple, and
runs them as they are; `CompiledModels` does the same for a queryset of model instances.

`CompiledRows` is for `values_list` querysets of values that need no conversion from the
driver's types (ids, counts, text, floats): rows come back as the database driver gives them,
without the ORM's converters (SQLite gives booleans as 0 and 1, and dates as text).
`CompiledModels` reads rows into instances through `raw()`, which converts each field.

The arguments are the key: pass ids sorted, so that one set of rows is one key. Only the SQL is
kept, never rows: every call reads the database.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar, cast

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)

MAX_KEPT = 32  # argument tuples per query, unless a query says (one per day for a query by date)
MAX_KEPT_PARAMETERS = 1000  # values in one argument tuple (ids in tuples counted one by one)
_NOT_KEPT = object()


class _Compiled:
    """The SQL of `build(*args)` per argument tuple, composed on first use. `kept` argument
    tuples are kept; then all are dropped, and compiled again as they come."""

    def __init__(self, build: Callable[..., QuerySet[Any, Any]], kept: int = 0) -> None:
        self.build = build
        self.kept = kept
        self._compiled: dict[tuple[Hashable, ...], tuple[str, tuple[Any, ...]] | None] = {}

    def _sql(self, args: tuple[Hashable, ...]) -> tuple[str, tuple[Any, ...]] | None:
        """The SQL and parameters, or None for a query that can match nothing (an empty list of
        ids), which Django does not send to the database."""
        # One read (not a test, then a read): another thread may clear the dict in between.
        found = self._compiled.get(args, _NOT_KEPT)
        if found is not _NOT_KEPT:
            return cast("tuple[str, tuple[Any, ...]] | None", found)
        compiled: tuple[str, tuple[Any, ...]] | None
        try:
            compiled = self.build(*args).query.sql_with_params()
        except EmptyResultSet:
            compiled = None
        # An export's thousands of ids are composed each time: keeping them would cost memory,
        # and the composition is small beside such a read.
        if sum(len(arg) if isinstance(arg, tuple) else 1 for arg in args) <= MAX_KEPT_PARAMETERS:
            if len(self._compiled) >= (self.kept or MAX_KEPT):
                self._compiled.clear()
            self._compiled[args] = compiled
        return compiled


class CompiledRows(_Compiled):
    """`CompiledRows(build)(*args)`: the rows of `build(*args)`, a `values_list` queryset."""

    def __call__(self, *args: Hashable) -> list[tuple[Any, ...]]:
        compiled = self._sql(args)
        if compiled is None:
            return []
        with connection.cursor() as cursor:
            cursor.execute(*compiled)
            return cursor.fetchall()


class CompiledModels(_Compiled, Generic[M]):
    """`CompiledModels(model, build)(*args)`: the instances of `build(*args)`, a queryset of
    `model`."""

    def __init__(self, model: type[M], build: Callable[..., QuerySet[M, M]], kept: int = 0) -> None:
        super().__init__(build, kept)
        self.model = model

    def __call__(self, *args: Hashable) -> list[M]:
        compiled = self._sql(args)
        return [] if compiled is None else list(self.model._default_manager.raw(*compiled))
