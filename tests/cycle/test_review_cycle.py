"""The review cycle through the Django test client: staff submits, the coordinating office
returns with a note, staff corrects, the office approves, and the status changes only then."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Notice, User
from reporting.models import Observation, ProgressSnapshot
from reporting.recompute import progress_recompute
from reporting.reminders import reporting_reminders_send
from targets.models import Bureau, City, CitySetup, IndicatorReporting


def _status(target) -> str:
    snapshot = ProgressSnapshot.objects.filter(target=target).order_by("-id").first()
    return snapshot.status if snapshot else "no_data"


@pytest.fixture
def cycle(world, users, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    setup = CitySetup.objects.create(city=world["city"], coordinating_bureau=world["ndrc"], review_required=True)
    IndicatorReporting.objects.create(indicator=world["pv"], bureau=world["ndrc"])
    IndicatorReporting.objects.create(indicator=world["pm"], bureau=world["eco"])
    reviewer = User.objects.create_user("reviewer", password="pw-for-tests-only", bureau=world["ndrc"])
    reviewer.groups.add(Group.objects.get(name="bureau_staff"))
    # A reference value so that the engine can judge the trend: PM2.5 at 40 in 2021, approved.
    Observation.objects.create(indicator=world["pm"], period="2021", period_end="2021-12-31", value=40)
    progress_recompute()
    return {**world, **users, "setup": setup, "reviewer": reviewer}


def _submit(client, user, indicator, value, period="2023"):
    client.force_login(user)
    return client.post(
        reverse("entry:observation_create", args=[indicator.pk]), {"period": period, "value": value, "confirm": "1"}
    )


def test_whole_cycle_with_review_on(client, cycle):
    target, pm = cycle["pm_target"], cycle["pm"]
    before = _status(target)
    response = _submit(client, cycle["eco_staff"], pm, "30")  # already below 35: would be achieved-like
    assert response.status_code == 302
    observation = Observation.objects.get(indicator=pm, period="2023")
    assert observation.status == "submitted"
    progress_recompute()
    assert _status(target) == before, "a pending value must not count"
    page = client.get(reverse("dashboard:target", args=[target.pk]))
    assert "待审核" in page.content.decode() and "pm25_concentration" in page.content.decode()

    client.force_login(cycle["reviewer"])
    queue = client.get(reverse("entry:review_queue"))
    assert observation.indicator.name in queue.content.decode()
    empty = client.post(reverse("entry:review_return", args=[observation.pk]), {"review_note": " "})
    assert empty.status_code == 302
    assert Observation.objects.get(pk=observation.pk).status == "submitted"  # a return needs a note
    client.post(reverse("entry:review_return", args=[observation.pk]), {"review_note": "请核对监测站口径"})
    observation.refresh_from_db()
    assert (observation.status, observation.review_note, observation.reviewed_by) == (
        "returned",
        "请核对监测站口径",
        cycle["reviewer"],
    )
    assert Notice.objects.filter(user=cycle["eco_staff"], message__contains="请核对监测站口径").exists()

    client.force_login(cycle["eco_staff"])
    owed = client.get(reverse("dashboard:my_bureau")).content.decode()
    assert "已退回，请修改" in owed and "请核对监测站口径" in owed  # the notice shows there
    _submit(client, cycle["eco_staff"], pm, "33")
    observation.refresh_from_db()
    assert (observation.status, observation.value) == ("submitted", 33)
    progress_recompute()
    assert _status(target) == before

    client.force_login(cycle["reviewer"])
    client.post(reverse("entry:review_approve", args=[observation.pk]))
    observation.refresh_from_db()
    assert observation.status == "approved"
    progress_recompute()
    assert _status(target) != before
    history = list(observation.history.order_by("history_date").values_list("status", "history_user__username"))
    assert history == [("submitted", "eco"), ("returned", "reviewer"), ("submitted", "eco"), ("approved", "reviewer")]
    assert Notice.objects.filter(user=cycle["eco_staff"], message__contains="审核通过").exists()


def test_review_off_counts_at_once(client, cycle):
    cycle["setup"].review_required = False
    cycle["setup"].save()
    before = _status(cycle["pm_target"])
    _submit(client, cycle["eco_staff"], cycle["pm"], "30")
    assert Observation.objects.get(indicator=cycle["pm"], period="2023").status == "approved"
    progress_recompute()
    assert _status(cycle["pm_target"]) != before


def test_staff_cannot_approve_their_own_entry_nor_another_citys(client, cycle):
    _submit(client, cycle["ndrc_staff"], cycle["pv"], "450")
    own = Observation.objects.get(indicator=cycle["pv"], period="2023")
    assert own.status == "submitted"
    client.force_login(cycle["ndrc_staff"])  # a coordinating-office user, but the entry is their own
    assert client.post(reverse("entry:review_approve", args=[own.pk])).status_code == 403
    client.force_login(cycle["eco_staff"])  # not the coordinating office
    assert client.post(reverse("entry:review_approve", args=[own.pk])).status_code == 403
    other_city = City.objects.create(code="othercity", name="他市")
    other_ndrc = Bureau.objects.create(city=other_city, name="市发展改革委")
    CitySetup.objects.create(city=other_city, coordinating_bureau=other_ndrc, review_required=True)
    outsider = User.objects.create_user("outsider", password="pw-for-tests-only", bureau=other_ndrc)
    outsider.groups.add(Group.objects.get(name="bureau_staff"))
    client.force_login(outsider)
    assert client.post(reverse("entry:review_approve", args=[own.pk])).status_code == 403
    assert "没有待审核的数据" in client.get(reverse("entry:review_queue")).content.decode()
    own.refresh_from_db()
    assert own.status == "submitted"
    client.force_login(cycle["admin"])
    assert client.post(reverse("entry:review_approve", args=[own.pk])).status_code == 302
    own.refresh_from_db()
    assert own.status == "approved" and own.reviewed_by == cycle["admin"]


def test_bulk_approval_of_an_import(client, cycle):
    client.force_login(cycle["eco_staff"])
    csv = (
        "city,indicator_code,period,value,note\n"
        "testcity,pm25_concentration,2022,38,\ntestcity,pm25_concentration,2023,36,\n"
    )
    upload = SimpleUploadedFile("pm.csv", csv.encode(), content_type="text/csv")
    preview = client.post(reverse("entry:observation_upload"), {"file": upload})
    digest = preview.context["digest"]
    client.post(reverse("entry:observation_upload"), {"action": "confirm", "digest": digest})
    rows = Observation.objects.filter(indicator=cycle["pm"], period__in=["2022", "2023"])
    assert {o.status for o in rows} == {"submitted"} and len({o.batch for o in rows}) == 1
    batch = rows[0].batch
    client.force_login(cycle["reviewer"])
    assert client.post(reverse("entry:review_batch", args=[batch])).status_code == 302
    assert set(rows.values_list("status", flat=True)) == {"approved"}
    client.force_login(cycle["eco_staff"])
    assert client.post(reverse("entry:review_batch", args=[batch])).status_code == 403


def test_late_data_reminders_once_per_stage(cycle, mailoutbox):
    cycle["eco_staff"].email = "eco@example.org"
    cycle["eco_staff"].save()
    cycle["setup"].first_year = 2024
    cycle["setup"].save()
    # 2024 is due on 2025-03-31: nothing before 24 March, the 7-day stage then, overdue after.
    assert reporting_reminders_send(dt.date(2025, 3, 20)) == 0
    assert reporting_reminders_send(dt.date(2025, 3, 25)) == 2  # pv and pm, one message per bureau
    assert reporting_reminders_send(dt.date(2025, 3, 26)) == 0, "once per stage"
    assert reporting_reminders_send(dt.date(2025, 4, 2)) == 2
    assert reporting_reminders_send(dt.date(2025, 4, 3)) == 0
    to_eco = [m for m in mailoutbox if m.to == ["eco@example.org"]]
    assert len(to_eco) == 2 and "pm25_concentration" in to_eco[0].body
    assert Notice.objects.filter(user=cycle["eco_staff"], message__contains="逾期").count() == 1


def test_my_bureau_says_when_a_bureau_reports_nothing(client, cycle):
    IndicatorReporting.objects.filter(bureau=cycle["eco"]).delete()
    client.force_login(cycle["eco_staff"])
    assert "本单位不是任何指标的数据报送单位" in client.get(reverse("dashboard:my_bureau")).content.decode()
    client.force_login(cycle["ndrc_staff"])
    page = client.get(reverse("dashboard:my_bureau")).content.decode()
    assert "本单位不是任何指标的数据报送单位" not in page and "pv_installed_capacity" in page
