"""A 100,000-row import through the job service completes, reporting its progress as it goes,
and stores every row with its history (SQLite here; PostgreSQL in CI, via DATABASE_URL).

Its speed is measured by `python manage.py bench_import`, not here."""

from __future__ import annotations

from jobs import services
from jobs.services import job_create, job_run
from reporting.import_benchmark import bench_indicators_create, observations_csv
from reporting.models import Observation

ROWS = 100_000


def test_a_100000_row_import_completes_with_its_progress_shown(reference_data, users, monkeypatch):
    indicators = bench_indicators_create(rows=ROWS)
    raw = observations_csv(indicators, ROWS)
    reported: list[tuple[int, int, str]] = []
    real = services.job_progress_set

    def progress(*, job_id, done, total, stage=""):
        reported.append((done, total, stage))
        real(job_id=job_id, done=done, total=total, stage=stage)

    monkeypatch.setattr(services, "job_progress_set", progress)
    job = job_create(kind="observation_import", params={}, owner=users["admin"], source=(raw, "big.csv"))
    job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == "done", job.message
    assert job.outcome["counts"] == {"created": ROWS, "updated": 0, "unchanged": 0}
    assert (job.done, job.total) == (ROWS, ROWS)
    assert Observation.objects.count() == ROWS and Observation.history.count() == ROWS
    assert Observation.objects.filter(entered_by=users["admin"]).count() == ROWS
    # Progress was reported all the way: checking, then writing, each rising to every row.
    for stage in ("正在校验", "正在写入"):
        figures = [done for done, total, name in reported if name == stage]
        assert figures == sorted(figures) and figures[-1] == ROWS and len(figures) >= 25, stage
    assert all(total == ROWS for _done, total, _stage in reported)
