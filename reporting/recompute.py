"""Recomputing progress: read frames, run the engine, write the snapshots that changed."""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from config.data_version import progress_changed
from config.numbers import missing_as_none
from reporting.engine import RESULT_COLUMNS, compute_progress
from reporting.frames import assessment_frame, observation_frame, target_frame
from reporting.models import ProgressSnapshot
from reporting.recompute_lock import LockHolder, full_recompute_lock
from reporting.sector_rankings import sector_rankings_refresh
from reporting.status_counts import status_counts_refresh
from targets.exports import city_filter
from targets.models import Target

logger = logging.getLogger(__name__)
_NUMBERS = [c for c in RESULT_COLUMNS if c not in ("target_id", "status", "latest_period", "rate_basis", "note")]
_TEXTS = ["status", "latest_period", "rate_basis", "note"]


@dataclass(frozen=True)
class RecomputeResult:
    targets: int
    written: int

    @property
    def unchanged(self) -> int:
        return self.targets - self.written


def progress_recompute(*, targets: QuerySet[Target] | None = None) -> RecomputeResult:
    """Recompute the given targets (default: all). Observations are read only for their
    indicators, and a snapshot is written only for a target whose result changed.

    Runs in one transaction that first locks the targets' rows (in id order, so two runs never
    deadlock) and only then reads the data and the latest snapshots: runs that share a target
    take turns, and the later one sees what the earlier one wrote, so concurrent runs never
    write the same result twice nor put an older result over a newer one."""
    with transaction.atomic():
        return _recompute_locked(targets)


def progress_recompute_all_exclusive(*, run: str) -> RecomputeResult | LockHolder:
    """The full recompute, unless another one holds the lock (reporting.recompute_lock): then
    nothing is done and the holder is returned."""
    with full_recompute_lock(run=run) as holder:
        if holder is not None:
            return holder
        logger.info("Full recompute %s started", run)
        result = _recompute_locked(None)
        logger.info("Full recompute %s wrote %s of %s targets", run, result.written, result.targets)
        return result


def progress_recompute_indicator(*, indicator_id: int) -> RecomputeResult:
    return progress_recompute(targets=Target.objects.filter(indicator_id=indicator_id))


def progress_recompute_city(*, city: str | None) -> RecomputeResult:
    return progress_recompute(targets=Target.objects.filter(city_filter(city)) if city else None)


def _recompute_locked(targets: QuerySet[Target] | None) -> RecomputeResult:
    everything = targets is None
    target_df = target_frame(targets_locked(targets))
    if target_df.empty:
        return RecomputeResult(0, 0)
    ids = None if everything else target_df["target_id"].tolist()
    indicators = None if everything else sorted(set(target_df["indicator_id"].tolist()))
    # Only qualitative targets take assessments: an indicator without any asks for none.
    qualitative = target_df.loc[target_df["kind"] == "qualitative", "target_id"].tolist()
    assessments = assessment_frame(None if everything else qualitative) if qualitative else None
    result = compute_progress(target_df, observation_frame(indicators), assessments)
    changed = changed_results(result, latest_snapshots(ids))
    snapshots_write(changed, computed_at=timezone.now())
    if len(changed):  # COPY and bulk inserts send no save signals
        touched = np.isin(target_df["target_id"].to_numpy(), changed["target_id"].to_numpy())
        cities = target_df["city_id"].to_numpy()[touched]
        status_counts_refresh(np.unique(cities).tolist())
        _pages_changed(indicators=target_df["indicator_id"].to_numpy()[touched], cities=cities)
    if everything or len(changed):
        # Every ranking after a full run, whatever it wrote: one the plans outdated is made anew.
        sector_rankings_refresh(None if everything else changed["target_id"].tolist())
    return RecomputeResult(len(result), len(changed))


def _pages_changed(*, indicators: np.ndarray, cities: np.ndarray, scoped_up_to: int = 500) -> None:
    """New data versions for the cities whose targets changed (every city when very many did)."""
    if len(np.unique(indicators)) > scoped_up_to:
        progress_changed()
        return
    progress_changed(np.unique(cities).tolist())


def targets_locked(targets: QuerySet[Target] | None) -> QuerySet[Target]:
    """The targets, read with a lock on their rows until the transaction ends, taken in id order
    so two runs never deadlock. NO KEY UPDATE, so rows that merely reference a target
    (assessments, snapshots) can still be added meanwhile."""
    queryset = Target.objects.all() if targets is None else Target.objects.filter(pk__in=targets.values("pk"))
    return queryset.order_by("pk").select_for_update(no_key=True, of=("self",))


