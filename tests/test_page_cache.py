"""Cached page bodies: served without queries while the data stands, never after it changed."""

from __future__ import annotations

import pytest
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


def _second_city(world):
    """Another city with its own plan, indicator and target."""
    from targets.models import City, Indicator, Plan, Target

    city = City.objects.create(code="othercity", name="另一市", name_en="Other City")
    plan = Plan.objects.create(
        city=city, code="other-plan", title="另一市碳达峰工作方案", document_number="另政字〔2024〕2号",
        issued="2024-01-01", kind=Plan.Kind.CARBON_PEAKING,
    )  # fmt: skip
    pv = Indicator.objects.create(
        city=city, code="pv_installed_capacity", name="光伏发电装机容量", unit="万千瓦", direction="increase",
        nature="stock", sector=world["pv"].sector,
    )  # fmt: skip
    Target.objects.create(
        plan=plan, code="pv-2025", indicator=pv, kind="level", comparator="at_least", value=500, target_year=2025,
        section="三（一）1", source_text="到2025年，光伏装机达到500万千瓦",
    )  # fmt: skip
    return city, pv


def test_a_value_saved_in_one_city_leaves_other_cities_cached_pages_valid(client, world, users):
    from reporting.recompute import progress_recompute_indicator

    other, other_pv = _second_city(world)
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
    from reporting.status_counts import status_counts
    from targets.models import Target

    other, other_pv = _second_city(world)
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


def test_progress_leaves_the_plan_version_and_a_plan_change_moves_it(world, users):
    from config.data_version import plan_version

    plan_before, data_before = plan_version(city=world["city"]), data_version(city=world["city"])
    observation_record(
        source=ChangeSource.COMMAND, indicator=world["pv"], period="2024", value="987.5", user=users["ndrc_staff"]
    )
    progress_recompute()
    assert data_version(city=world["city"]) != data_before
    assert plan_version(city=world["city"]) == plan_before and plan_version() != ""
    world["pv_target"].source_text = "到2025年，光伏装机容量达到新的水平。"
    world["pv_target"].save()
    assert plan_version(city=world["city"]) != plan_before


def test_the_plan_page_keeps_its_plan_text_and_shows_new_progress(client, world, users):
    client.force_login(users["leader"])
    url = reverse("dashboard:plan", args=[world["plan"].code])
    progress_recompute()
    first, page = _queries(client, url)
    assert "<!--slot:" not in page
    assert 'class="chip status-no_data">暂无数据</span>' in page
    for period, value in (("2021", "300"), ("2024", "987.5")):
        observation_record(
            source=ChangeSource.COMMAND, indicator=world["pv"], period=period, value=value, user=users["ndrc_staff"]
        )
    progress_recompute()
    status = world["pv_target"].snapshots.order_by("-id").first().status
    assert status != "no_data"
    # Only the progress is read again: the plan text (targets, measures, bureaus) comes from its
    # fragment, kept on the plan version, so fewer queries than the first view.
    after, page = _queries(client, url)
    assert after < first - 2, (after, first)
    assert f'class="chip status-{status}">' in page and "<!--slot:" not in page
    # A change to the plan text itself is shown at once.
    world["pv_target"].source_text = "到2025年，光伏装机容量达到新的水平。"
    world["pv_target"].save()
    assert "光伏装机容量达到新的水平" in client.get(url).content.decode()


