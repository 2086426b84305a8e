"""Progress "as of" the end of a year: the engine run on what was known for that year.

The stored snapshots describe today. A report for a past year instead runs the engine again
on the observations whose period ends on or before 31 December of that year, and on the
qualitative assessments made before the year was out. The engine judges progress at the time
of the latest data, not at the time it runs, so this gives the verdict the data for that year
supported. Values are the observations' current values: a later correction of a 2023 figure
is part of what is known for 2023.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import pandas as pd
from django.conf import settings
from django.db.models import Max

from config.numbers import missing_as_none
from reporting.engine import RESULT_COLUMNS, compute_progress
from reporting.frames import observation_frame, target_frame
from reporting.models import Observation, ProgressSnapshot, TargetAssessment
from targets.models import Target

# `t` of a period that ends on 31 December of year Y is exactly Y (reporting.frames).
_YEAR_END_SLACK = 1e-6


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def observations_until(indicator_ids: Iterable[int], year: int) -> pd.DataFrame:
    """The indicators' observations whose period ends in `year` or before."""
    return cut_at_year(observation_frame(sorted(set(indicator_ids))), year)


def cut_at_year(observations: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rows of an observation frame whose period ends in `year` or before: one read serves
    the report's year and the year before it."""
    return observations[observations["t"] <= year + _YEAR_END_SLACK].reset_index(drop=True)


def assessments_until(target_ids: list[int], year: int) -> pd.DataFrame:
    """Assessments made before the year was out, oldest first (the engine keeps the last)."""
    before = dt.datetime(year + 1, 1, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))
    rows = (
        TargetAssessment.objects.filter(target_id__in=target_ids, assessed_at__lt=before)
        .order_by("target_id", "assessed_at", "id")
        .values_list("target_id", "verdict", "note")
    )
    return pd.DataFrame.from_records(list(rows), columns=["target_id", "verdict", "note"])


def progress_as_of(targets: list[Target], year: int, observations: pd.DataFrame) -> dict[int, ProgressSnapshot]:
    """Unsaved snapshots, one per target, from the engine run on `observations` (already cut
    at the year's end) and the assessments made by then."""
    if not targets:
        return {}
    ids = [t.pk for t in targets]
    result = compute_progress(
        target_frame(Target.objects.filter(pk__in=ids)), observations, assessments_until(ids, year)
    )
    computed_at = dt.datetime.combine(year_end(year), dt.time(23, 59), tzinfo=ZoneInfo(settings.TIME_ZONE))
    return {int(record["target_id"]): _snapshot(record, computed_at) for record in result.to_dict("records")}


def cutoff_date(indicator_ids: Iterable[int], year: int) -> dt.date | None:
    """The latest period end on or before the year's end: how recent the report's data is."""
    return (
        Observation.objects.counted()
        .filter(indicator_id__in=list(indicator_ids), period_end__lte=year_end(year))
        .aggregate(last=Max("period_end"))["last"]
    )


def _snapshot(record: dict, computed_at: dt.datetime) -> ProgressSnapshot:
    values = {key: missing_as_none(record[key]) for key in RESULT_COLUMNS if key != "target_id"}
    warning = values.pop("warning_level")
    for text in ("latest_period", "rate_basis", "note"):
        values[text] = values[text] or ""
    return ProgressSnapshot(
        target_id=int(record["target_id"]),
        computed_at=computed_at,
        warning_level=None if warning is None else int(warning),
        **values,
    )
