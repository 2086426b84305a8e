"""My bureau and bureau pages: staff see entry links only for what they own; uploads preview first."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.change_sources import ChangeSource
from reporting.models import Observation
from reporting.review import observation_approve
from reporting.services import observation_record


def test_my_bureau_lists_only_what_the_bureau_owns(client, world, users):
    client.force_login(users["eco_staff"])
    page = client.get(reverse("dashboard:my_bureau")).content.decode()
    assert reverse("entry:observation_create", args=[world["pm"].pk]) in page
    assert reverse("entry:observation_create", args=[world["pv"].pk]) not in page
    assert reverse("entry:measure_update_create", args=[world["pm_measure"].pk]) in page
    assert reverse("entry:measure_update_create", args=[world["pv_measure"].pk]) not in page


def test_leader_has_nothing_to_report(client, world, users):
    client.force_login(users["leader"])
    page = client.get(reverse("dashboard:my_bureau")).content.decode()
    assert "没有可填报的指标" in page and "/entry/" not in page.split("批量上传")[1]


def test_bureau_page_shows_its_targets_and_measures(client, world, users):
    client.force_login(users["leader"])
    page = client.get(reverse("dashboard:bureau", args=[world["eco"].pk])).content.decode()
    assert "PM2.5浓度" in page and "深入打好蓝天保卫战" in page and "光伏发电装机容量" not in page


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("data.csv", text.encode("utf-8"), content_type="text/csv")


def test_upload_previews_problems_then_confirms(client, world, users):
    client.force_login(users["eco_staff"])
    url = reverse("entry:observation_upload")
    bad = (
        "city,indicator_code,period,value,note\n"
        "测试市,pm25_concentration,2022,abc,\n"
        "测试市,pv_installed_capacity,2022,1,\n"
    )
    page = client.post(url, {"file": _upload(bad)}).content.decode()
    assert "第2行" in page and "不是数字" in page and "第3行" in page and "无权" in page
    assert 'value="confirm"' not in page
    good = "city,indicator_code,period,value,note\n测试市,pm25_concentration,2022,38.2,快报\n"
    response = client.post(url, {"file": _upload(good)})
    assert not Observation.objects.exists(), "a preview stores nothing"
    response = client.post(url, {"action": "confirm", "digest": response.context["digest"]})
    assert response.status_code == 302
    saved = Observation.objects.get()
    assert saved.value == Decimal("38.2") and saved.entered_by == users["eco_staff"]


def test_upload_of_a_non_spreadsheet_is_refused_clearly(client, world, users):
    client.force_login(users["eco_staff"])
    response = client.post(
        reverse("entry:observation_upload"),
        {"file": SimpleUploadedFile("photo.png", b"\x89PNG\r\n", content_type="image/png")},
    )
    assert response.status_code == 400 and "不是CSV或Excel" in response.content.decode()


def _tables_read(client, url: str) -> tuple[str, list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    return page, [query["sql"] for query in queries.captured_queries]


def test_my_bureau_reads_no_notice_while_none_is_new_and_shows_each_new_one_once(client, world, users):
    from accounts.models import Notice
    from accounts.notices import notices_send

    staff, url = users["eco_staff"], reverse("dashboard:my_bureau")
    client.force_login(staff)
    client.get(url)
    _, sql = _tables_read(client, url)
    assert not [query for query in sql if "accounts_notice" in query]  # known: none unread
    Notice.objects.create(user=staff, message="请补报2023年数据")  # written past notices_send
    assert "请补报2023年数据" in client.get(url).content.decode()
    assert "请补报2023年数据" not in client.get(url).content.decode()  # read: shown once
    notices_send(users=[users["ndrc_staff"]], message="发改委的通知")
    notices_send(users=[staff], message="生态环境局的通知")
    page = client.get(url).content.decode()
    assert "生态环境局的通知" in page and "发改委的通知" not in page  # each user's own only


def test_my_bureau_counts_the_values_waiting_for_this_user_and_follows_each_one(client, world, users):
    from targets.models import CitySetup

    CitySetup.objects.create(city=world["city"], coordinating_bureau=world["ndrc"], review_required=True)
    reviewer, url = users["ndrc_staff"], reverse("dashboard:my_bureau")
    client.force_login(reviewer)
    assert "待您审核" not in client.get(url).content.decode()
    entry = {"indicator": world["pm"], "period": "2023", "value": "30", "source": ChangeSource.PAGE}
    submitted = observation_record(**entry, user=users["eco_staff"]).observation
    assert submitted.status == Observation.Status.SUBMITTED
    assert "1条数据待您审核" in client.get(url).content.decode()  # at once
    page, sql = _tables_read(client, url)
    assert "1条数据待您审核" in page and not [query for query in sql if "COUNT(" in query]  # kept
    client.force_login(users["eco_staff"])  # who entered it reviews nothing: never another's count
    assert "待您审核" not in client.get(url).content.decode()
    client.force_login(reviewer)
    observation_approve(observation=submitted, user=reviewer)
    assert "待您审核" not in client.get(url).content.decode()


@pytest.mark.parametrize("page", ["bureau", "my-bureau"])
def test_after_progress_a_bureau_page_reads_the_progress_alone_by_id(client, world, users, page):
    from measures.models import MeasureStatus
    from measures.services import measure_update_record
    from reporting.recompute import progress_recompute

    client.force_login(users["eco_staff" if page == "my-bureau" else "leader"])
    url = reverse("dashboard:my_bureau") if page == "my-bureau" else reverse("dashboard:bureau", args=[world["eco"].pk])
    client.get(url)
    observation_record(
        indicator=world["pm"], period="2024", value="21.5", user=users["admin"], source=ChangeSource.PAGE
    )  # fmt: skip
    progress_recompute()
    in_progress = MeasureStatus.objects.get(code="in_progress")
    measure_update_record(
        measure=world["pm_measure"], status=in_progress, user=users["eco_staff"], source=ChangeSource.COMMAND,
        percent_complete=40,
    )  # fmt: skip
    html, sql = _tables_read(client, url)
    assert "21.5" in html and "推进中 · 40%" in html and "<!--slot:" not in html
    plan_tables = ("targets_target", "targets_indicator", "targets_bureau", "measures_measure", "targets_city")
    assert [query for query in sql if any(f'FROM "{table}"' in query for table in plan_tables)] == []


def test_a_bureau_that_is_not_there_is_not_found(client, world, users):
    client.force_login(users["leader"])
    assert client.get(reverse("dashboard:bureau", args=[world["eco"].pk + 1000])).status_code == 404


def test_measure_progress_by_deadlines_is_the_same_as_from_the_measures(world, users):
    import datetime as dt

    from django.utils import timezone

    from dashboard.progress_slots import MeasureProgress
    from measures.models import Measure, MeasureStatus, MeasureUpdate

    when = timezone.now()
    statuses = {status.code: status for status in MeasureStatus.objects.all()}
    pm, pv = world["pm_measure"], world["pv_measure"]
    Measure.objects.filter(pk=pv.pk).update(deadline=dt.date(2020, 1, 1))  # overdue: no update completes it
    for status, percent in (("in_progress", 40), ("completed", 100)):  # at once: the last saved is the latest
        MeasureUpdate.objects.create(
            measure=pm, status=statuses[status], percent_complete=percent, created_by=users["eco_staff"]
        )
    MeasureUpdate.objects.filter(measure=pm).update(created_at=when)
    measures = Measure.objects.filter(pk__in=[pm.pk, pv.pk])
    expected = MeasureProgress.of(measures)
    by_id = MeasureProgress.of_deadlines(dict(measures.values_list("pk", "deadline")))
    assert by_id == expected
    assert by_id.reports[pm.pk].latest_status == "completed" and by_id.reports[pv.pk].deadline_state == "overdue"


def test_a_bureau_that_reports_and_reviews_nothing_reads_no_values_and_sees_them_once_it_does(client, world, users):
    from targets.models import CitySetup, IndicatorReporting

    setup = CitySetup.objects.create(city=world["city"], coordinating_bureau=world["eco"], review_required=True)
    entry = {"indicator": world["pm"], "period": "2023", "value": "30", "source": ChangeSource.PAGE}
    assert observation_record(**entry, user=users["eco_staff"]).observation.status == Observation.Status.SUBMITTED
    client.force_login(users["ndrc_staff"])
    url = reverse("dashboard:my_bureau")
    page, sql = _tables_read(client, url)
    assert "待您审核" not in page and "已提交、待审核" not in page
    values_read = [query for query in sql if 'FROM "reporting_observation"' in query and "is_demo" not in query]
    assert values_read == []  # the bureau neither reviews nor reports: no value is counted or listed
    setup.coordinating_bureau = world["ndrc"]  # now it reviews the city's values: at once
    setup.save()
    assert "1条数据待您审核" in client.get(url).content.decode()
    IndicatorReporting.objects.create(indicator=world["pm"], bureau=world["ndrc"])  # and reports PM2.5
    page = client.get(url).content.decode()
    assert "已提交、待审核" in page and "30" in page.split("已提交、待审核")[1]
