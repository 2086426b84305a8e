"""What the read endpoints say: current status and numbers, lead-first responsibilities,
deadline states, history order, filters and pagination."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from measures.models import Measure, MeasureResponsibility, MeasureStatus, MeasureTarget, MeasureUpdate
from reporting.models import Observation
from targets.models import Role, TargetResponsibility

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_a_target_carries_its_latest_snapshot(client_as, world, progress):
    body = client_as("leader").get(f"/api/v1/targets/{world['pv_target'].pk}/").json()
    assert body["status"] == "needs_acceleration"  # the later of the two snapshots
    assert body["progress"] == {
        "computed_at": body["progress"]["computed_at"],
        "status": "needs_acceleration",
        "status_label": "需加快",
        "latest_value": 320.0,
        "latest_period": "2023",
        "baseline_value": 200.0,
        "target_level": 500.0,
        "progress_pct": 40.0,
        "expected_pct": 50.0,
        "gap": 180.0,
        "actual_rate": 0.265,
        "required_rate": 0.2574,
        "rate_basis": "",
        "ratio": 0.8,
        "projected_value": 450.0,
        "warning_level": 2,
        "note": "",
    }
    assert body["value"] == 500.0 and body["comparator"] == "at_least" and body["target_year"] == 2025
    assert body["indicator_code"] == "pv_installed_capacity" and body["unit"] == "万千瓦"
    assert (body["plan"], body["city"], body["sector"]) == ("test-plan", "testcity", "energy")


def test_a_target_without_snapshot_has_no_data(client_as, world, progress):
    body = client_as("leader").get(f"/api/v1/targets/{world['pm_target'].pk}/").json()
    assert body["status"] == "no_data"
    assert body["progress"] is None


def test_responsibilities_list_the_lead_first(client_as, world):
    # Printed second in the plan (position 1) but the lead: it still comes first.
    TargetResponsibility.objects.filter(target=world["pm_target"]).update(position=1)
    TargetResponsibility.objects.create(target=world["pm_target"], bureau=world["ndrc"], role=Role.SUPPORT, position=0)
    MeasureResponsibility.objects.filter(measure=world["pm_measure"], role=Role.LEAD).update(position=2)
    client = client_as("leader")
    target = client.get(f"/api/v1/targets/{world['pm_target'].pk}/").json()
    assert [(r["bureau_name"], r["role"]) for r in target["responsibilities"]] == [
        ("市生态环境局", "lead"),
        ("市发展改革委", "support"),
    ]
    measure = client.get(f"/api/v1/measures/{world['pm_measure'].pk}/").json()
    assert [(r["bureau"], r["role"]) for r in measure["responsibilities"]] == [
        (world["eco"].pk, "lead"),
        (world["ndrc"].pk, "support"),
    ]


def test_target_filters(client_as, world, progress):
    client = client_as("leader")
    pv, pm = world["pv_target"].pk, world["pm_target"].pk
    assert ids(client.get("/api/v1/targets/", {"status": "needs_acceleration"})) == [pv]
    assert ids(client.get("/api/v1/targets/", {"status": "no_data"})) == [pm]
    assert ids(client.get("/api/v1/targets/", {"status": "on_track"})) == []  # only an older snapshot said so
    assert ids(client.get("/api/v1/targets/", {"bureau": world["eco"].pk})) == [pm]
    assert ids(client.get("/api/v1/targets/", {"sector": "energy"})) == [pv]
    assert ids(client.get("/api/v1/targets/", {"indicator": world["pm"].pk})) == [pm]
    assert ids(client.get("/api/v1/targets/", {"indicator_code": "pv_installed_capacity"})) == [pv]
    assert ids(client.get("/api/v1/targets/", {"city": "testcity", "plan": "test-plan"})) == [pv, pm]
    assert ids(client.get("/api/v1/targets/", {"city": "zibo"})) == []
    assert ids(client.get("/api/v1/targets/", {"target_year": 2025})) == [pv, pm]
    assert ids(client.get("/api/v1/targets/", {"target_year": 2030})) == []


def test_measures_show_deadline_state_and_latest_update(client_as, world, progress, users):
    today = timezone.localdate()
    pv_measure, pm_measure = world["pv_measure"], world["pm_measure"]
    Measure.objects.filter(pk=pv_measure.pk).update(deadline=today - dt.timedelta(days=10))
    Measure.objects.filter(pk=pm_measure.pk).update(deadline=today + dt.timedelta(days=30))
    done = Measure.objects.create(
        plan=world["plan"], section="三（三）1", title="已完成的任务", text="…", sector=pm_measure.sector,
        deadline=today - dt.timedelta(days=5), position=3,
    )  # fmt: skip
    MeasureUpdate.objects.create(
        measure=done, status=MeasureStatus.objects.get(code="completed"), percent_complete=100,
        created_by=users["eco_staff"],
    )  # fmt: skip
    MeasureTarget.objects.create(measure=pv_measure, target=world["pv_target"])
    client = client_as("leader")
    rows = {row["id"]: row for row in client.get("/api/v1/measures/").json()["results"]}
    assert rows[pv_measure.pk]["deadline_state"] == "overdue"
    assert rows[pv_measure.pk]["latest_update"] is None
    assert rows[pv_measure.pk]["targets"] == [world["pv_target"].pk]
    assert rows[pm_measure.pk]["deadline_state"] == "due_soon"
    latest = rows[pm_measure.pk]["latest_update"]
    assert (latest["status"], latest["status_name"], latest["is_completed"], latest["percent_complete"]) == (
        "in_progress", "推进中", False, 30,
    )  # fmt: skip
    assert rows[done.pk]["deadline_state"] is None  # past its deadline, but completed
    assert rows[done.pk]["latest_update"]["is_completed"] is True
    assert ids(client.get("/api/v1/measures/", {"deadline_state": "overdue"})) == [pv_measure.pk]
    assert ids(client.get("/api/v1/measures/", {"deadline_state": "due_soon"})) == [pm_measure.pk]
    assert ids(client.get("/api/v1/measures/", {"deadline_state": "none"})) == [done.pk]
    assert ids(client.get("/api/v1/measures/", {"status": "completed"})) == [done.pk]
    assert ids(client.get("/api/v1/measures/", {"target": world["pv_target"].pk})) == [pv_measure.pk]
    assert ids(client.get("/api/v1/measures/", {"bureau": world["ndrc"].pk})) == [pv_measure.pk, pm_measure.pk]


def test_observation_filters_and_fields(client_as, world, progress):
    client = client_as("leader")
    first, second = (o.pk for o in progress["observations"])
    assert ids(client.get("/api/v1/observations/", {"year_from": 2022})) == [second]
    assert ids(client.get("/api/v1/observations/", {"year_to": 2022})) == [first]
    assert ids(client.get("/api/v1/observations/", {"year_from": 2021, "year_to": 2023})) == [first, second]
    assert ids(client.get("/api/v1/observations/", {"period": "2021"})) == [first]
    assert ids(client.get("/api/v1/observations/", {"indicator": world["pm"].pk})) == []
    assert ids(client.get("/api/v1/observations/", {"city": "testcity", "sector": "energy"})) == [first, second]
    row = client.get(f"/api/v1/observations/{second}/").json()
    assert (row["period"], row["period_end"], row["value"], row["entered_by"]) == ("2023", "2023-12-31", 320.0, "ndrc")


def test_progress_history_is_oldest_first_per_target(client_as, world, progress):
    client = client_as("leader")
    old, current = (s.pk for s in progress["snapshots"])
    assert ids(client.get("/api/v1/progress-history/", {"target": world["pv_target"].pk})) == [old, current]
    assert ids(client.get("/api/v1/progress-history/", {"target": world["pm_target"].pk})) == []
    assert ids(client.get("/api/v1/progress-history/", {"status": "on_track"})) == [old]
    yesterday = (timezone.localtime() - dt.timedelta(days=1)).date()
    assert ids(client.get("/api/v1/progress-history/", {"computed_from": yesterday.isoformat()})) == [current]
    assert ids(client.get("/api/v1/progress-history/", {"computed_to": yesterday.isoformat()})) == [old, current]


def test_pages_default_to_50_rows_and_never_exceed_200(client_as, world):
    months = [dt.date(2005 + i // 12, i % 12 + 1, 28) for i in range(205)]
    Observation.objects.bulk_create(
        Observation(indicator=world["pv"], period=f"{d:%Y-%m}", period_end=d, value=i) for i, d in enumerate(months)
    )
    client = client_as("leader")
    first = client.get("/api/v1/observations/").json()
    assert (first["count"], len(first["results"]), first["previous"]) == (205, 50, None)
    assert first["next"].endswith("/api/v1/observations/?page=2")
    assert len(client.get("/api/v1/observations/", {"page_size": 500}).json()["results"]) == 200
    last = client.get("/api/v1/observations/", {"page_size": 100, "page": 3}).json()
    # rows 200-204: month 200 after January 2005 is September 2021
    assert [row["period"] for row in last["results"]] == ["2021-09", "2021-10", "2021-11", "2021-12", "2022-01"]
    assert last["next"] is None
    beyond = client.get("/api/v1/observations/", {"page": 6})
    assert beyond.status_code == 404 and beyond["Content-Type"] == "application/json"


def test_unknown_paths_under_the_api_answer_json_404(client_as, world):
    client = client_as("leader")
    for url in ["/api/v1/targets/1.5/", "/api/v1/targets/abc/", "/api/v1/nothing-here/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json"
        assert set(response.json()) == {"detail"}


def test_a_bad_filter_value_is_a_400_naming_the_filter(client_as, world):
    client = client_as("leader")
    response = client.get("/api/v1/targets/", {"status": "bogus", "target_year": "soon"})
    assert response.status_code == 400
    assert set(response.json()) == {"status", "target_year"}
    assert client.get("/api/v1/observations/", {"year_from": 1900}).json().keys() == {"year_from"}
