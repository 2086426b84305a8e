"""Redis unreachable (a real closed port, no mocks): every page answers, every write is saved,
the user is told the figures may lag, and the next recompute catches up.

The app runs in a subprocess (gunicorn) whose cache and Celery broker both point at the closed
port, and is driven over HTTP like a browser and an API client would."""

from __future__ import annotations

import re
import time

import pytest
import requests
from django.urls import reverse
from rest_framework.authtoken.models import Token

from reporting import tasks
from reporting.models import Observation, ProgressSnapshot
from tests.faults.app_server import app_server, port_is_closed

CLOSED_PORT = 6391
LAG = "可能滞后"  # reporting.services.LAG_WARNING
TIMEOUT = 30  # a request that hangs on the dead Redis fails the test


@pytest.fixture
def dead_redis() -> str:
    assert port_is_closed(CLOSED_PORT), f"port {CLOSED_PORT} must be closed for this test"
    return f"redis://127.0.0.1:{CLOSED_PORT}/0"


def _csrf(web: requests.Session) -> dict[str, str]:
    return {"csrfmiddlewaretoken": web.cookies["csrftoken"]}


def test_with_redis_down_pages_render_writes_are_saved_and_the_next_recompute_catches_up(
    transactional_db, world, users, dead_redis
):
    pv, token = world["pv"], Token.objects.create(user=users["ndrc_staff"])
    with app_server(redis_url=dead_redis) as base:
        web = requests.Session()
        login = web.get(base + reverse("login"), timeout=TIMEOUT)
        assert login.status_code == 200 and 'name="password"' in login.text
        logged_in = web.post(
            base + reverse("login"),
            data={"username": "ndrc", "password": "pw-for-tests-only", **_csrf(web)},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        assert logged_in.status_code == 302, logged_in.text[:500]

        bureau = web.get(base + reverse("dashboard:my_bureau"), timeout=TIMEOUT)
        assert bureau.status_code == 200 and "光伏发电装机容量" in bureau.text

        # The entry form: saved, and the page says the figures may lag.
        form = web.post(
            base + reverse("entry:observation_create", args=[pv.pk]),
            data={"period": "2020", "value": "300", **_csrf(web)},
            timeout=TIMEOUT,
        )
        assert form.status_code == 200 and LAG in form.text
        assert Observation.objects.get(indicator=pv, period="2020").value == 300

        # The upload: preview (the file waits in the session), then confirm.
        upload_url = base + reverse("entry:observation_upload")
        csv = "city,indicator_code,period,value,note\ntestcity,pv_installed_capacity,2021,330,\n"
        preview = web.post(
            upload_url, data=_csrf(web), files={"file": ("data.csv", csv.encode(), "text/csv")}, timeout=TIMEOUT
        )
        assert preview.status_code == 200, preview.text[:500]
        digest = re.search(r'name="digest" value="([0-9a-f]{64})"', preview.text)
        assert digest is not None
        confirm = web.post(
            upload_url, data={"action": "confirm", "digest": digest.group(1), **_csrf(web)}, timeout=TIMEOUT
        )
        # The import is a background job; with the broker down it runs in the web process.
        assert confirm.status_code == 200 and "/jobs/" in confirm.url
        job_page = _finished_job_page(web, confirm.url)
        assert LAG in job_page and 'id="job-fallback"' in job_page
        assert Observation.objects.get(indicator=pv, period="2021").value == 330

        # The API: created, and the answer says the recompute was not queued.
        api = requests.post(
            base + "/api/v1/observations/",
            json={"indicator": pv.pk, "period": "2023", "value": 420},
            headers={"Authorization": f"Token {token.key}"},
            timeout=TIMEOUT,
        )
        assert api.status_code == 201, api.text[:500]
        assert api.json()["recompute_queued"] is False
        assert Observation.objects.get(indicator=pv, period="2023").value == 420

        # Dashboards render uncached, with what was just saved.
        target = web.get(base + reverse("dashboard:target", args=[world["pv_target"].pk]), timeout=TIMEOUT)
        assert target.status_code == 200
        for url in (reverse("dashboard:home"), reverse("dashboard:city", args=["testcity"])):
            assert web.get(base + url, timeout=TIMEOUT).status_code == 200, url

    # Nothing was recomputed while the broker was down; the next full recompute catches up.
    assert not ProgressSnapshot.objects.filter(target=world["pv_target"]).exists()
    outcome = tasks.recompute_all.apply().get()
    assert outcome["written"] >= 1
    latest = ProgressSnapshot.objects.filter(target=world["pv_target"]).latest("id")
    assert (latest.latest_period, latest.latest_value) == ("2023", 420.0)


def test_after_a_failed_connect_the_cache_fails_at_once_for_a_while(dead_redis):
    import redis

    from config.redis_pool import FailFastConnectionPool

    pool = FailFastConnectionPool.from_url(dead_redis, retry_after=60)
    client = redis.Redis(connection_pool=pool)
    with pytest.raises(redis.ConnectionError):
        client.get("anything")
    with pytest.raises(redis.ConnectionError, match="not retrying yet"):
        pool.get_connection()


def _finished_job_page(web: requests.Session, url: str, seconds: float = 60) -> str:
    """The job's page once its status says it finished (polled as the page's script does)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if web.get(url.rstrip("/") + "/status.json", timeout=TIMEOUT).json()["finished"]:
            return web.get(url, timeout=TIMEOUT).text
        time.sleep(0.2)
    raise AssertionError(f"the job at {url} did not finish within {seconds} s")
