"""Recomputing progress: read frames, run the engine, write the snapshots that changed."""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from config.data_version import cities_changed, data_changed
from config.numbers import missing_as_none
from reporting.engine import RESULT_COLUMNS, compute_progress
from reporting.frames import assessment_frame, observation_frame, target_frame
from reporting.models import ProgressSnapshot
from reporting.recompute_lock import LockHolder, full_recompute_lock
from targets.exports import city_filter
from targets.models import Indicator, Target

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
    indicators = None if everything else sorted({int(i) for i in target_df["indicator_id"]})
    ids = None if everything else [int(i) for i in target_df["target_id"]]
    result = compute_progress(target_df, observation_frame(indicators), assessment_frame(ids))
    changed = changed_results(result, latest_snapshots(ids))
    snapshots_write(changed, computed_at=timezone.now())
    if len(changed):  # COPY and bulk inserts send no save signals
        _pages_changed(target_df[target_df["target_id"].isin(changed["target_id"])])
    return RecomputeResult(len(result), len(changed))


def _pages_changed(changed_targets: pd.DataFrame, *, scoped_up_to: int = 500) -> None:
    """New data versions for the cities whose targets changed (every city when very many did)."""
    indicators = [int(i) for i in changed_targets["indicator_id"].unique()]
    if len(indicators) > scoped_up_to:
        data_changed()
        return
    cities_changed(Indicator.objects.filter(pk__in=indicators).values_list("city_id", flat=True).distinct())


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
    """The rows of `result` that differ from the target's previous snapshot (or have none)."""
    if previous.empty:
        return result
    merged = result.merge(previous, on="target_id", how="left", suffixes=("", "_old"), indicator=True)
    differs = merged["_merge"] == "left_only"
    for column in _NUMBERS:
        new = merged[column].astype(float).to_numpy()
        old = merged[f"{column}_old"].astype(float).to_numpy()
        same = np.isclose(new, old, rtol=1e-9, atol=1e-12, equal_nan=True)
        differs |= ~same
    for column in _TEXTS:
        differs |= merged[column].fillna("").astype(str) != merged[f"{column}_old"].fillna("").astype(str)
    return result[differs.to_numpy()]


def snapshots_write(results: pd.DataFrame, *, computed_at: dt.datetime) -> None:
    """Append one snapshot per result row: COPY on PostgreSQL, a bulk insert elsewhere."""
    if results.empty:
        return
    frame = results[RESULT_COLUMNS].copy()
    frame["warning_level"] = frame["warning_level"].astype("Int64")
    for column in _TEXTS:
        frame[column] = frame[column].fillna("").astype(str)
    frame.insert(1, "computed_at", computed_at.isoformat())
    with transaction.atomic(savepoint=False):  # all rows or none, within the caller's transaction
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            frame.to_csv(buffer, index=False, header=False, na_rep="\\N")
            buffer.seek(0)
            columns = ", ".join(frame.columns)
            with connection.cursor() as cursor:
                cursor.copy_expert(
                    f"COPY {ProgressSnapshot._meta.db_table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                    buffer,
                )
        else:
            ProgressSnapshot.objects.bulk_create(
                [_snapshot(record, computed_at) for record in frame.drop(columns="computed_at").to_dict("records")],
                batch_size=2000,
            )


def _snapshot(record: dict, computed_at: dt.datetime) -> ProgressSnapshot:
    values = {key: missing_as_none(value) for key, value in record.items()}
    warning = values.pop("warning_level")
    return ProgressSnapshot(
        target_id=int(values.pop("target_id")),
        computed_at=computed_at,
        warning_level=None if warning is None else int(warning),
        **values,
    )
