"""One FilterSet per list, shared by the page and the API: the same names give the same rows;
a value that does not parse is a message naming the filter on the page and a 400 in the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.filters import MeasureFilter
from measures.models import Measure, MeasureStatus, MeasureUpdate
from reporting.filters import TargetFilter
from tests.api.conftest import client_as  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

TITLES = ("大力发展新能源", "深入打好蓝天保卫战")


@pytest.fixture
def dated(world, users):
    today = timezone.localdate()
    Measure.objects.filter(pk=world["pv_measure"].pk).update(deadline=today - dt.timedelta(days=3))
    Measure.objects.filter(pk=world["pm_measure"].pk).update(deadline=today + dt.timedelta(days=10))
    MeasureUpdate.objects.create(
        measure=world["pm_measure"], status=MeasureStatus.objects.get(code="in_progress"), created_by=users["eco_staff"]
    )
    return world


@pytest.mark.parametrize(
    "query",
    [
        {"deadline_state": "overdue"},
        {"deadline_state": "due_soon"},
        {"deadline_state": "none"},
        {"status": "not_reported"},
        {"status": "in_progress"},
        {"q": "蓝天"},
        {"bureau_name": "生态"},
        {"city": "testcity", "sector": "energy"},
    ],
)
def test_page_and_api_list_the_same_measures(client, client_as, dated, users, query):  # noqa: F811
    client.force_login(users["leader"])
    page = client.get(reverse("dashboard:measures"), query).content.decode()
    on_page = {title for title in TITLES if title in page}
    api = client_as("leader").get("/api/v1/measures/", query)
    assert api.status_code == 200
    in_api = {row["title"] for row in api.json()["results"]}
    assert on_page == in_api
    assert in_api == {m.title for m in MeasureFilter(query, queryset=Measure.objects.all()).qs}


def test_a_bad_value_is_a_message_on_the_page_and_a_400_in_the_api(client, client_as, dated, users):  # noqa: F811
    client.force_login(users["leader"])
    query = {"deadline_state": "someday", "bureau": "abc", "city": "testcity"}
    response = client.get(reverse("dashboard:measures"), query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "以下筛选条件无效，已忽略" in page and "时限状态：" in page and "责任单位编号（牵头或配合）：" in page
    assert "共2项任务" in page  # the good filter (city) still applies, the bad ones are ignored
    api = client_as("leader").get("/api/v1/measures/", query)
    assert api.status_code == 400
    assert set(api.json()) >= {"deadline_state", "bureau"}


def test_the_page_shows_the_message_in_english(client, dated, users):
    client.force_login(users["leader"])
    client.cookies["django_language"] = "en"
    page = client.get(reverse("dashboard:measures"), {"deadline_state": "someday"}, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "These filters were not understood and are ignored:" in html and "Deadline state:" in html


def test_target_filter_by_current_status(world):
    from reporting.models import ProgressSnapshot

    ProgressSnapshot.objects.create(target=world["pv_target"], computed_at=timezone.now(), status="on_track")
    on_track = TargetFilter({"status": "on_track"}, queryset=world["pv_target"].__class__.objects.all()).qs
    no_data = TargetFilter({"status": "no_data"}, queryset=world["pv_target"].__class__.objects.all()).qs
    assert list(on_track) == [world["pv_target"]]
    assert world["pv_target"] not in no_data and no_data.exists()


def test_city_page_and_api_share_the_target_filters(client, client_as, world, users):  # noqa: F811
    from reporting.models import ProgressSnapshot

    ProgressSnapshot.objects.create(target=world["pv_target"], computed_at=timezone.now(), status="off_track")
    client.force_login(users["leader"])
    url = reverse("dashboard:city", args=[world["city"].code])
    for query in ({"status": "off_track"}, {"status": "no_data"}, {"sector": "energy"}, {"target_year": "2025"}):
        rows = {row.target.pk for row in client.get(url, query).context["rows"]}
        api = client_as("leader").get("/api/v1/targets/", {**query, "city": world["city"].code})
        assert rows == {row["id"] for row in api.json()["results"]}, query
    bad = client.get(url, {"target_year": "soon", "status": "fine", "sector": "energy"})
    page = bad.content.decode()
    assert "以下筛选条件无效，已忽略" in page and "目标年：" in page and "当前进展状态：" in page
    assert {row.target.indicator.sector.code for row in bad.context["rows"]} == {"energy"}
    assert client_as("leader").get("/api/v1/targets/", {"target_year": "soon"}).status_code == 400


@pytest.mark.parametrize(
    "query",
    [{"city": "zi\x00bo"}, {"bureau": str(2**70)}, {"target": "-1"}, {"can_report": "perhaps"}, {"q": "x" * 5000}],
)
def test_odd_values_never_fail_the_page_or_the_api(client, client_as, world, users, query):  # noqa: F811
    client.force_login(users["leader"])
    assert client.get(reverse("dashboard:measures"), query).status_code == 200
    assert client_as("leader").get("/api/v1/measures/", query).status_code in (200, 400)
