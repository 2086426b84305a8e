"""The reporting cycle in a real browser: staff submits from "what I still owe", the
coordinating office returns it with a note, staff corrects it, the office approves, and the
target's status changes only then. With review off, the entry counts at once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from reporting.models import Observation
from targets.models import CitySetup, IndicatorReporting
from tests.browser.conftest import login


@pytest.fixture
def cycle_world(transactional_db, world, users):
    first = timezone.localdate().year - 2
    setup = CitySetup.objects.create(
        city=world["city"], coordinating_bureau=world["ndrc"], review_required=True, first_year=first
    )
    IndicatorReporting.objects.create(indicator=world["pv"], bureau=world["ndrc"])
    IndicatorReporting.objects.create(indicator=world["pm"], bureau=world["eco"])
    Observation.objects.create(indicator=world["pm"], period="2020", period_end="2020-12-31", value=60)
    reviewer = User.objects.create_user("reviewer", password="pw-for-tests-only", bureau=world["ndrc"])
    reviewer.groups.add(Group.objects.get(name="bureau_staff"))
    return {**world, "setup": setup, "period": str(first)}


def _status(page, target_pk: int) -> str:
    page.goto(f"/targets/{target_pk}/")
    return page.locator("h1 + p .chip").first.get_attribute("class")


def _switch(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


def _enter(page, indicator_pk: int, period: str, value: str) -> None:
    page.goto("/my-bureau/")
    page.click(f"section.owed a[href*='/entry/indicators/{indicator_pk}/observations/?period={period}']")
    assert page.input_value("#id_period") == period
    page.fill("#id_value", value)
    page.click("form.stacked button[type=submit]")


def test_cycle_with_review(page, cycle_world):
    p, target, pm = page.page, cycle_world["pm_target"], cycle_world["pm"]
    period = cycle_world["period"]
    login(p, "eco")
    before = _status(p, target.pk)
    _enter(p, pm.pk, period, "30")
    p.wait_for_url("**/my-bureau/")
    assert "审核通过后计入进展" in p.inner_text("body")
    assert _status(p, target.pk) == before
    assert "待审核" in p.inner_text("section.indicator-reporting")

    _switch(p, "reviewer")
    p.goto("/entry/reviews/")
    p.fill("table.review-table input[name=review_note]", "请按监测站年报口径填报")
    p.click("table.review-table form[action$='/return/'] button")
    assert "已退回" in p.inner_text("body")

    _switch(p, "eco")
    p.goto("/my-bureau/")
    assert "请按监测站年报口径填报" in p.inner_text("section.notices")
    assert "已退回，请修改" in p.inner_text("section.owed")
    _enter(p, pm.pk, period, "32")
    assert "请核对后再保存" in p.inner_text("body")  # the period already holds 30
    p.check("#id_confirm")
    p.click("form.stacked button[type=submit]")
    p.wait_for_url("**/my-bureau/")
    page.shot("cycle-staff-resubmitted")
    assert _status(p, target.pk) == before

    _switch(p, "reviewer")
    p.goto("/entry/reviews/")
    page.shot("cycle-review-queue")
    p.click("table.review-table form[action$='/approve/'] button")
    assert "没有待审核的数据" in p.inner_text("body")
    after = _status(p, target.pk)
    assert after != before
    assert Observation.objects.get(indicator=pm, period=period).status == "approved"
    p.goto(f"/cities/{cycle_world['city'].code}/")
    assert "市生态环境局" in p.inner_text("section.completeness")


def test_cycle_without_review(page, cycle_world):
    cycle_world["setup"].review_required = False
    cycle_world["setup"].save()
    p, target = page.page, cycle_world["pm_target"]
    login(p, "eco")
    before = _status(p, target.pk)
    _enter(p, cycle_world["pm"].pk, cycle_world["period"], "30")
    p.wait_for_url("**/my-bureau/")
    assert _status(p, target.pk) != before
