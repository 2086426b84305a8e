"""axe-core, served from the app's own static files, finds no serious or critical violation."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.templatetags.static import static

from config.change_sources import ChangeSource
from measures.models import Measure, MeasureStatus
from measures.services import measure_update_record
from targets.models import Target
from tests.browser.conftest import login

SEVERE = {"serious", "critical"}


def _severe_violations(page) -> list[str]:
    page.add_script_tag(url=static("vendor/axe-core/axe.min.js"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in SEVERE
    ]


@pytest.fixture
def plans_with_data(transactional_db, reference_data, users):
    from tests.conftest import _load_four_plans

    _load_four_plans()
    call_command("load_demo_data", stdout=StringIO())
    measure = Measure.objects.filter(plan__code="heze-carbon-peaking").first()
    measure_update_record(
        source=ChangeSource.COMMAND,
        measure=measure,
        status=MeasureStatus.objects.get(code="in_progress"),
        user=users["admin"],
        note="已启动",
    )
    return measure


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_main_pages_have_no_serious_accessibility_violations(page, plans_with_data, users, language):
    target = Target.objects.get(plan__code="heze-carbon-peaking", code="non-fossil-share-2025")
    measure = plans_with_data
    bureau = measure.responsibilities.first().bureau
    page.page.goto("/accounts/login/")
    if language == "en":
        page.page.click("button[name=language]")
        page.page.wait_for_load_state()
    assert _severe_violations(page.page) == [], "login"
    login(page.page, "admin")
    urls = [
        "/",
        "/cities/heze/",
        "/sectors/energy/",
        f"/targets/{target.pk}/",
        "/plans/heze-carbon-peaking/",
        f"/bureaus/{bureau.pk}/",
        "/measures/",
        f"/measures/{measure.pk}/",
        "/my-bureau/",
        f"/entry/indicators/{target.indicator_id}/observations/",
        f"/entry/measures/{measure.pk}/updates/",
        "/entry/observations/upload/",
    ]
    found = {}
    for url in urls:
        response = page.page.goto(url)
        assert response.status == 200, url
        if "/targets/" in url or "/sectors/" in url:
            page.page.wait_for_selector(".chart .main-svg")
        problems = _severe_violations(page.page)
        if problems:
            found[url] = problems
    page.shot(f"axe-{language}-last-page")
    assert found == {}


def test_keyboard_reaches_the_content_and_the_filters(page, world, users):
    login(page.page, "leader")
    page.page.goto("/measures/")
    page.page.keyboard.press("Tab")
    assert page.page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    page.page.keyboard.press("Enter")
    assert page.page.evaluate("document.activeElement.id") == "main"
    # From the content, Tab passes the export links and reaches the first filter, which is labelled.
    for _ in range(10):
        page.page.keyboard.press("Tab")
        if page.page.evaluate("document.activeElement.tagName") == "SELECT":
            break
    focused = page.page.evaluate("document.activeElement.closest('label')?.innerText || ''")
    assert "城市" in focused
    page.page.keyboard.press("ArrowDown")  # choose the test city without a mouse
    for _ in range(12):  # then tab along the filters to the submit button
        page.page.keyboard.press("Tab")
        if page.page.evaluate("document.activeElement.type") == "submit":
            break
    page.page.keyboard.press("Enter")
    page.page.wait_for_url("**city=testcity**")
    assert "共2项任务" in page.page.inner_text("main")
