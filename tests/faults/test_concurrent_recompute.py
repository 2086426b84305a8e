"""Recomputes running at once (a full one, per-indicator ones, while values change) never write a
snapshot identical to the target's previous one, and leave the latest snapshots consistent with
the data. Real PostgreSQL connections, one per thread."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

import pytest
from django.db import connection

from config.change_sources import ChangeSource
from reporting.benchmark import synthetic_data_create
from reporting.engine import RESULT_COLUMNS
from reporting.models import CityStatusCount, ProgressSnapshot, SectorRanking
from reporting.recompute import progress_recompute, progress_recompute_indicator
from reporting.sector_rankings import sector_rankings_refresh
from reporting.services import observation_record
from reporting.status_counts import status_counts_refresh
from targets.models import Indicator, Target

# CI runs on PostgreSQL: there this test must run, so it is never skipped when CI is set.
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql" and not os.environ.get("CI"),
    reason="row locks and concurrent writers need PostgreSQL; the embedded SQLite mode is one process",
)


RANKING_FIELDS = ("sector", "code", "headlines", "counts", "best", "leading", "lagging", "not_reported")


def _run_together(jobs: list[Callable[[], object]]) -> list[BaseException]:
    start = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job: Callable[[], object]) -> None:
        try:
            start.wait(30)
            job()
        except BaseException as exc:  # reported by the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    return errors


def _consecutive_duplicates() -> int:
    duplicates, previous = 0, {}
    for row in ProgressSnapshot.objects.order_by("target_id", "id").values_list(*RESULT_COLUMNS):
        if previous.get(row[0]) == row:
            duplicates += 1
        previous[row[0]] = row
    return duplicates


def test_concurrent_full_and_per_indicator_recomputes_write_no_duplicate(transactional_db, reference_data):
    synthetic_data_create(cities=4, observations=60_000)
    indicators = list(Indicator.objects.order_by("pk").values_list("pk", flat=True))
    busy = indicators[::25][:4]
    changed = indicators[1]

    def new_value() -> None:
        observation_record(source=ChangeSource.COMMAND,
            indicator=Indicator.objects.get(pk=changed), period="2026-01", value="150", user=None,
            queue_recompute=False,
        )  # fmt: skip
        progress_recompute_indicator(indicator_id=changed)  # what its queued task does

    jobs: list[Callable[[], object]] = [progress_recompute, progress_recompute, new_value]
    jobs += [lambda pk=pk: progress_recompute_indicator(indicator_id=pk) for pk in busy for _ in range(2)]
    assert _run_together(jobs) == []

    assert _consecutive_duplicates() == 0
    targets = Target.objects.count()
    # One snapshot per target, and a second one for each target of the indicator whose value
    # changed if its first was computed before the change.
    assert targets <= ProgressSnapshot.objects.count() <= targets + 2
    # The latest snapshots are what the data says now: a fresh run finds nothing to write.
    assert progress_recompute().written == 0
    # And the cities' stored status counts are theirs: counting afresh changes nothing.
    stored = list(CityStatusCount.objects.order_by("city", "target_year", "status").values_list(
        "city", "target_year", "status", "targets"))  # fmt: skip
    status_counts_refresh()
    assert stored and list(CityStatusCount.objects.order_by("city", "target_year", "status").values_list(
        "city", "target_year", "status", "targets")) == stored  # fmt: skip
    # So are the sectors' stored rankings: ranking afresh changes nothing.
    rankings = list(SectorRanking.objects.order_by("sector", "code").values_list(*RANKING_FIELDS))
    sector_rankings_refresh()
    assert rankings and list(SectorRanking.objects.order_by("sector", "code").values_list(*RANKING_FIELDS)) == rankings
