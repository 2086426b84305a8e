"""A list endpoint costs the same number of queries for 2 rows as for 12: no query per row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from measures.models import Measure, MeasureResponsibility, MeasureStatus, MeasureTarget, MeasureUpdate
from reporting.models import Observation, ProgressSnapshot
from targets.models import Bureau, Indicator, Plan, Role, Target, TargetResponsibility

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/cities/",
    "/api/v1/sectors/",
    "/api/v1/plans/",
    "/api/v1/bureaus/",
    "/api/v1/indicators/",
    "/api/v1/targets/",
    "/api/v1/targets/?status=on_track",
    "/api/v1/progress-history/",
    "/api/v1/measures/",
    "/api/v1/measures/?deadline_state=overdue",
    "/api/v1/measure-updates/",
    "/api/v1/observations/",
]


def add_rows(world, user, numbers: range) -> None:
    """One more of everything per number, each with the related rows a page shows."""
    city, sector = world["city"], world["pv"].sector
    status = MeasureStatus.objects.get(code="in_progress")
    for i in numbers:
        plan = Plan.objects.create(
            city=city, code=f"plan-{i}", title=f"方案{i}", document_number=f"文号{i}", issued="2024-01-01",
            kind=Plan.Kind.SYNERGY,
        )  # fmt: skip
        lead = Bureau.objects.create(city=city, name=f"牵头单位{i}")
        support = Bureau.objects.create(city=city, name=f"配合单位{i}")
        indicator = Indicator.objects.create(
            city=city, code=f"indicator_{i}", name=f"指标{i}", direction="increase", sector=sector
        )
        target = Target.objects.create(
            plan=plan, code=f"t-{i}", indicator=indicator, kind="level", comparator="at_least", value=10,
            target_year=2030, section="一", source_text="…",
        )  # fmt: skip
        TargetResponsibility.objects.create(target=target, bureau=lead, role=Role.LEAD)
        TargetResponsibility.objects.create(target=target, bureau=support, role=Role.SUPPORT, position=1)
        ProgressSnapshot.objects.create(target=target, computed_at=timezone.now(), status="on_track")
        measure = Measure.objects.create(
            plan=plan, section="一", title=f"任务{i}", text="…", sector=sector,
            deadline=timezone.localdate() - dt.timedelta(days=1),
        )  # fmt: skip
        MeasureResponsibility.objects.create(measure=measure, bureau=lead, role=Role.LEAD)
        MeasureResponsibility.objects.create(measure=measure, bureau=support, role=Role.SUPPORT, position=1)
        MeasureTarget.objects.create(measure=measure, target=target)
        MeasureUpdate.objects.create(measure=measure, status=status, percent_complete=10, created_by=user)
        Observation.objects.create(
            indicator=indicator, period="2023", period_end=dt.date(2023, 12, 31), value=i, entered_by=user
        )


def queries_per_list(client) -> dict[str, int]:
    # From a cold cache each time: the user's roles kept by the first round would spare the
    # second its reads.
    cache.clear()
    counts = {}
    for url in LISTS:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        counts[url] = len(captured)
    return counts


def test_list_endpoints_do_not_query_per_row(client_as, world, users):
    client = client_as("owner")
    add_rows(world, users["admin"], range(1))
    few = queries_per_list(client)
    add_rows(world, users["admin"], range(1, 11))
    many = queries_per_list(client)
    assert client.get("/api/v1/targets/").json()["count"] == 2 + 11
    assert client.get("/api/v1/measures/", {"deadline_state": "overdue"}).json()["count"] == 11
    assert many == few, {url: (few[url], many[url]) for url in LISTS if few[url] != many[url]}
