"""The progress engine: DataFrames in, DataFrames out, no ORM inside.

One vectorised pass computes the progress of every target from its indicator's observations.
The method, with worked examples that the tests also use, is in docs/progress-method.md.

Inputs
------
targets: target_id, indicator_id, kind, comparator, value, target_year, period_start,
    baseline_year, direction ("increase"/"decrease"), nature ("stock"/"flow"/"ratio"/...)
observations: indicator_id, t (the period's end on the engine's time axis, year - 1 + month/12:
    2023 for the year 2023, 2022.5 for June 2023; reporting.frames.decimal_year), value,
    period (label)
assessments (optional): target_id, verdict, note: the latest assessment of each qualitative target

Output: one row per target, columns RESULT_COLUMNS.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

ON_TRACK_RATIO = 0.95  # Eurostat / Statistics Canada / Open SDG bands
ACCELERATE_RATIO = 0.6
ABOUT_TOLERANCE = 0.02  # "左右": within 2 % of the target level counts as reached
EPSILON = 1e-9


def gettext_noop(message: str) -> str:
    """Marks a note for makemessages, which looks for this name, without importing Django (its
    gettext_noop reads settings, and the engine runs without them). Notes are stored in Chinese
    and pages translate them when shown: {% translate snapshot.note %}."""
    return message


NOTE_NOT_ASSESSED = gettext_noop("未评估")
NOTE_NO_DATA = gettext_noop("尚无数据")
NOTE_NO_BASELINE = gettext_noop("缺少基准期数据")
NOTE_SINGLE_POINT = gettext_noop("仅有一期数据，无法判断趋势")
NOTE_MISSED = gettext_noop("目标年已过，未达到目标")

RESULT_COLUMNS = [
    "target_id", "status", "latest_value", "latest_period", "baseline_value", "target_level", "progress_pct",
    "expected_pct", "gap", "actual_rate", "required_rate", "rate_basis", "ratio", "projected_value",
    "warning_level", "note",
]  # fmt: skip

TARGET_COLUMNS = [
    "target_id", "indicator_id", "kind", "comparator", "value", "target_year", "period_start", "baseline_year",
    "direction", "nature",
]  # fmt: skip
OBSERVATION_COLUMNS = ["indicator_id", "t", "value", "period"]


def compute_progress(
    targets: pd.DataFrame, observations: pd.DataFrame, assessments: pd.DataFrame | None = None
) -> pd.DataFrame:
    """A progress row for every target; see the module docstring for the frames' columns.

    The frames are only read column by column into numpy arrays: the arithmetic runs on arrays,
    where each step costs microseconds, so one indicator's targets (the recompute after a new
    value) take about a millisecond while a million targets still take one vectorised pass."""
    kind = targets["kind"].to_numpy(dtype=object)
    qualitative = kind == "qualitative"
    quantified = _quantified({c: targets[c].to_numpy()[~qualitative] for c in TARGET_COLUMNS}, observations)
    manual = _qualitative(targets["target_id"].to_numpy()[qualitative], assessments)
    parts = [frame for frame in (quantified, manual) if frame]
    if not parts:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    columns = {c: np.concatenate([part[c] for part in parts]) for c in RESULT_COLUMNS}
    order = np.argsort(columns["target_id"], kind="stable")
    return pd.DataFrame({c: columns[c][order] for c in RESULT_COLUMNS})


def _qualitative(target_ids: np.ndarray, assessments: pd.DataFrame | None) -> dict[str, np.ndarray]:
    if len(target_ids) == 0:
        return {}
    n = len(target_ids)
    columns = {c: np.full(n, np.nan) for c in RESULT_COLUMNS[1:]}
    columns["target_id"] = target_ids
    columns["rate_basis"] = np.full(n, "", dtype=object)
    columns["latest_period"] = np.full(n, "", dtype=object)
    notes: dict[object, object] = {}
    if assessments is not None and not assessments.empty:
        # The latest assessment is the last row of each target.
        notes = dict(zip(assessments["target_id"].tolist(), assessments["note"].tolist(), strict=True))
    columns["status"] = np.array(["manual" if t in notes else "no_data" for t in target_ids.tolist()], dtype=object)
    columns["note"] = np.array(
        [NOTE_NOT_ASSESSED if _missing(notes.get(t)) else notes[t] for t in target_ids.tolist()], dtype=object
    )
    return columns


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


class _Series:
    """All observations sorted by (indicator, time) under one integer key, so the window of
    every target (first, latest, previous, start-year value, running total) is found by binary
    search for all targets at once, without pairing targets with observations."""

    _SPAN = 1_000_000  # keys per indicator: months since year 0, far below this

    def __init__(self, observations: pd.DataFrame) -> None:
        value = observations["value"].to_numpy(dtype=float, na_value=np.nan)
        counted = np.flatnonzero(~np.isnan(value))  # a period without a value (a note only) does not count
        t = observations["t"].to_numpy(dtype=float)[counted]
        months = np.rint(t * 12).astype(np.int64)
        key = observations["indicator_id"].to_numpy(dtype=np.int64)[counted] * self._SPAN + months
        order = np.argsort(key, kind="stable")
        self.key = key[order]
        self.t = t[order]
        self.value = value[counted][order]
        self.period = observations["period"].to_numpy(dtype=object)[counted][order]
        self.cumulative = np.concatenate([[0.0], np.cumsum(self.value)])

    def position(self, indicator: np.ndarray, year: np.ndarray | None, side: Literal["left", "right"]) -> np.ndarray:
        """The index of an indicator's first observation (year None), or just past its
        observations up to `year` (side "right"); a NaN year gives an empty window."""
        if year is None:
            return np.searchsorted(self.key, indicator * self._SPAN, side="left")
        months = np.where(np.isnan(year), -1, np.rint(np.nan_to_num(year, nan=0.0) * 12)).astype(np.int64)
        return np.searchsorted(self.key, indicator * self._SPAN + months, side=side)

    def take(self, array: np.ndarray, index: np.ndarray, valid: np.ndarray, fill: float | str = np.nan) -> np.ndarray:
        if len(array) == 0:
            return np.full(len(index), fill, dtype=object if isinstance(fill, str) else float)
        picked = array[np.clip(index, 0, len(array) - 1)]
        return np.where(valid, picked, fill)


def _quantified(targets: dict[str, np.ndarray], observations: pd.DataFrame) -> dict[str, np.ndarray]:
    target_id = targets["target_id"]
    if len(target_id) == 0:
        return {}
    kind, comparator, direction = targets["kind"], targets["comparator"], targets["direction"]
    value = targets["value"].astype(float)
    target_year = targets["target_year"].astype(float)
    baseline_year = targets["baseline_year"].astype(float)
    period_start = targets["period_start"].astype(float)
    cumulative = kind == "cumulative"
    flow = cumulative & (targets["nature"] == "flow")
    stock = cumulative & ~flow

    # The start point: the baseline year's value for relative targets, the end of the year
    # before the period for cumulative ones, and the first observation for level targets.
    anchor = np.where(
        (kind == "change_vs_baseline") | (kind == "annual_growth"),
        baseline_year,
        np.where(cumulative, period_start - 1, np.nan),
    )
    series = _Series(observations)
    ind = targets["indicator_id"].astype(np.int64)
    lo = series.position(ind, None, "left")
    # Data after the target year does not change the verdict on that year's target.
    hi = series.position(ind, target_year, "right")
    count = hi - lo
    latest_t = series.take(series.t, hi - 1, count >= 1)
    latest_raw = series.take(series.value, hi - 1, count >= 1)
    latest_period = series.take(series.period, hi - 1, count >= 1, fill="")
    prev_raw = series.take(series.value, hi - 2, count >= 2)
    first_t = series.take(series.t, lo, count >= 1)
    t0 = np.where(np.isnan(anchor), first_t, anchor)
    # The start value is the last observation inside the start year: (t0 - 1, t0].
    anchor_lo = series.position(ind, t0 - 1, "right")
    anchor_hi = np.minimum(series.position(ind, t0, "right"), hi)
    base_raw = series.take(series.value, anchor_hi - 1, anchor_hi > anchor_lo)
    # A flow's running total since the period start is its position on the way to the target.
    after = np.minimum(anchor_hi, hi)
    running_total = np.where(hi > after, series.cumulative[hi] - series.cumulative[after], 0.0)
    flow_prev_total = running_total - latest_raw

    base = np.where(flow | stock, 0.0, base_raw)
    current = np.where(flow, running_total, np.where(stock, latest_raw - base_raw, latest_raw))
    previous = np.where(flow, flow_prev_total, np.where(stock, prev_raw - base_raw, prev_raw))
    years_total = target_year - t0
    growth_level = base_raw * (1 + value / 100) ** years_total
    level = np.select(
        [kind == "change_vs_baseline", kind == "annual_growth", cumulative],
        [base_raw * (1 + value / 100), growth_level, value],
        default=value,
    )
    sign = np.select(
        [comparator == "at_least", comparator == "at_most"],
        [1.0, -1.0],
        default=np.where(direction == "decrease", -1.0, 1.0),
    )
    tolerance = np.where(comparator == "about", ABOUT_TOLERANCE * np.abs(level), EPSILON * (1 + np.abs(level)))

    span = latest_t - t0
    distance = level - base
    with np.errstate(divide="ignore", invalid="ignore"):
        progress = np.where(np.abs(distance) > EPSILON, (current - base) / distance, np.nan)
        elapsed = np.clip(span / years_total, 0.0, 1.0)
        path_share = np.where(
            kind == "annual_growth",
            (base_raw * (1 + value / 100) ** _clip_below(span, 0) - base_raw) / distance,
            elapsed,
        )
        compound = ~cumulative & (base > 0) & (current > 0) & (level > 0)
        actual = np.where(compound, (current / base) ** (1 / span) - 1, (current - base) / span)
        required = np.where(compound, (level / base) ** (1 / years_total) - 1, distance / years_total)
        actual = np.where(span > EPSILON, actual, np.nan)
        ratio = np.where(np.abs(required) > EPSILON, actual / required, np.nan)
        remaining = _clip_below(target_year - latest_t, 0)
        projected = np.where(compound, current * (1 + actual) ** remaining, current + actual * remaining)

    with np.errstate(invalid="ignore"):
        achieved = sign * (current - level) >= -tolerance
        has_base = flow | ~np.isnan(base_raw)
        no_data = (count == 0) | ~has_base
        single = span <= EPSILON
        # The data has reached the target year: the verdict is final, met or missed.
        missed = latest_t >= target_year - EPSILON
        moving_away = sign * (current - base) < -EPSILON
        status = np.select(
            [no_data, achieved, missed, single, np.isnan(ratio) & moving_away, np.isnan(ratio)],
            ["no_data", "achieved", "missed", "no_data", "deteriorating", "off_track"],
            default=np.select(
                [ratio >= ON_TRACK_RATIO, ratio >= ACCELERATE_RATIO, ratio >= 0],
                ["on_track", "needs_acceleration", "off_track"],
                default="deteriorating",
            ),
        )
        worse_than_before = sign * (np.where(flow, latest_raw - prev_raw, current - previous)) < -EPSILON
        # The levels grade targets still running: a met target needs no warning, and a missed one
        # has its final verdict.
        warning = np.where(
            np.isnan(prev_raw) | no_data | achieved | missed,
            np.nan,
            np.where(worse_than_before, 1, np.where(~achieved & (progress < path_share - EPSILON), 2, 3)),
        )
    note = np.select(
        [count == 0, ~has_base, single & ~achieved, missed & ~achieved],
        [NOTE_NO_DATA, NOTE_NO_BASELINE, NOTE_SINGLE_POINT, NOTE_MISSED],
        default="",
    )

    # Reported in the indicator's own unit: a stock's level, not the amount added.
    offset = np.where(stock, base_raw, 0.0)
    empty = count == 0  # no observation: no rates, no projection
    return {
        "target_id": target_id,
        "status": status.astype(object),
        "latest_value": latest_raw,
        "latest_period": latest_period,
        "baseline_value": np.where(flow, np.nan, base_raw),
        "target_level": level + offset,
        "progress_pct": np.where(empty, np.nan, 100 * progress),
        "expected_pct": np.where(empty, np.nan, 100 * path_share),
        "gap": np.where(empty, np.nan, level - current),
        "actual_rate": np.where(empty, np.nan, np.where(compound, 100 * actual, actual)),
        "required_rate": np.where(empty, np.nan, np.where(compound, 100 * required, required)),
        "rate_basis": np.where(empty, "", np.where(compound, "cagr", "linear")).astype(object),
        "ratio": np.where(empty, np.nan, ratio),
        "projected_value": np.where(empty, np.nan, projected + offset),
        "warning_level": warning,
        "note": note.astype(object),
    }


def _clip_below(values: np.ndarray, floor: float) -> np.ndarray:
    """`values` raised to `floor`, NaN staying NaN (as pandas' clip(lower=...))."""
    return np.where(values < floor, floor, values)
