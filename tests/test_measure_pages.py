"""Measure list and detail: filters kept in the URL, bureaus lead first, the update timeline."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from config.change_sources import ChangeSource
from measures.models import Measure, MeasureStatus
from measures.services import measure_update_record
from tests.factories import BureauFactory, MeasureFactory, PlanFactory


def _update(measure, user, code, percent=None, note=""):
    return measure_update_record(
        source=ChangeSource.COMMAND,
        measure=measure,
        status=MeasureStatus.objects.get(code=code),
        user=user,
        percent_complete=percent,
        note=note,
    )


def test_list_shows_every_measure_with_lead_bureau_first(client, world, users):
    client.force_login(users["leader"])
    page = client.get(reverse("dashboard:measures")).content.decode()
    assert "大力发展新能源" in page and "深入打好蓝天保卫战" in page
    assert "共2项任务" in page
    # pm_measure: eco leads, ndrc supports; the lead is printed first with its role.
    row = page.split("深入打好蓝天保卫战")[1].split("</tr>")[0]
    assert row.index("市生态环境局</a>（牵头）") < row.index("市发展改革委")


def test_list_filters_by_bureau_status_deadline_and_text(client, world, users):
    today = timezone.localdate()
    Measure.objects.filter(pk=world["pv_measure"].pk).update(deadline=today - dt.timedelta(days=3))
    Measure.objects.filter(pk=world["pm_measure"].pk).update(deadline=today + dt.timedelta(days=10))
    _update(world["pm_measure"], users["eco_staff"], "in_progress", 40)
    client.force_login(users["leader"])

    def titles(**query):
        page = client.get(reverse("dashboard:measures"), query).content.decode()
        return {t for t in ("大力发展新能源", "深入打好蓝天保卫战") if t in page}

    assert titles(bureau=world["eco"].pk) == {"深入打好蓝天保卫战"}
    assert titles(bureau=world["ndrc"].pk) == {"大力发展新能源", "深入打好蓝天保卫战"}
    assert titles(status="in_progress") == {"深入打好蓝天保卫战"}
    assert titles(status="not_reported") == {"大力发展新能源"}
    assert titles(deadline_state="overdue") == {"大力发展新能源"}
    assert titles(deadline_state="due_soon") == {"深入打好蓝天保卫战"}
    assert titles(q="蓝天") == {"深入打好蓝天保卫战"}
    assert titles(city="testcity", plan="test-plan") == {"大力发展新能源", "深入打好蓝天保卫战"}
    assert titles(city="nowhere") == set()
    # A completed measure is no longer overdue.
    _update(world["pv_measure"], users["ndrc_staff"], "completed")
    assert titles(deadline_state="overdue") == set()


def test_list_keeps_filters_in_links_and_tolerates_junk(client, world, users):
    client.force_login(users["leader"])
    response = client.get(reverse("dashboard:measures"), {"bureau": "abc", "deadline_state": "<script>", "page": "x"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>" not in page and "共2项任务" in page
    filtered = client.get(reverse("dashboard:measures"), {"bureau": world["eco"].pk}).content.decode()
    assert f'<input type="hidden" name="bureau" value="{world["eco"].pk}">' in filtered
    assert 'name="bureau_name" value="测试市 · 市生态环境局"' in filtered
    assert "共1项任务" in filtered


def test_bureau_field_works_as_typed_text_without_javascript(client, world, users):
    client.force_login(users["leader"])

    def listed(**query):
        page = client.get(reverse("dashboard:measures"), query).content.decode()
        return {t for t in ("大力发展新能源", "深入打好蓝天保卫战") if t in page}

    assert listed(bureau_name="生态环境") == {"深入打好蓝天保卫战"}
    assert listed(bureau_name="发展改革") == {"大力发展新能源", "深入打好蓝天保卫战"}
    assert listed(bureau_name="不存在的局") == set()
    # An id picked earlier, with the text then edited to another bureau: the text wins.
    assert listed(bureau=world["ndrc"].pk, bureau_name="生态环境") == {"深入打好蓝天保卫战"}
    # The id with its own label (what the suggestion script submits) filters on that bureau.
    assert listed(bureau=world["eco"].pk, bureau_name="测试市 · 市生态环境局") == {"深入打好蓝天保卫战"}


def test_bureau_suggestions_are_scoped_limited_and_need_login(client, world, users):
    from targets.models import Bureau, City

    url = reverse("dashboard:measure_bureaus")
    assert client.get(url, {"q": "局"}).status_code == 302
    other = City.objects.create(code="other", name="别市")
    Bureau.objects.bulk_create(Bureau(city=other, name=f"市第{i}局") for i in range(30))
    client.force_login(users["leader"])
    assert client.get(url).json() == {"results": []}
    found = client.get(url, {"q": "生态环境"}).json()["results"]
    assert found == [{"id": world["eco"].pk, "label": "测试市 · 市生态环境局"}]
    assert len(client.get(url, {"q": "局"}).json()["results"]) == 20
    scoped = client.get(url, {"q": "局", "city": "testcity"}).json()["results"]
    assert {item["label"] for item in scoped} == {"市生态环境局"}


def test_list_paginates_keeping_the_filters(client, world, users):
    plan, sector = world["plan"], world["pv_measure"].sector
    Measure.objects.bulk_create(
        Measure(plan=plan, section=f"九（{i}）", title=f"补充任务{i}", text="…", sector=sector, position=10 + i)
        for i in range(60)
    )
    client.force_login(users["leader"])
    first = client.get(reverse("dashboard:measures"), {"plan": "test-plan"}).content.decode()
    assert "共62项任务" in first and "第1页，共2页" in first
    assert "?plan=test-plan&amp;page=2" in first
    second = client.get(reverse("dashboard:measures"), {"plan": "test-plan", "page": 2}).content.decode()
    assert "补充任务59" in second and "补充任务0<" not in second


def test_detail_shows_text_bureaus_deadline_and_timeline_newest_first(client, world, users):
    measure = world["pm_measure"]
    Measure.objects.filter(pk=measure.pk).update(deadline=dt.date(2025, 12, 31), deadline_source="2025年底前")
    _update(measure, users["eco_staff"], "in_progress", 30, note="完成3台锅炉改造")
    _update(measure, users["ndrc_staff"], "in_progress", 60, note="完成6台锅炉改造")
    client.force_login(users["leader"])
    page = client.get(reverse("dashboard:measure", args=[measure.pk])).content.decode()
    assert "三（二）1 深入打好蓝天保卫战" in page and "2025年底前" in page
    assert page.index("市生态环境局</a>（牵头）") < page.index("市发展改革委</a>")
    timeline = page.split('class="timeline"')[1]
    assert timeline.index("完成6台锅炉改造") < timeline.index("完成3台锅炉改造")
    assert "ndrc" in timeline and "eco" in timeline and "60%" in timeline
    assert reverse("entry:measure_update_create", args=[measure.pk]) not in page  # leaders do not report


def test_detail_offers_the_update_link_only_to_its_bureaus(client, world, users):
    url = reverse("dashboard:measure", args=[world["pv_measure"].pk])
    entry = reverse("entry:measure_update_create", args=[world["pv_measure"].pk])
    client.force_login(users["ndrc_staff"])
    assert entry in client.get(url).content.decode()
    client.force_login(users["eco_staff"])
    assert entry not in client.get(url).content.decode()


def test_detail_without_updates_has_an_empty_state_and_unknown_is_404(client, world, users):
    client.force_login(users["leader"])
    page = client.get(reverse("dashboard:measure", args=[world["pv_measure"].pk])).content.decode()
    assert "尚无进展记录" in page
    assert client.get(reverse("dashboard:measure", args=[999999])).status_code == 404


def test_measure_pages_need_login(client, world):
    for url in (reverse("dashboard:measures"), reverse("dashboard:measure", args=[world["pv_measure"].pk])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_measure_list_query_count_is_fixed(client, world, users, django_assert_max_num_queries):
    plan, sector = world["plan"], world["pv_measure"].sector
    Measure.objects.bulk_create(
        Measure(plan=plan, section=f"九（{i}）", title=f"补充任务{i}", text="…", sector=sector, position=10 + i)
        for i in range(40)
    )
    client.force_login(users["leader"])
    with django_assert_max_num_queries(15):
        assert client.get(reverse("dashboard:measures")).status_code == 200


def _queries(client, url, query=None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, query or {}).status_code == 200
    return len(captured)


def test_measure_list_queries_and_rows_do_not_grow_with_cities(client, world, users):
    client.force_login(users["leader"])
    url = reverse("dashboard:measures")
    filters = [{}, {"status": "not_reported"}, {"deadline_state": "none"}, {"bureau_name": "局"}]
    before = [_queries(client, url, query) for query in filters]
    sector = world["pv_measure"].sector
    for _ in range(12):
        plan = PlanFactory()
        BureauFactory(city=plan.city, name="市发展改革委")
        MeasureFactory.create_batch(10, plan=plan, sector=sector)
    assert [_queries(client, url, query) for query in filters] == before
    page = client.get(url).content.decode()
    assert "共122项任务" in page and len(re.findall(r'href="/measures/\d+/"', page)) == 50


def test_measure_list_body_is_cached_until_an_update_is_saved(client, world, users):
    client.force_login(users["leader"])
    url = reverse("dashboard:measures")
    first = _queries(client, url)
    assert _queries(client, url) < first  # the rows, counts and pages come from the cache
    assert "推进中 · " not in client.get(url).content.decode()
    _update(world["pm_measure"], users["eco_staff"], "in_progress", 40)
    assert "推进中 · 40%" in client.get(url).content.decode()
    # Another page of filters is another cache entry.
    assert "共1项任务" in client.get(url, {"status": "in_progress"}).content.decode()


def test_the_timeline_says_where_each_update_came_from(client, world, users):
    from django.test.utils import CaptureQueriesContext

    _update(world["pm_measure"], users["eco_staff"], "in_progress", 40)  # by command
    client.force_login(users["eco_staff"])
    form = reverse("entry:measure_update_create", args=[world["pm_measure"].pk])
    status = MeasureStatus.objects.get(code="completed").pk  # one the reference data guarantees
    assert client.post(form, {"status": status, "percent_complete": 100, "note": "土方完工"}).status_code == 302
    client.force_login(users["leader"])
    url = reverse("dashboard:measure", args=[world["pm_measure"].pk])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    timeline = page[page.index('class="timeline"') :]
    # newest first: the form's update, then the command's
    assert timeline.index("填报页面") < timeline.index("土方完工") < timeline.index("管理命令")
    assert sum("historicalmeasureupdate" in q["sql"] for q in queries.captured_queries) == 1
