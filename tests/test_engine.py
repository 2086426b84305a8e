"""The progress engine against the worked examples of docs/progress-method.md, computed by hand.

The examples are read from the document itself, so the method note and the code cannot drift.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from reporting.engine import RESULT_COLUMNS, compute_progress
from reporting.frames import decimal_year
from reporting.periods import parse_period

DOC = Path(__file__).resolve().parent.parent / "docs" / "progress-method.md"


def _examples() -> list[dict]:
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    return [yaml.safe_load(block) for block in blocks]


EXAMPLES = _examples()


def _frames(examples: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    targets, observations = [], []
    for number, example in enumerate(examples, start=1):
        spec = {"period_start": None, "baseline_year": None, **example["target"]}
        targets.append({"target_id": number, "indicator_id": number, **spec})
        for period, value in example["observations"].items():
            label, end = parse_period(period)
            observations.append(
                {"indicator_id": number, "t": decimal_year(end.year, end.month), "value": value, "period": label}
            )
    target_df = pd.DataFrame(targets)
    target_df["value"] = target_df["value"].astype(float)
    return target_df, pd.DataFrame(observations)


def _decimals(value: float) -> int:
    text = repr(value)
    return len(text.split(".")[1]) if "." in text else 0


def test_the_document_has_an_example_for_every_status_and_kind():
    statuses = {e["expect"]["status"] for e in EXAMPLES}
    assert statuses >= {
        "achieved", "missed", "on_track", "needs_acceleration", "off_track", "deteriorating", "no_data",
    }  # fmt: skip
    kinds = {e["target"]["kind"] for e in EXAMPLES}
    assert kinds == {"level", "change_vs_baseline", "cumulative", "annual_growth"}
    assert len(EXAMPLES) >= 17


def test_a_final_verdict_is_never_a_trend_status():
    """Every example whose data reaches its target year is achieved or missed."""
    targets, observations = _frames(EXAMPLES)
    rows = compute_progress(targets, observations).set_index("target_id")
    reached = [
        number
        for number, example in enumerate(EXAMPLES, start=1)
        if max(parse_period(p)[1].year for p in example["observations"]) >= example["target"]["target_year"]
    ]
    assert len(reached) >= 3
    assert set(rows.loc[reached, "status"]) <= {"achieved", "missed"}
    final = rows[rows["status"].isin(["achieved", "missed"])]
    assert final["warning_level"].isna().all()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["example"] for e in EXAMPLES])
def test_worked_example(example):
    targets, observations = _frames([example])
    (row,) = compute_progress(targets, observations).to_dict("records")
    for key, expected in example["expect"].items():
        actual = row[key]
        if expected is None:
            assert actual is None or (isinstance(actual, float) and math.isnan(actual)), f"{key}: {actual!r}"
        elif isinstance(expected, float | int) and not isinstance(expected, bool):
            tolerance = 0.5 * 10 ** -_decimals(float(expected)) + 1e-9
            assert actual == pytest.approx(expected, abs=tolerance), f"{key}: {actual} != {expected}"
        else:
            assert str(actual) == str(expected), f"{key}: {actual!r} != {expected!r}"


def test_one_pass_over_all_examples_equals_each_alone():
    targets, observations = _frames(EXAMPLES)
    together = compute_progress(targets, observations).set_index("target_id")
    for number, example in enumerate(EXAMPLES, start=1):
        alone_targets, alone_obs = _frames([example])
        alone = compute_progress(alone_targets, alone_obs).iloc[0]
        for column in RESULT_COLUMNS[1:]:
            a, b = together.loc[number, column], alone[column]
            if isinstance(a, float) and math.isnan(a):
                assert isinstance(b, float) and math.isnan(b), (example["example"], column)
            else:
                assert a == b, (example["example"], column)


def test_observations_of_other_indicators_do_not_leak():
    targets, observations = _frames([EXAMPLES[0]])
    noise = pd.DataFrame(
        {"indicator_id": [99, 99], "t": [2021.0, 2023.0], "value": [1e6, -1e6], "period": ["2021", "2023"]}
    )
    clean = compute_progress(targets, observations)
    noisy = compute_progress(targets, pd.concat([observations, noise], ignore_index=True))
    pd.testing.assert_frame_equal(clean, noisy)


def test_qualitative_targets_take_the_latest_assessment():
    qualitative = {
        "kind": "qualitative", "comparator": "", "value": np.nan, "target_year": 2030, "period_start": None,
        "baseline_year": None, "direction": "decrease", "nature": "qualitative",
    }  # fmt: skip
    targets = pd.DataFrame([{"target_id": n, "indicator_id": n, **qualitative} for n in (1, 2)])
    observations = pd.DataFrame(columns=["indicator_id", "t", "value", "period"])
    assessments = pd.DataFrame(
        [(1, "off_track", "旧的评估"), (1, "on_track", "已完成80%的整合退出")], columns=["target_id", "verdict", "note"]
    )
    rows = compute_progress(targets, observations, assessments).set_index("target_id")
    assert rows.loc[1, "status"] == "manual" and rows.loc[1, "note"] == "已完成80%的整合退出"
    assert rows.loc[2, "status"] == "no_data"


def test_no_targets_gives_an_empty_frame_with_the_columns():
    targets = _frames([EXAMPLES[0]])[0].iloc[0:0]
    observations = pd.DataFrame(columns=["indicator_id", "t", "value", "period"])
    result = compute_progress(targets, observations)
    assert result.empty and list(result.columns) == RESULT_COLUMNS
