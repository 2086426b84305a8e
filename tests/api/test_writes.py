"""Writes for every role: who may record observations and measure updates, that a refused write
stores nothing, that accepted writes go through the services (history, recompute), and that
session writes need the CSRF token."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from measures.models import MeasureUpdate
from reporting.models import Observation, ProgressSnapshot

pytestmark = pytest.mark.django_db

# The PV indicator and measure belong to the NDRC ("owner"); the ecology bureau is "other_bureau".
EXPECTED_STATUS = {"anonymous": 401, "leader": 403, "owner": 201, "other_bureau": 403, "admin": 201}


@pytest.mark.parametrize("role", EXPECTED_STATUS)
def test_who_may_record_an_observation(role, client_as, world, users):
    response = client_as(role).post(
        "/api/v1/observations/", {"indicator": world["pv"].pk, "period": "2024-Q1", "value": "412.5", "note": "季报"}
    )
    assert response.status_code == EXPECTED_STATUS[role], response.content
    stored = Observation.objects.filter(indicator=world["pv"])
    if response.status_code == 201:
        observation = stored.get()
        assert (observation.period, float(observation.value), observation.note) == ("2024-Q1", 412.5, "季报")
        assert observation.entered_by == users[{"owner": "ndrc_staff", "admin": "admin"}[role]]
        assert observation.history.get().history_user == observation.entered_by
        body = response.json()
        assert (body["id"], body["period"], body["period_end"], body["value"]) == (
            observation.pk, "2024-Q1", "2024-03-31", 412.5,
        )  # fmt: skip
    else:
        assert not stored.exists()
        assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("role", EXPECTED_STATUS)
def test_who_may_report_on_a_measure(role, client_as, world, users):
    response = client_as(role).post(
        "/api/v1/measure-updates/",
        {"measure": world["pv_measure"].pk, "status": "in_progress", "percent_complete": 40, "note": "已开工"},
    )
    assert response.status_code == EXPECTED_STATUS[role], response.content
    stored = MeasureUpdate.objects.filter(measure=world["pv_measure"])
    if response.status_code == 201:
        update = stored.get()
        assert (update.status.code, update.percent_complete, update.note) == ("in_progress", 40, "已开工")
        assert update.created_by == users[{"owner": "ndrc_staff", "admin": "admin"}[role]]
        assert response.json()["id"] == update.pk
        assert response.json()["created_by"] == update.created_by.username
    else:
        assert not stored.exists()


def test_a_supporting_bureau_may_report_on_the_measure(client_as, world):
    # The NDRC supports the PM2.5 measure, which the ecology bureau leads.
    response = client_as("owner").post(
        "/api/v1/measure-updates/", {"measure": world["pm_measure"].pk, "status": "completed"}
    )
    assert response.status_code == 201
    assert response.json()["percent_complete"] == 100  # the service fills in 100 for a completed status


def test_another_bureaus_item_is_refused_before_its_values_are_read(client_as, world):
    """403 takes precedence: a caller learns nothing about another bureau's items from
    validation messages, and nothing is stored."""
    client = client_as("other_bureau")
    response = client.post("/api/v1/observations/", {"indicator": world["pv"].pk, "period": "soon", "value": "x"})
    assert response.status_code == 403
    assert response.json() == {"detail": "您无权填报“光伏发电装机容量”的数据。"}
    response = client.post("/api/v1/measure-updates/", {"measure": world["pv_measure"].pk, "status": "nope"})
    assert response.status_code == 403
    assert response.json() == {"detail": "您无权更新任务“三（一）1”。"}
    assert not Observation.objects.exists() and not MeasureUpdate.objects.exists()


def test_a_leader_is_refused_whatever_the_payload(client_as, world):
    client = client_as("leader")
    assert client.post("/api/v1/observations/", {}).status_code == 403
    assert client.post("/api/v1/measure-updates/", {"measure": 999999}).status_code == 403
    assert not Observation.objects.exists() and not MeasureUpdate.objects.exists()


def test_recording_a_period_again_updates_it_and_keeps_history(client_as, world, progress):
    client = client_as("owner")
    response = client.post("/api/v1/observations/", {"indicator": world["pv"].pk, "period": "2023", "value": 330})
    assert response.status_code == 200  # the period had a value: updated, not created
    observation = progress["observations"][1]
    observation.refresh_from_db()
    assert observation.value == 330
    assert [float(h.value) for h in observation.history.order_by("history_date")] == [320.0, 330.0]
    assert Observation.objects.filter(indicator=world["pv"]).count() == 2


def test_recording_queues_the_recompute_as_the_page_does(
    client_as, world, progress, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("owner").post(
            "/api/v1/observations/", {"indicator": world["pv"].pk, "period": "2024", "value": "400"}
        )
    assert response.status_code == 201
    # Tasks run in-process in tests: the recompute has written the target's new snapshot.
    latest = ProgressSnapshot.objects.filter(target=world["pv_target"]).latest("id")
    assert (latest.latest_period, latest.latest_value) == ("2024", 400.0)


def test_a_measure_update_keeps_every_report(client_as, world):
    client = client_as("owner")
    for status in ("in_progress", "completed"):
        assert (
            client.post("/api/v1/measure-updates/", {"measure": world["pv_measure"].pk, "status": status}).status_code
            == 201
        )
    timeline = client.get("/api/v1/measure-updates/", {"measure": world["pv_measure"].pk}).json()["results"]
    assert [row["status"] for row in timeline] == ["completed", "in_progress"]  # newest first
    measure = client.get(f"/api/v1/measures/{world['pv_measure'].pk}/").json()
    assert measure["latest_update"]["status"] == "completed"


def test_session_writes_need_the_csrf_token(world, users):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(users["ndrc_staff"])
    payload = {"indicator": world["pv"].pk, "period": "2023", "value": "1"}
    assert client.get("/api/v1/targets/").status_code == 200  # reads need no token
    refused = client.post("/api/v1/observations/", payload)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not Observation.objects.exists()
    secret = "k" * 32
    client.cookies["csrftoken"] = secret
    accepted = client.post("/api/v1/observations/", payload, HTTP_X_CSRFTOKEN=secret)
    assert accepted.status_code == 201
    assert Observation.objects.get().entered_by == users["ndrc_staff"]


def test_token_writes_need_no_csrf_token(client_as, world):
    client = client_as("owner")
    client.handler.enforce_csrf_checks = True
    response = client.post("/api/v1/observations/", {"indicator": world["pv"].pk, "period": "2023", "value": "1"})
    assert response.status_code == 201


def test_an_inactive_users_token_is_refused(client_as, world, users):
    client = client_as("owner")
    users["ndrc_staff"].is_active = False
    users["ndrc_staff"].save()
    response = client.post("/api/v1/observations/", {"indicator": world["pv"].pk, "period": "2023", "value": "1"})
    assert response.status_code == 401
    assert not Observation.objects.exists()
