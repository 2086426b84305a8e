"""Upsert many rows of one model in a handful of queries, keeping their edit history.

The existing rows are read in one query and keyed on their natural key; each wanted row is
compared in Python and then created or updated in bulk (with history rows where the model has
a history, through simple_history's bulk helpers). Nothing is deleted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

BATCH = 1000


@dataclass
class Tally:
    """What an upsert did, per model label, with one line per created or updated row."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    changes: list[str] = field(default_factory=list)


@dataclass
class Wanted:
    """One row as a file states it: `lookup` holds its natural key, `values` the rest.
    Foreign keys are given as model instances (already saved)."""

    lookup: dict[str, Any]
    values: dict[str, Any]

    def key(self) -> tuple:
        return tuple(_plain(value) for value in self.lookup.values())


def _plain(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _current(obj: models.Model, name: str) -> Any:
    """A field's stored value without a query: a foreign key's id, not the related row."""
    field_ = obj._meta.get_field(name)
    return (
        getattr(obj, field_.attname) if isinstance(field_, models.Field) and field_.is_relation else getattr(obj, name)
    )


def differs(current: Any, wanted: Any) -> bool:
    wanted = _plain(wanted)
    if isinstance(current, Decimal) and wanted is not None:
        return current != Decimal(str(wanted))
    return current != wanted


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _has_history(model: type[models.Model]) -> bool:
    return getattr(model._meta, "simple_history_manager_attribute", None) is not None


def upsert_many(
    model: type[models.Model],
    wanted: list[Wanted],
    existing: models.QuerySet,
    *,
    tally: Tally,
    user: Any = None,
) -> dict[tuple, Any]:
    """Create or update every wanted row; returns the saved rows by natural key.

    `existing` must hold (at least) every stored row a wanted row may match, e.g. the rows of
    the cities being loaded. Rows with the same key are taken once, the first one winning."""
    label = model.__name__
    by_key: dict[tuple, Any] = {}
    if wanted:
        names = list(wanted[0].lookup)
        for obj in existing:
            by_key[tuple(_current(obj, name) for name in names)] = obj
    to_create, to_update, seen = [], [], set()
    changed_fields: set[str] = set()
    for row in wanted:
        key = row.key()
        if key in seen:
            continue
        seen.add(key)
        obj = by_key.get(key)
        if obj is None:
            obj = model(**row.lookup, **row.values)
            to_create.append(obj)
            tally.created[label] += 1
            tally.changes.append(f"+ {label} {_key_text(row.lookup)}")
            by_key[key] = obj
            continue
        changed = [name for name, value in row.values.items() if differs(_current(obj, name), value)]
        if not changed:
            tally.unchanged[label] += 1
            continue
        details = ", ".join(f"{name}: {_short(_current(obj, name))} → {_short(row.values[name])}" for name in changed)
        for name in changed:
            setattr(obj, name, row.values[name])
        changed_fields.update(changed)
        to_update.append(obj)
        tally.updated[label] += 1
        tally.changes.append(f"~ {label} {_key_text(row.lookup)} ({details})")
    _save(model, to_create, to_update, sorted(changed_fields), user)
    return by_key


def _save(model: type[models.Model], to_create: list, to_update: list, fields: list[str], user: Any) -> None:
    if _has_history(model):
        if to_create:
            bulk_create_with_history(to_create, model, batch_size=BATCH, default_user=user)
        if to_update:
            bulk_update_with_history(to_update, model, fields, batch_size=BATCH, default_user=user)
        return
    if to_create:
        model._default_manager.bulk_create(to_create, batch_size=BATCH)
    if to_update:
        model._default_manager.bulk_update(to_update, fields, batch_size=BATCH)


def _key_text(lookup: dict[str, Any]) -> str:
    return " / ".join(str(value) for value in lookup.values())