def test_the_city_page_keeps_its_plan_data_and_reads_only_the_progress_after_a_change(client, world, users):
    from measures.models import Measure

    Measure.objects.filter(pk=world["pv_measure"].pk).update(deadline="2021-06-30")  # overdue: listed
    client.force_login(users["leader"])
    url = reverse("dashboard:city", args=[world["city"].code])
    pv_row = f'href="{reverse("dashboard:target", args=[world["pv_target"].pk])}"'
    progress_recompute()
    page = client.get(url).content.decode()
    assert pv_row in page and "大力发展新能源" in page
    assert pv_row in client.get(url, {"status": "no_data"}).content.decode()
    assert pv_row in client.get(url, {"target_year": "2025"}).content.decode()
    for period, value in (("2021", "300"), ("2024", "987.5")):
        observation_record(
            source=ChangeSource.COMMAND, indicator=world["pv"], period=period, value=value, user=users["ndrc_staff"]
        )
    progress_recompute()
    status = world["pv_target"].snapshots.order_by("-id").first().status
    assert status != "no_data"
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    # The targets, their rows' text, the measures that may be due and who reports what are plan
    # data, kept on the city's plan version: only the progress is read again.
    read = "\n".join(query["sql"] for query in queries.captured_queries)
    tables = (
        '"targets_city"',
        '"targets_target"',
        '"measures_measure"',
        '"targets_indicatorreporting"',
        '"targets_plan"',
    )
    for table in tables:
        assert table not in read, table
    assert "987.5" in page and f'<a class="chip status-{status}" href="?status={status}">' in page
    assert "<!--slot:" not in page and "大力发展新能源" in page  # still overdue: no update says done
    # A filter on the status follows the progress; the others are plan data, kept until it changes.
    assert pv_row not in client.get(url, {"status": "no_data"}).content.decode()
    assert pv_row in client.get(url, {"status": status}).content.decode()
    assert pv_row in client.get(url, {"target_year": "2025"}).content.decode()
    world["pv_target"].target_year = 2030
    world["pv_target"].section = "三（一）9"
    world["pv_target"].save()
    assert pv_row not in client.get(url, {"target_year": "2025"}).content.decode()
    assert "三（一）9" in client.get(url).content.decode()


def test_a_slot_of_an_unknown_kind_is_an_error_not_a_blank():
    import pytest

    from dashboard.progress_slots import PageProgress, slot_marker, slots_fill

    filled = slots_fill(f"<td>{slot_marker('target-status', 7)}</td>", PageProgress())
    assert filled == '<td><span class="chip status-no_data">暂无数据</span></td>'
    with pytest.raises(ValueError, match="target-colour"):
        slots_fill(slot_marker("target-colour", 7), PageProgress())


@pytest.mark.parametrize("page", ["plan", "bureau", "measures", "my-bureau"])
def test_pages_of_plan_text_read_only_the_progress_after_a_measure_update(client, world, users, page):
    from measures.models import MeasureStatus

    client.force_login(users["eco_staff" if page == "my-bureau" else "leader"])
    url = {
        "plan": reverse("dashboard:plan", args=[world["plan"].code]),
        "bureau": reverse("dashboard:bureau", args=[world["eco"].pk]),
        "measures": reverse("dashboard:measures"),
        "my-bureau": reverse("dashboard:my_bureau"),
    }[page]
    shown = '<span class="chip status-measure">推进中</span>' if page == "plan" else "推进中 · 40%"
    first, before = _queries(client, url)
    assert "<!--slot:" not in before and shown not in before
    measure_update_record(
        source=ChangeSource.COMMAND, measure=world["pm_measure"], status=MeasureStatus.objects.get(code="in_progress"),
        user=users["eco_staff"], percent_complete=40,
    )  # fmt: skip
    after, page_html = _queries(client, url)
    assert shown in page_html and "<!--slot:" not in page_html
    assert after < first, (after, first)  # the plan text came from its fragment


def test_plan_data_is_read_again_after_a_plan_change_not_after_progress(world, users):
    from config.data_version import plan_cached

    reads: list[int] = []

    def read() -> int:
        reads.append(1)
        return len(reads)

    assert plan_cached("targets-of-something", read) == 1
    observation_record(
        source=ChangeSource.COMMAND, indicator=world["pv"], period="2024", value="987.5", user=users["ndrc_staff"]
    )
    progress_recompute()
    assert plan_cached("targets-of-something", read) == 1  # kept: only progress changed
    world["pv_target"].section = "三（一）2"
    world["pv_target"].save()
    assert plan_cached("targets-of-something", read) == 2


