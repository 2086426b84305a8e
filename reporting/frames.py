"""Reading what the engine needs from the database into DataFrames, in few, flat queries."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import QuerySet

from reporting.engine import OBSERVATION_COLUMNS, TARGET_COLUMNS
from reporting.models import Observation, TargetAssessment
from targets.models import Target


def target_frame(targets: QuerySet[Target]) -> pd.DataFrame:
    """The engine's target columns, and `city_id` (the indicator's city: which cities' pages a
    changed result makes stale)."""
    rows = targets.values_list(
        "id", "indicator_id", "kind", "comparator", "value", "target_year", "period_start", "baseline_year",
        "indicator__direction", "indicator__nature", "indicator__city_id",
    )  # fmt: skip
    columns = list(zip(*rows, strict=True)) or [()] * (len(TARGET_COLUMNS) + 1)
    frame: dict[str, tuple[Any, ...] | np.ndarray] = dict(zip([*TARGET_COLUMNS, "city_id"], columns, strict=True))
    for column in ("value", "period_start", "baseline_year"):  # None (and Decimal NaN) as NaN
        frame[column] = _floats(frame[column])
    return pd.DataFrame({name: list(values) if isinstance(values, tuple) else values for name, values in frame.items()})


def _floats(values: Any) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def decimal_year(year: Any, month: Any) -> Any:
    """The engine's time axis for a period ending in `month` of `year` (numbers or Series): a
    year's value sits at that year, a month's at its end, so 2023 gives 2023 and June 2023
    gives 2022.5."""
    return year - 1 + month / 12.0


def observation_frame(indicator_ids: list[int] | None = None) -> pd.DataFrame:
    """Approved observations (values pending review do not count) as (indicator_id, t, value,
    period). `t` puts a year's value at that year
    and a month's at its end: 2023 for the year 2023, 2022.5 for June 2023."""
    few = indicator_ids is not None and len(indicator_ids) <= FETCH_UP_TO
    if connection.vendor != "postgresql" or few:
        return _observations_fetched(indicator_ids)
    frame = _observations_by_copy(indicator_ids)
    frame["t"] = decimal_year(frame["year"], frame["month"])
    return frame[OBSERVATION_COLUMNS]


# Up to this many indicators (the recompute after a new value asks for one; a page for a few),
# fetching rows costs less than COPY's fixed cost and a CSV parser's.
FETCH_UP_TO = 20


def _observations_fetched(indicator_ids: list[int] | None) -> pd.DataFrame:
    queryset = Observation.objects.counted().order_by()
    if indicator_ids is not None:
        queryset = queryset.filter(indicator_id__in=indicator_ids)
    rows = list(queryset.values_list("indicator_id", "period_end", "value", "period"))
    year = np.array([row[1].year for row in rows], dtype=np.int32)
    month = np.array([row[1].month for row in rows], dtype=np.int32)
    return pd.DataFrame(
        {
            "indicator_id": np.array([row[0] for row in rows], dtype=np.int64),
            "t": decimal_year(year, month),
            "value": _floats(row[2] for row in rows),
            "period": [row[3] for row in rows],
        },
        columns=OBSERVATION_COLUMNS,
    )


def _observations_by_copy(indicator_ids: list[int] | None) -> pd.DataFrame:
    # COPY streams a million rows several times faster than fetching them through a cursor.
    where = "WHERE status = %s"
    params: list[object] = [Observation.Status.APPROVED.value]
    if indicator_ids is not None:
        where += " AND indicator_id = ANY(%s)"
        params.append(list(indicator_ids))
    query = (
        "SELECT indicator_id, EXTRACT(YEAR FROM period_end)::int AS year, EXTRACT(MONTH FROM period_end)::int "
        f"AS month, value, period FROM {Observation._meta.db_table} {where}"
    )
    buffer = io.StringIO()
    with connection.cursor() as cursor:
        sql = cursor.mogrify(query, params).decode()
        cursor.copy_expert(f"COPY ({sql}) TO STDOUT WITH CSV", buffer)
    buffer.seek(0)
    return pd.read_csv(
        buffer,
        names=["indicator_id", "year", "month", "value", "period"],
        dtype={"indicator_id": "int64", "year": "int32", "month": "int32", "value": "float64", "period": "string"},
    )


def assessment_frame(target_ids: list[int] | None = None) -> pd.DataFrame:
    """The latest assessment of each qualitative target."""
    queryset = TargetAssessment.objects.all()
    if target_ids is not None:  # inside the aggregate: the cost follows the targets asked for
        queryset = queryset.filter(target_id__in=target_ids)
    rows = queryset.latest_per_target().values_list("target_id", "verdict", "note")
    return pd.DataFrame.from_records(list(rows), columns=["target_id", "verdict", "note"])
