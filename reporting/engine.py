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
    """A progress row for every target; see the module docstring for the frames' columns."""
    targets = targets[TARGET_COLUMNS].copy()
    qualitative = targets["kind"] == "qualitative"
    quantified = _quantified(targets[~qualitative], observations[OBSERVATION_COLUMNS])
    manual = _qualitative(targets[qualitative], assessments)
    parts = [frame for frame in (quantified, manual) if not frame.empty]
    if not parts:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    result = pd.concat(parts, ignore_index=True)
    return result[RESULT_COLUMNS].sort_values("target_id", ignore_index=True)


def _qualitative(targets: pd.DataFrame, assessments: pd.DataFrame | None) -> pd.DataFrame:
    frame = pd.DataFrame({"target_id": targets["target_id"].to_numpy()})
    for column in RESULT_COLUMNS[1:]:
        frame[column] = np.nan
    frame["rate_basis"] = ""
    frame["latest_period"] = ""
    if assessments is not None and not assessments.empty:
        latest = assessments.drop_duplicates("target_id", keep="last").set_index("target_id")
        assessed = frame["target_id"].isin(latest.index)
        frame["status"] = np.where(assessed, "manual", "no_data")
        frame["note"] = frame["target_id"].map(latest["note"]).fillna(NOTE_NOT_ASSESSED)
    else:
        frame["status"] = "no_data"
        frame["note"] = NOTE_NOT_ASSESSED
    return frame


class _Series:
    """All observations sorted by (indicator, time) under one integer key, so the window of
    every target (first, latest, previous, start-year value, running total) is found by binary
    search for all targets at once, without pairing targets with observations."""

    _SPAN = 1_000_000  # keys per indicator: months since year 0, far below this

    def __init__(self, observations: pd.DataFrame) -> None:
        obs = observations.dropna(subset=["value"])
        months = np.rint(obs["t"].to_numpy(dtype=float) * 12).astype(np.int64)
        key = obs["indicator_id"].to_numpy(dtype=np.int64) * self._SPAN + months
        order = np.argsort(key, kind="stable")
        self.key = key[order]
        self.t = obs["t"].to_numpy(dtype=float)[order]
        self.value = obs["value"].to_numpy(dtype=float)[order]
        self.period = obs["period"].astype(object).to_numpy()[order]
        self.cumulative = np.concatenate([[0.0], np.cumsum(self.value)])

    def position(self, indicator: np.ndarray, year: np.ndarray | None, side: str) -> np.ndarray:
        """The index of an indicator's first observation (year None), or just past its
        observations up to `year` (side "right"); a NaN year gives an empty window."""
        if year is None:
            return np.searchsorted(self.key, indicator * self._SPAN, side="left")
        months = np.where(np.isnan(year), -1, np.rint(np.nan_to_num(year, nan=0.0) * 12)).astype(np.int64)
        return np.searchsorted(self.key, indicator * self._SPAN + months, side=side)

    def take(self, array: np.ndarray, index: np.ndarray, valid: np.ndarray, fill: object = np.nan) -> np.ndarray:
        if len(array) == 0:
            return np.full(len(index), fill, dtype=object if isinstance(fill, str) else float)
        picked = array[np.clip(index, 0, len(array) - 1)]
        return np.where(valid, picked, fill)


