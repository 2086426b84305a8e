"""Jobs against the real services: a real worker takes the import from Redis while the page
polls; with the broker unreachable (a closed port) the job still runs, in the web process."""

from __future__ import annotations

import time
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.celery import app
from jobs.models import BackgroundJob
from reporting.models import Observation
from tests.worker import _drop_connections, real_worker

GOOD = "city,indicator_code,period,value,note\n测试市,pm25_concentration,2022,38.2,快报\n"
CLOSED_PORT = "redis://127.0.0.1:6390/0"


def _confirm(client) -> BackgroundJob:
    url = reverse("entry:observation_upload")
    preview = client.post(url, {"file": SimpleUploadedFile("data.csv", GOOD.encode(), "text/csv")})
    response = client.post(url, {"action": "confirm", "digest": preview.context["digest"]})
    job = BackgroundJob.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    return job


def _wait_until_finished(client, job: BackgroundJob, seconds: float = 90) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = client.get(reverse("jobs:status", args=[job.pk])).json()
        if state["finished"]:
            return state
        time.sleep(0.3)
    raise AssertionError(f"job {job.pk} did not finish in {seconds} s: {state}")


@pytest.mark.celery_worker
def test_a_real_worker_runs_the_confirmed_import(transactional_db, client, world, users):
    client.force_login(users["eco_staff"])
    with real_worker():
        job = _confirm(client)
        assert client.get(reverse("jobs:status", args=[job.pk])).json()["status"] in ("queued", "running", "done")
        state = _wait_until_finished(client, job)
    assert state["status"] == "done" and state["percent"] == 100
    assert Observation.objects.get().value == Decimal("38.2")
    assert not BackgroundJob.objects.get().ran_in_web_process


@contextmanager
def unreachable_broker():
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=CLOSED_PORT, result_backend=CLOSED_PORT, task_always_eager=False)
    _drop_connections()
    try:
        yield
    finally:
        app.conf.update(saved)
        _drop_connections()


def test_with_the_broker_unreachable_the_import_still_runs_and_the_page_says_so(transactional_db, client, world, users):
    client.force_login(users["eco_staff"])
    with unreachable_broker():
        job = _confirm(client)
        state = _wait_until_finished(client, job)
    assert state["status"] == "done"
    assert Observation.objects.get().value == Decimal("38.2")
    job.refresh_from_db()
    assert job.ran_in_web_process
    assert "任务队列暂时不可用" in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