def test_plan_data_of_one_city_outlives_a_plan_change_in_another(world, users):
    from config.data_version import plan_cached
    from targets.models import Target

    _second_city(world)
    reads: list[int] = []

    def read() -> int:
        reads.append(1)
        return len(reads)

    assert plan_cached("targets-of-a-city", read, city=world["city"]) == 1
    Target.objects.filter(plan__city__code="othercity").get().save()  # a plan change in the other city
    assert plan_cached("targets-of-a-city", read, city=world["city"]) == 1
    world["pv_target"].section = "三（一）2"
    world["pv_target"].save()
    assert plan_cached("targets-of-a-city", read, city=world["city"]) == 2


def test_a_measure_status_named_with_markup_is_shown_as_text(client, world, users):
    from measures.models import MeasureStatus

    status = MeasureStatus.objects.create(code="odd", name="<b>异常</b>", position=99)
    measure_update_record(
        source=ChangeSource.COMMAND, measure=world["pm_measure"], status=status, user=users["eco_staff"]
    )
    client.force_login(users["leader"])
    page = client.get(reverse("dashboard:bureau", args=[world["eco"].pk])).content.decode()
    assert "&lt;b&gt;异常&lt;/b&gt;" in page and "<b>异常</b>" not in page


def test_slots_of_the_same_reading_are_drawn_once_per_page(monkeypatch):
    import dashboard.progress_slots as slots

    drawn: list[str] = []
    monkeypatch.setattr(slots, "status_label", lambda status: drawn.append(status) or status)
    progress = slots.PageProgress(
        slots.TargetProgress({1: ("on_track", 5.0, "2024", "%"), 2: ("on_track", 6.0, "", "%")})
    )
    html = slots.slots_fill("".join(slots.slot_marker("target-status", pk) for pk in (1, 2, 3)), progress)
    assert html.count("status-on_track") == 2 and html.count("status-no_data") == 1
    assert drawn == ["on_track", "no_data"]  # target 2 shares target 1's chip
    html = slots.slots_fill(slots.slot_marker("target-latest", 1) + slots.slot_marker("target-latest", 2), progress)
    assert "5" in html and "6" in html  # values differ: each is drawn


def test_the_target_page_keeps_its_plan_data_and_reads_only_the_progress_after_a_change(client, world, users):
    from targets.models import Target

    client.force_login(users["leader"])
    url = reverse("dashboard:target", args=[world["pv_target"].pk])
    page = client.get(url).content.decode()
    assert "市发展改革委" in page and "987.5" not in page
    for period, value in (("2021", "300"), ("2024", "987.5")):
        observation_record(
            source=ChangeSource.COMMAND, indicator=world["pv"], period=period, value=value, user=users["ndrc_staff"]
        )
    progress_recompute()
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    # The target, who answers for it, its indicator's other targets and who reports the values
    # are plan data, kept on the plan version: only the progress and the entries are read again.
    read = "\n".join(query["sql"] for query in queries.captured_queries)
    for table in ('"targets_target"', '"targets_targetresponsibility"', '"targets_indicatorreporting"'):
        assert table not in read, table
    assert "987.5" in page and "市发展改革委" in page
    # A change to the plans shows at once: the clause, and a new target of the same indicator.
    world["pv_target"].source_text = "到2025年，光伏装机容量达到新的水平。"
    world["pv_target"].save()
    Target.objects.create(
        plan=world["plan"], code="pv-2030", indicator=world["pv"], kind="level", comparator="at_least", value=900,
        target_year=2030, section="三（一）2", source_text="到2030年……",
    )  # fmt: skip
    page = client.get(url).content.decode()
    assert "光伏装机容量达到新的水平" in page and "2030 测政字〔2024〕1号" in page


def test_a_city_row_the_cached_text_lacks_is_built_on_the_spot(world):
    """A request may hold targets read under an earlier plan version than the rows' text it
    finds in the cache: a target that text lacks still gets its row."""
    from unittest import mock

    from dashboard.views import _city_row_texts
    from reporting.progress_selectors import target_rows

    rows = target_rows([world["pv_target"], world["pm_target"]])
    with mock.patch("dashboard.views.plan_cached", return_value={}):
        texts = _city_row_texts(world["city"], rows)
    assert set(texts) == {world["pv_target"].pk, world["pm_target"].pk}
    assert "<!--slot:city-target-cells:" in texts[world["pv_target"].pk]
