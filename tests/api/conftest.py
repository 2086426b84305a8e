"""API fixtures: a client per role authenticated with a real token, and progress data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from measures.models import MeasureStatus, MeasureUpdate
from reporting.models import Observation, ProgressSnapshot

# The roles of the issue, as seen from the PV indicator/target/measure, which the NDRC owns.
ROLES = ["anonymous", "leader", "owner", "other_bureau", "admin"]
USER_OF_ROLE = {"leader": "leader", "owner": "ndrc_staff", "other_bureau": "eco_staff", "admin": "admin"}


@pytest.fixture
def client_as(users) -> Callable[[str], APIClient]:
    """An API client for a role, sending `Authorization: Token ...` like an API user would."""

    def make(role: str) -> APIClient:
        client = APIClient()
        if role != "anonymous":
            token, _ = Token.objects.get_or_create(user=users[USER_OF_ROLE[role]])
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def progress(world, users):
    """Two PV observations by the NDRC and two PV snapshots (the later one is current); the
    PM2.5 target has no snapshot; the PM2.5 measure has one update."""
    pv, pv_target = world["pv"], world["pv_target"]
    first = Observation.objects.create(
        indicator=pv, period="2021", period_end=dt.date(2021, 12, 31), value=200, entered_by=users["ndrc_staff"]
    )
    second = Observation.objects.create(
        indicator=pv, period="2023", period_end=dt.date(2023, 12, 31), value=320, entered_by=users["ndrc_staff"]
    )
    now = timezone.now()
    old = ProgressSnapshot.objects.create(
        target=pv_target, computed_at=now - dt.timedelta(days=2), status="on_track", latest_value=200,
        latest_period="2021", target_level=500, progress_pct=0.0, expected_pct=0.0,
    )  # fmt: skip
    current = ProgressSnapshot.objects.create(
        target=pv_target, computed_at=now - dt.timedelta(days=1), status="needs_acceleration", latest_value=320,
        latest_period="2023", baseline_value=200, target_level=500, progress_pct=40.0, expected_pct=50.0, gap=180.0,
        actual_rate=0.265, required_rate=0.2574, ratio=0.8, projected_value=450.0, warning_level=2,
    )  # fmt: skip
    update = MeasureUpdate.objects.create(
        measure=world["pm_measure"], status=MeasureStatus.objects.get(code="in_progress"), percent_complete=30,
        note="进行中", created_by=users["eco_staff"],
    )  # fmt: skip
    return {"observations": [first, second], "snapshots": [old, current], "update": update}