def latest_snapshots(target_ids: list[int] | None = None) -> pd.DataFrame:
    """Each target's latest snapshot (the highest id). The target filter is applied before
    picking the latest, so the cost follows the targets asked for, not the history stored:
    DISTINCT ON over the (target, -id) index on PostgreSQL, a grouped subquery elsewhere."""
    queryset = ProgressSnapshot.objects.all()
    if target_ids is not None:
        queryset = queryset.filter(target_id__in=target_ids)
    queryset = queryset.latest_per_target()
    return pd.DataFrame.from_records(list(queryset.values_list(*RESULT_COLUMNS)), columns=RESULT_COLUMNS)


def changed_results(result: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """The rows of `result` that differ from the target's previous snapshot (or have none).
    Numbers count as equal within rounding (a full and a one-indicator run may differ in the last
    digits), texts when equal after reading a missing one as ""."""
    if previous.empty:
        return result
    wanted = result["target_id"].to_numpy(dtype=np.int64)
    stored = previous["target_id"].to_numpy(dtype=np.int64)
    order = np.argsort(stored, kind="stable")
    row = order[np.minimum(np.searchsorted(stored, wanted, sorter=order), len(stored) - 1)]
    differs = stored[row] != wanted  # no previous snapshot
    for column in _NUMBERS:
        new = result[column].to_numpy(dtype=float, na_value=np.nan)
        old = previous[column].to_numpy(dtype=float, na_value=np.nan)[row]
        differs |= ~np.isclose(new, old, rtol=1e-9, atol=1e-12, equal_nan=True)
    for column in _TEXTS:
        differs |= _texts(result[column]) != _texts(previous[column])[row]
    return result[differs]


def _texts(column: pd.Series) -> np.ndarray:
    """The column as strings, a missing value as "" (a few rows cost microseconds, not pandas'
    fixed cost per call)."""
    return np.array([v if type(v) is str else ("" if _missing(v) else str(v)) for v in column.tolist()], dtype=object)


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def snapshots_write(results: pd.DataFrame, *, computed_at: dt.datetime) -> None:
    """Append one snapshot per result row: COPY on PostgreSQL, a bulk insert elsewhere."""
    if results.empty:
        return
    columns = _snapshot_columns(results)
    with transaction.atomic(savepoint=False):  # all rows or none, within the caller's transaction
        if connection.vendor == "postgresql":
            fields = [_copy_fields(values) for values in columns.values()]
            fields.insert(1, [computed_at.isoformat()] * len(results))
            buffer = io.StringIO("".join(f"{line}\n" for line in map("\t".join, zip(*fields, strict=True))))
            names = ", ".join(["target_id", "computed_at", *RESULT_COLUMNS[1:]])
            with connection.cursor() as cursor:
                cursor.copy_expert(f"COPY {ProgressSnapshot._meta.db_table} ({names}) FROM STDIN", buffer)
        else:
            snapshots = [
                ProgressSnapshot(computed_at=computed_at, **dict(zip(columns, row, strict=True)))
                for row in zip(*columns.values(), strict=True)
            ]
            ProgressSnapshot.objects.bulk_create(snapshots, batch_size=2000)


def _snapshot_columns(results: pd.DataFrame) -> dict[str, list]:
    """The results' columns (RESULT_COLUMNS) as lists of plain ints, floats and strings, None
    for a missing number."""
    columns: dict[str, list] = {}
    for column in RESULT_COLUMNS:
        if column in _TEXTS:
            columns[column] = _texts(results[column]).tolist()
        elif column == "target_id":
            columns[column] = results[column].to_numpy(dtype=np.int64).tolist()
        else:
            values = results[column].to_numpy(dtype=float, na_value=np.nan).tolist()
            whole = column == "warning_level"
            columns[column] = [None if np.isnan(v) else int(v) if whole else v for v in values]
    return columns


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_fields(values: list) -> list[str]:
    """Fields of COPY's text format: \\N for NULL, the separators escaped (a person's assessment
    note may hold any of them)."""
    return ["\\N" if v is None else v.translate(_COPY_ESCAPES) if type(v) is str else str(v) for v in values]


def _snapshot(record: dict, computed_at: dt.datetime) -> ProgressSnapshot:
    values: dict[str, Any] = {key: missing_as_none(value) for key, value in record.items()}
    warning = values.pop("warning_level")
    return ProgressSnapshot(
        target_id=int(values.pop("target_id")),
        computed_at=computed_at,
        warning_level=None if warning is None else int(warning),
        **values,
    )
