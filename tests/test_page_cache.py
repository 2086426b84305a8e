"""Cached page bodies: served without queries while the data stands, never after it changed."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from config.change_sources import ChangeSource
from config.data_version import data_version
from measures.models import MeasureStatus
from measures.services import measure_update_record
from reporting.recompute import progress_recompute
from reporting.services import observation_record
from tests.dashboard_world import second_city


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
    observation_record(
        source=ChangeSource.COMMAND, indicator=world["pm"], period="2020", value="40", user=users["eco_staff"]
    )
    observation_record(
        source=ChangeSource.COMMAND, indicator=world["pm"], period="2024", value="21.5", user=users["eco_staff"]
    )
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
        # a decimal point: a page's random CSRF token may hold any run of digits, never a "."
        assert "987.5" not in page and "2024年12月" not in page
    observation_record(
        source=ChangeSource.COMMAND, indicator=world["pv"], period="2021", value="300", user=users["ndrc_staff"]
    )
    observation_record(
        source=ChangeSource.COMMAND, indicator=world["pv"], period="2024", value="987.5", user=users["ndrc_staff"]
    )
    progress_recompute()
    # the overview shows the latest data period, the target and sector pages the value itself
    assert "2024年12月" in client.get(urls[0]).content.decode()
    for url in urls[1:]:
        assert "987.5" in client.get(url).content.decode(), url


def test_measure_update_refreshes_the_overdue_list(client, world, users):
    from measures.models import Measure

    Measure.objects.filter(pk=world["pv_measure"].pk).update(deadline="2021-06-30")
    client.force_login(users["leader"])
    url = reverse("dashboard:city", args=[world["city"].code])
    listed = f'href="{reverse("dashboard:measure", args=[world["pv_measure"].pk])}"'
    assert listed in client.get(url).content.decode()  # listed as overdue
    measure_update_record(
        source=ChangeSource.COMMAND,
        measure=world["pv_measure"],
        status=MeasureStatus.objects.get(code="completed"),
        user=users["ndrc_staff"],
    )
    assert listed not in client.get(url).content.decode()


def test_languages_are_cached_apart(client, world, users):
    client.force_login(users["leader"])
    url = reverse("dashboard:city", args=[world["city"].code])
    assert "状态汇总" in client.get(url).content.decode()
    with translation.override("en"):
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "状态汇总" not in english


def test_a_value_saved_in_one_city_leaves_other_cities_cached_pages_valid(client, world, users):
    from reporting.recompute import progress_recompute_indicator

    other, other_pv = second_city(world)
    progress_recompute()  # every target has its status before the pages are cached
    client.force_login(users["leader"])
    here = reverse("dashboard:city", args=[world["city"].code])
    there = reverse("dashboard:city", args=[other.code])
    here_target = reverse("dashboard:target", args=[world["pv_target"].pk])
    for url in (here, there, here_target, reverse("dashboard:home")):
        client.get(url)
    cached_here, _ = _queries(client, here)
    cached_target, _ = _queries(client, here_target)
    versions = {city: data_version(city=city) for city in (world["city"], other)}
    overall = data_version()

    observation_record(source=ChangeSource.COMMAND, indicator=other_pv, period="2021", value="300", user=users["admin"])
    observation_record(source=ChangeSource.COMMAND, indicator=other_pv, period="2024", value="876", user=users["admin"])
    progress_recompute_indicator(indicator_id=other_pv.pk)

    # Only the city that changed, and the pages across cities, start a new version...
    assert data_version(city=world["city"]) == versions[world["city"]]
    assert data_version(city=world["city"].pk) == versions[world["city"]]
    assert data_version(city=other) != versions[other]
    assert data_version() != overall
    # ...so the other city's page shows the value, and this city's pages are still served from
    # the cache (the same queries as a cached view before the write: no fragment was rebuilt).
    assert "876" in client.get(there).content.decode()
    assert _queries(client, here)[0] == cached_here
    assert _queries(client, here_target)[0] == cached_target
    # A full recompute that changes only the other city's results is scoped the same way.
    observation_record(source=ChangeSource.COMMAND, indicator=other_pv, period="2025", value="950", user=users["admin"])
    assert progress_recompute().written == 1
    assert data_version(city=world["city"]) == versions[world["city"]]


def test_something_every_city_shows_changes_every_citys_version(world):
    from targets.models import Sector

    before = data_version(city=world["city"])
    sector = Sector.objects.get(code="energy")
    sector.name_en = "Energy supply"
    sector.save()
    assert data_version(city=world["city"]) != before


def test_the_overview_reads_the_counts_the_recompute_keeps_for_the_cities_it_touched(
    world, users, django_capture_on_commit_callbacks
):
    from reporting.models import CityStatusCount
    from reporting.recompute import progress_recompute_indicator
    from reporting.status_counts import StatusCountTable

    def status_counts(years):  # every city's counts, as the overview reads them
        table = StatusCountTable.read(years)
        return {city: table.of_city(city) for city in table.cities()}

    from targets.models import Target

    other, other_pv = second_city(world)
    progress_recompute()
    assert status_counts([2025])[other.pk][2025] == {"no_data": 1}
    here = list(CityStatusCount.objects.filter(city=world["city"]).values_list("pk", "status", "targets"))
    observation_record(indicator=other_pv, period="2021", value="300", user=users["admin"], source=ChangeSource.PAGE)
    observation_record(indicator=other_pv, period="2024", value="876", user=users["admin"], source=ChangeSource.PAGE)
    progress_recompute_indicator(indicator_id=other_pv.pk)
    # The other city's counts were written again; this city's rows are the same rows.
    now = status_counts([2025])[other.pk][2025]
    assert set(now) != {"no_data"} and sum(now.values()) == 1
    assert list(CityStatusCount.objects.filter(city=world["city"]).values_list("pk", "status", "targets")) == here
    # A target added by a plan load counts as "no data" at once, before any recompute...
    target = other_pv.targets.get()
    added = Target.objects.create(
        plan=target.plan, code="pv-2030", indicator=other_pv, kind=target.kind, comparator=target.comparator,
        value=target.value, target_year=2025, section="x", source_text="x",
    )  # fmt: skip
    assert status_counts([2025])[other.pk][2025] == {**now, "no_data": now.get("no_data", 0) + 1}
    # ...and a target deleted leaves the counts when the deletion commits.
    with django_capture_on_commit_callbacks(execute=True):
        target.delete()
    assert status_counts([2025])[other.pk][2025] == {"no_data": 1}
    added.delete()


def test_my_bureau_body_is_cached_but_follows_the_data_the_bureau_and_the_notices(client, world, users):
    from accounts.notices import notices_send

    staff = users["eco_staff"]
    client.force_login(staff)
    url = reverse("dashboard:my_bureau")
    first, page = _queries(client, url)
    assert reverse("entry:observation_create", args=[world["pm"].pk]) in page and "21.5" not in page
    second, _ = _queries(client, url)
    assert second < first  # the lists came from the cache
    observation_record(indicator=world["pm"], period="2020", value="40", user=users["admin"], source=ChangeSource.PAGE)
    observation_record(
        indicator=world["pm"], period="2024", value="21.5", user=users["admin"], source=ChangeSource.PAGE
    )
    progress_recompute()
    assert "21.5" in client.get(url).content.decode()
    # notices are the user's own and never cached
    notices_send(users=[staff], message="请核对2024年数据")
    assert "请核对2024年数据" in client.get(url).content.decode()
    # moved to another bureau, the user sees that bureau's list at once
    staff.bureau = world["ndrc"]
    staff.save()
    page = client.get(url).content.decode()
    assert reverse("entry:observation_create", args=[world["pv"].pk]) in page
    assert reverse("entry:observation_create", args=[world["pm"].pk]) not in page


def test_the_data_versions_of_hundreds_of_cities_survive_many_cached_fragments():
    # LocMemCache (the embedded default) culls entries beyond MAX_ENTRIES, 300 unless set: at 300
    # cities that culled the versions themselves and every page was counted again each time.
    from django.core.cache import cache

    cities = range(1, 401)
    before = [data_version(city=city) for city in cities]
    cache.set_many({f"fragment-{n}": "x" * 100 for n in range(1_000)}, 60)
    assert [data_version(city=city) for city in cities] == before
