"""The one-indicator recompute (what runs after every new value) gives what a full recompute
gives, writes what it computed faithfully, and costs the same queries however much history and
however many other targets are stored."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.change_sources import ChangeSource
from reporting.benchmark import PeakMemory, _history_seed, synthetic_data_create
from reporting.engine import RESULT_COLUMNS, compute_progress
from reporting.frames import assessment_frame, observation_frame, target_frame
from reporting.models import ProgressSnapshot, TargetAssessment
from reporting.recompute import (
    latest_snapshots,
    progress_recompute,
    progress_recompute_indicator,
    snapshots_write,
)
from reporting.services import observation_record
from targets.models import Indicator, Target

# A person's note may hold anything COPY treats specially: tabs, newlines, backslashes, and the
# text COPY reads as NULL.
AWKWARD_NOTE = "第一行\t制表符\n第二行 \\ 反斜杠 \\N 不是空值\r"


def _new_value(indicator_id: int, period: str, value: str) -> None:
    observation_record(
        indicator=Indicator.objects.get(pk=indicator_id), period=period, value=value, user=None,
        source=ChangeSource.COMMAND, queue_recompute=False,
    )  # fmt: skip


def _assert_same_results(stored: pd.DataFrame, expected: pd.DataFrame) -> None:
    stored = stored.set_index("target_id").sort_index()
    expected = expected.set_index("target_id").sort_index()
    assert stored.index.tolist() == expected.index.tolist()
    for column in RESULT_COLUMNS[1:]:
        if column in ("status", "latest_period", "rate_basis", "note"):
            assert stored[column].fillna("").tolist() == expected[column].fillna("").tolist(), column
        else:
            a = stored[column].to_numpy(dtype=float, na_value=np.nan)
            b = expected[column].to_numpy(dtype=float, na_value=np.nan)
            assert np.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True), column


def _synthetic_indicators() -> list[Indicator]:
    """The benchmark's indicators (observed monthly 2020-2025, a 2025 and a 2030 target each),
    not the `world` fixture's."""
    return list(Indicator.objects.filter(code__startswith="metric_").order_by("pk"))


@pytest.fixture
def synthetic(reference_data, users):
    synthetic_data_create(cities=2, observations=3_000)
    indicator = _synthetic_indicators()[0]
    qualitative = Target.objects.create(
        plan=indicator.targets.first().plan, code="qualitative-2025", indicator=indicator, kind="qualitative",
        target_year=2025, section="四", source_text="到2025年，完成省下达任务",
    )  # fmt: skip
    admin = users["admin"]
    TargetAssessment.objects.create(target=qualitative, verdict="on_track", note=AWKWARD_NOTE, assessed_by=admin)
    return qualitative


def test_one_indicator_recompute_gives_what_the_full_recompute_gives(synthetic):
    progress_recompute()
    indicators = [indicator.pk for indicator in _synthetic_indicators()]
    changed = indicators[:2] + indicators[-2:]
    for number, indicator_id in enumerate(changed):
        _new_value(indicator_id, "2026-01", str(90 + 17 * number))
        result = progress_recompute_indicator(indicator_id=indicator_id)
        assert result.targets == Target.objects.filter(indicator_id=indicator_id).count()
        assert result.written >= 1  # the new latest value is in the 2030 target's result
    expected = compute_progress(target_frame(Target.objects.all()), observation_frame(), assessment_frame())
    _assert_same_results(latest_snapshots(), expected)
    assert progress_recompute().written == 0  # the full run finds nothing the incremental ones missed
    # The qualitative target of the first indicator kept its person's note, byte for byte.
    latest = ProgressSnapshot.objects.filter(target=synthetic).latest("id")
    assert (latest.status, latest.note) == ("manual", AWKWARD_NOTE)


def test_snapshots_are_written_as_computed(synthetic):
    """Whatever the vendor's write path (COPY on PostgreSQL), a snapshot reads back as the
    engine's row: missing numbers as NULL, the warning level as a whole number."""
    results = compute_progress(target_frame(Target.objects.all()), observation_frame(), assessment_frame())
    assert results["warning_level"].notna().any() and results["progress_pct"].isna().any()
    snapshots_write(results, computed_at=timezone.now())
    _assert_same_results(latest_snapshots(), results)
    warned = results["warning_level"].notna().sum()
    assert ProgressSnapshot.objects.filter(warning_level__isnull=False).count() == warned
    assert ProgressSnapshot.objects.get(target=synthetic).note == AWKWARD_NOTE


def test_one_indicator_recompute_costs_the_same_queries_whatever_the_history(synthetic):
    progress_recompute()
    indicator_id = _synthetic_indicators()[3].pk

    def queries_of_one_recompute(period: str) -> list[str]:
        _new_value(indicator_id, period, "123.4")
        with CaptureQueriesContext(connection) as captured:
            assert progress_recompute_indicator(indicator_id=indicator_id).written >= 1
        return [q["sql"] for q in captured.captured_queries]

    short = queries_of_one_recompute("2026-01")
    _history_seed(generations=8)  # nine more snapshots for every target
    long = queries_of_one_recompute("2026-02")
    assert len(long) == len(short)
    # Lock the targets, read their observations, read their latest snapshots, write the changed
    # ones, then count the city's targets by status again (lock the city, read, delete, insert)
    # and rank the indicator across cities again (find it, lock its sector, read the ids of its
    # cities' latest snapshots, then those snapshots, write; each vendor's transaction
    # statements aside): no query per target,
    # none for the assessments of an indicator without qualitative targets, none to find the
    # cities.
    reads_and_writes = [sql for sql in long if not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert len(reads_and_writes) <= 13
    assert sum("citystatuscount" in sql for sql in long) == 2  # one city's rows: deleted, written
    assert sum("sectorranking" in sql for sql in long) == 1  # one indicator's row, written
    assert not any("targetassessment" in sql for sql in long)


def test_peak_memory_is_what_the_block_added_not_the_interpreter():
    with PeakMemory(interval=0.001) as memory:
        block = np.ones(40 * 1024 * 1024 // 8)  # 40 MB, touched
        block += 1
    assert memory.baseline_mb > 20  # the interpreter and Django are in the baseline...
    assert 30 < memory.peak_mb < 70  # ...and not in the peak
    del block
