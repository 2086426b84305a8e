"""The reporting cycle through the API, with the pages' permissions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from reporting.models import Observation
from targets.models import CitySetup, IndicatorReporting


@pytest.fixture
def api(world, users):
    first = timezone.localdate().year - 2
    CitySetup.objects.create(
        city=world["city"], coordinating_bureau=world["ndrc"], review_required=True, first_year=first
    )
    IndicatorReporting.objects.create(indicator=world["pv"], bureau=world["ndrc"])
    IndicatorReporting.objects.create(indicator=world["pm"], bureau=world["eco"])
    reviewer = User.objects.create_user("reviewer", password="pw-for-tests-only", bureau=world["ndrc"])
    reviewer.groups.add(Group.objects.get(name="bureau_staff"))
    return {**world, **users, "reviewer": reviewer, "first": first}


def _as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_due_periods_of_my_bureau(api):
    body = _as(api["eco_staff"]).get("/api/v1/reporting/due/").json()
    assert [(i["indicator_code"], i["period"], i["state"]) for i in body] == [
        ("pm25_concentration", str(api["first"]), "missing"),
        ("pm25_concentration", str(api["first"] + 1), "missing"),
    ]
    late = _as(api["leader"]).get("/api/v1/reporting/due/", {"bureau": api["ndrc"].pk, "state": "missing"}).json()
    assert {i["indicator_code"] for i in late} == {"pv_installed_capacity"}
    assert APIClient().get("/api/v1/reporting/due/").status_code in (401, 403)


def test_submit_return_correct_approve(api):
    staff, reviewer = _as(api["eco_staff"]), _as(api["reviewer"])
    period = str(api["first"] + 1)
    created = staff.post("/api/v1/observations/", {"indicator": api["pm"].pk, "period": period, "value": 33})
    assert created.status_code == 201 and created.json()["status"] == "submitted"
    pk = created.json()["id"]
    assert staff.post(f"/api/v1/observations/{pk}/approve/").status_code == 403  # not a reviewer
    assert reviewer.post(f"/api/v1/observations/{pk}/return/", {}).status_code == 400  # a note is required
    returned = reviewer.post(f"/api/v1/observations/{pk}/return/", {"review_note": "口径不符"})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert returned.json()["review_note"] == "口径不符"
    corrected = staff.post("/api/v1/observations/", {"indicator": api["pm"].pk, "period": period, "value": 34})
    assert corrected.json()["status"] == "submitted"
    approved = reviewer.post(f"/api/v1/observations/{pk}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    again = reviewer.post(f"/api/v1/observations/{pk}/approve/")
    assert again.status_code == 400  # no longer pending
    assert Observation.objects.get(pk=pk).reviewed_by == api["reviewer"]


def test_own_entry_and_batch(api):
    ndrc = _as(api["ndrc_staff"])
    pk = ndrc.post(
        "/api/v1/observations/", {"indicator": api["pv"].pk, "period": str(api["first"]), "value": 450}
    ).json()["id"]
    assert ndrc.post(f"/api/v1/observations/{pk}/approve/").status_code == 403  # own entry
    Observation.objects.filter(pk=pk).update(batch="abc123")
    assert ndrc.post("/api/v1/observations/approve-batch/", {"batch": "abc123"}).status_code == 403
    done = _as(api["reviewer"]).post("/api/v1/observations/approve-batch/", {"batch": "abc123"})
    assert done.json() == {"approved": 1}
