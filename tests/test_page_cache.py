"""Cached page bodies: served without queries while the data stands, never after it changed."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from config.data_version import data_version
from measures.models import MeasureStatus
from measures.services import measure_update_record
from reporting.progress_service import progress_recompute
from reporting.services import observation_record


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    return len(queries), page


def test_a_second_view_runs_fewer_queries_and_an_observation_shows_at_once(client, world, users):
    client.force_login(users["leader"])
    url = reverse("dashboard:city", args=[world["city"].code])
    first, page = _queries(client, url)
    assert "PM2.5浓度" in page and "21.5" not in page
    second, _ = _queries(client, url)
    assert second < first  # the body came from the cache
    before = data_version()
    observation_record(indicator=world["pm"], period="2020", value="40", user=users["eco_staff"])
    observation_record(indicator=world["pm"], period="2024", value="21.5", user=users["eco_staff"])
    progress_recompute()
    assert data_version() != before
    _, page = _queries(client, url)
    assert "21.5" in page


def test_each_page_type_is_refreshed_by_a_write(client, world, users):
    client.force_login(users["leader"])
    urls = [
        reverse("dashboard:home"),
        reverse("dashboard:target", args=[world["pv_target"].pk]),
        reverse("dashboard:sector", args=["energy"]),
    ]
    for url in urls:
        page = client.get(url).content.decode()
        assert "987" not in page and "2024年12月" not in page
    observation_record(indicator=world["pv"], period="2021", value="300", user=users["ndrc_staff"])
    observation_record(indicator=world["pv"], period="2024", value="987", user=users["ndrc_staff"])
    progress_recompute()
    # the overview shows the latest data period, the target and sector pages the value itself
    assert "2024年12月" in client.get(urls[0]).content.decode()
    for url in urls[1:]:
        assert "987" in client.get(url).content.decode(), url


def test_measure_update_refreshes_the_overdue_list(client, world, users):
    from measures.models import Measure

    Measure.objects.filter(pk=world["pv_measure"].pk).update(deadline="2021-06-30")
    client.force_login(users["leader"])
    url = reverse("dashboard:city", args=[world["city"].code])
    listed = f'href="{reverse("dashboard:measure", args=[world["pv_measure"].pk])}"'
    assert listed in client.get(url).content.decode()  # listed as overdue
    measure_update_record(
        measure=world["pv_measure"], status=MeasureStatus.objects.get(code="completed"), user=users["ndrc_staff"]
    )
    assert listed not in client.get(url).content.decode()


def test_languages_are_cached_apart(client, world, users):
    client.force_login(users["leader"])
    url = reverse("dashboard:city", args=[world["city"].code])
    assert "状态汇总" in client.get(url).content.decode()
    with translation.override("en"):
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "状态汇总" not in english
