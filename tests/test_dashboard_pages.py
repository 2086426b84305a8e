"""Dashboard pages through the client: what each shows, for whom, and in how many queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.data_version import progress_changed
from reporting.demo_data import demo_observations_create
from reporting.models import Observation, ProgressSnapshot
from reporting.recompute import progress_recompute
from targets.models import Target

DEMO_LAST_YEAR = 2025  # fixed, so what the tests see does not depend on the day they run


@pytest.fixture
def demo(four_plans):
    demo_observations_create(last_year=DEMO_LAST_YEAR)
    progress_recompute()


def test_overview_shows_each_city_with_statuses(client, demo, users):
    client.force_login(users["leader"])
    page = client.get(reverse("dashboard:home")).content.decode()
    for name in ("淄博", "威海", "菏泽"):
        assert name in page
    assert "status-off_track" in page and "演示数据" in page


def test_city_dashboard_lists_targets_with_status_and_filters(client, demo, users):
    client.force_login(users["leader"])
    url = reverse("dashboard:city", args=["zibo"])
    page = client.get(url).content.decode()
    zibo_targets = Target.objects.filter(plan__city__code="zibo").count()
    assert f"（{zibo_targets}）" in page
    assert '<svg class="spark"' in page and 'id="city-sectors-figure"' in page
    only_2030 = client.get(url, {"target_year": "2030"})
    rows = only_2030.context["rows"]
    assert rows and all(r.target.target_year == 2030 for r in rows)
    off = client.get(url, {"status": "off_track"}).context["rows"]
    assert off and all(r.status == "off_track" for r in off)
    energy = client.get(url, {"sector": "energy", "plan": "zibo-carbon-peaking"}).context["rows"]
    assert energy and all(
        r.target.indicator.sector.code == "energy" and r.target.plan.code == "zibo-carbon-peaking" for r in energy
    )


def test_city_dashboard_query_count_does_not_grow_with_targets(client, demo, users):
    client.force_login(users["leader"])
    url = reverse("dashboard:city", args=["heze"])
    client.get(url)  # the city's plan data, kept on its plan version from here on
    progress_changed()
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    # Double the data: more observations and more snapshots for every target.
    latest = Observation.objects.filter(indicator__city__code="heze", period=str(DEMO_LAST_YEAR))
    assert latest.count() >= 10
    for observation in latest:
        Observation.objects.create(
            indicator=observation.indicator,
            period=f"{DEMO_LAST_YEAR + 1}-03",
            period_end=f"{DEMO_LAST_YEAR + 1}-03-31",
            value=observation.value,
        )
    ProgressSnapshot.objects.all().update(status="achieved")
    progress_recompute()
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before) <= 8


def test_target_page_shows_chart_numbers_clause_and_entries(client, demo, users):
    target = Target.objects.get(plan__code="zibo-carbon-peaking", code="non-fossil-share-2025")
    client.force_login(users["leader"])
    page = client.get(reverse("dashboard:target", args=[target.pk])).content.decode()
    assert 'id="target-figure"' in page and "plotly-basic.min.js" in page
    assert target.source_text in page and "淄政字〔2023〕57号" in page
    assert "填报记录" in page


def test_target_page_without_data_says_so(client, four_plans, users):
    target = Target.objects.filter(plan__city__code="weihai").first()
    client.force_login(users["leader"])
    page = client.get(reverse("dashboard:target", args=[target.pk])).content.decode()
    assert "尚无数据" in page and 'id="target-figure"' not in page


def test_dashboards_need_login(client, four_plans):
    for url in (
        reverse("dashboard:home"),
        reverse("dashboard:city", args=["zibo"]),
        reverse("dashboard:target", args=[Target.objects.first().pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_sector_view_puts_the_same_indicator_of_each_city_on_one_chart(client, demo, users):
    client.force_login(users["leader"])
    response = client.get(reverse("dashboard:sector", args=["energy"]))
    charts = {chart["title"]: chart for chart in response.context["charts"]}
    chart = next(c for title, c in charts.items() if "非化石能源" in title)
    names = [trace["name"] for trace in chart["figure"]["data"]]
    assert "淄博" in names and "菏泽" in names
    stars = {trace["name"]: trace["y"] for trace in chart["figure"]["data"] if trace.get("mode") == "markers"}
    # Zibo 10% and Heze 15% by 2025 (Zibo also 20% by 2030).
    assert 10.0 in stars["淄博 目标"] and 15.0 in stars["菏泽 目标"]
    page = response.content.decode()
    for _city, rows in response.context["columns"]:
        assert rows and all(row.target.indicator.sector.code == "energy" for row in rows)
    assert 'id="sector-' in page


def test_a_city_or_target_that_does_not_exist_is_not_found(client, users):
    client.force_login(users["leader"])
    for _ in range(2):  # the second time too: nothing is kept for a city or target that is not there
        assert client.get(reverse("dashboard:city", args=["nowhere"])).status_code == 404
        assert client.get(reverse("dashboard:target", args=[999999])).status_code == 404