def _quantified(targets: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    if targets.empty:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    t = targets.copy()
    t["value"] = t["value"].astype(float)
    t["target_year"] = t["target_year"].astype(float)
    t["baseline_year"] = t["baseline_year"].astype(float)
    t["period_start"] = t["period_start"].astype(float)
    t = t.set_index("target_id")
    flow = ((t["kind"] == "cumulative") & (t["nature"] == "flow")).to_numpy()
    stock = (t["kind"] == "cumulative").to_numpy() & ~flow

    # The start point: the baseline year's value for relative targets, the end of the year
    # before the period for cumulative ones, and the first observation for level targets.
    anchor = np.where(
        t["kind"].isin(["change_vs_baseline", "annual_growth"]),
        t["baseline_year"],
        np.where(t["kind"] == "cumulative", t["period_start"] - 1, np.nan),
    )
    series = _Series(observations)
    ind = t["indicator_id"].to_numpy(dtype=np.int64)
    lo = series.position(ind, None, "left")
    # Data after the target year does not change the verdict on that year's target.
    hi = series.position(ind, t["target_year"].to_numpy(), "right")
    count = hi - lo
    t["count"] = count
    t["latest_t"] = series.take(series.t, hi - 1, count >= 1)
    t["latest_raw"] = series.take(series.value, hi - 1, count >= 1)
    t["latest_period"] = series.take(series.period, hi - 1, count >= 1, fill="")
    t["prev_raw"] = series.take(series.value, hi - 2, count >= 2)
    first_t = series.take(series.t, lo, count >= 1)
    t["t0"] = np.where(np.isnan(anchor), first_t, anchor)
    t0 = t["t0"].to_numpy()
    # The start value is the last observation inside the start year: (t0 - 1, t0].
    anchor_lo = series.position(ind, t0 - 1, "right")
    anchor_hi = np.minimum(series.position(ind, t0, "right"), hi)
    t["base_raw"] = series.take(series.value, anchor_hi - 1, anchor_hi > anchor_lo)
    # A flow's running total since the period start is its position on the way to the target.
    after = np.minimum(anchor_hi, hi)
    running_total = np.where(hi > after, series.cumulative[hi] - series.cumulative[after], 0.0)
    running_total = pd.Series(running_total, index=t.index)
    flow_prev_total = running_total - t["latest_raw"]

    base = np.where(flow | stock, 0.0, t["base_raw"])
    current = np.where(flow, running_total, np.where(stock, t["latest_raw"] - t["base_raw"], t["latest_raw"]))
    previous = np.where(flow, flow_prev_total, np.where(stock, t["prev_raw"] - t["base_raw"], t["prev_raw"]))
    years_total = t["target_year"] - t["t0"]
    growth_level = t["base_raw"] * (1 + t["value"] / 100) ** years_total
    level = np.select(
        [t["kind"] == "change_vs_baseline", t["kind"] == "annual_growth", t["kind"] == "cumulative"],
        [t["base_raw"] * (1 + t["value"] / 100), growth_level, t["value"]],
        default=t["value"],
    )
    sign = np.select(
        [t["comparator"] == "at_least", t["comparator"] == "at_most"],
        [1.0, -1.0],
        default=np.where(t["direction"] == "decrease", -1.0, 1.0),
    )
    tolerance = np.where(t["comparator"] == "about", ABOUT_TOLERANCE * np.abs(level), EPSILON * (1 + np.abs(level)))

    span = t["latest_t"] - t["t0"]
    distance = level - base
    with np.errstate(divide="ignore", invalid="ignore"):
        progress = np.where(np.abs(distance) > EPSILON, (current - base) / distance, np.nan)
        elapsed = np.clip(span / years_total, 0.0, 1.0)
        path_share = np.where(
            t["kind"] == "annual_growth",
            (t["base_raw"] * (1 + t["value"] / 100) ** span.clip(lower=0) - t["base_raw"]) / distance,
            elapsed,
        )
        compound = (t["kind"] != "cumulative") & (base > 0) & (current > 0) & (level > 0)
        actual = np.where(compound, (current / base) ** (1 / span) - 1, (current - base) / span)
        required = np.where(compound, (level / base) ** (1 / years_total) - 1, distance / years_total)
        actual = np.where(span > EPSILON, actual, np.nan)
        ratio = np.where(np.abs(required) > EPSILON, actual / required, np.nan)
        remaining = (t["target_year"] - t["latest_t"]).clip(lower=0)
        projected = np.where(compound, current * (1 + actual) ** remaining, current + actual * remaining)

    achieved = sign * (current - level) >= -tolerance
    has_base = flow | t["base_raw"].notna()
    no_data = (t["count"] == 0) | ~has_base
    single = span <= EPSILON
    # The data has reached the target year: the verdict is final, met or missed.
    missed = t["latest_t"] >= t["target_year"] - EPSILON
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
    worse_than_before = sign * (np.where(flow, t["latest_raw"] - t["prev_raw"], current - previous)) < -EPSILON
    # The levels grade targets still running: a met target needs no warning, and a missed one
    # has its final verdict.
    warning = np.where(
        np.isnan(t["prev_raw"]) | no_data | achieved | missed,
        np.nan,
        np.where(worse_than_before, 1, np.where(~achieved & (progress < path_share - EPSILON), 2, 3)),
    )
    note = np.select(
        [t["count"] == 0, ~has_base, single & ~achieved, missed & ~achieved],
        [NOTE_NO_DATA, NOTE_NO_BASELINE, NOTE_SINGLE_POINT, NOTE_MISSED],
        default="",
    )

    # Reported in the indicator's own unit: a stock's level, not the amount added.
    offset = np.where(stock, t["base_raw"], 0.0)
    out = pd.DataFrame(
        {
            "target_id": t.index.to_numpy(),
            "status": status,
            "latest_value": t["latest_raw"].to_numpy(),
            "latest_period": t["latest_period"].to_numpy(),
            "baseline_value": np.where(flow, np.nan, t["base_raw"]),
            "target_level": np.asarray(level) + offset,
            "progress_pct": 100 * np.asarray(progress),
            "expected_pct": 100 * np.asarray(path_share),
            "gap": np.asarray(level) - np.asarray(current),
            "actual_rate": np.where(compound, 100 * actual, actual),
            "required_rate": np.where(compound, 100 * required, required),
            "rate_basis": np.where(compound, "cagr", "linear"),
            "ratio": ratio,
            "projected_value": np.asarray(projected) + offset,
            "warning_level": warning,
            "note": note,
        }
    )
    empty = (t["count"] == 0).to_numpy()
    for column in ("progress_pct", "expected_pct", "gap", "actual_rate", "required_rate", "ratio", "projected_value"):
        out.loc[empty, column] = np.nan
    out.loc[empty, "rate_basis"] = ""
    return out
