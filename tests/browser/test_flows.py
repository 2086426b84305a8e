"""Key flows in a real browser."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from targets.models import Target
from tests.browser.conftest import login


def test_bureau_user_records_an_observation_and_sees_chart_and_status(transactional_db, page, world, users):
    login(page.page, "ndrc")
    page.page.goto("/my-bureau/")
    page.page.click(f"a[href^='/entry/indicators/{world['pv'].pk}/observations/']")
    page.page.fill("#id_period", "2020")
    page.page.fill("#id_value", "300")
    page.page.click("form.stacked button[type=submit]")
    page.page.goto("/my-bureau/")
    page.page.click(f"a[href^='/entry/indicators/{world['pv'].pk}/observations/']")
    page.page.fill("#id_period", "2023")
    page.page.fill("#id_value", "520")
    page.page.click("form.stacked button[type=submit]")
    # 300 -> 520 is a change of more than half: the form asks for a second look first.
    assert "超过一半" in page.page.inner_text(".callout.warning")
    page.page.check("#id_confirm")
    page.page.click("form.stacked button[type=submit]")
    page.page.goto(f"/targets/{world['pv_target'].pk}/")
    page.page.wait_for_selector("#target-chart .main-svg")
    assert page.page.locator("#target-chart .scatterlayer .trace").count() >= 2
    assert page.page.locator(".chip.status-achieved").count() == 1
    assert "520" in page.page.inner_text("dl.numbers")
    page.shot("bureau-records-observation")


def test_leader_opens_every_page_type_and_charts_render(transactional_db, page, reference_data, users):
    from tests.conftest import _load_four_plans

    _load_four_plans()
    call_command("load_demo_data", stdout=StringIO())
    login(page.page, "leader")
    target = Target.objects.get(plan__code="heze-carbon-peaking", code="non-fossil-share-2025")
    bureau_id = target.responsibilities.first().bureau_id if target.responsibilities.exists() else None
    pages = {
        "overview": "/",
        "city": "/cities/heze/",
        "plan": "/plans/heze-carbon-peaking/",
        "target": f"/targets/{target.pk}/",
    }
    if bureau_id:
        pages["bureau"] = f"/bureaus/{bureau_id}/"
    for name, url in pages.items():
        response = page.page.goto(url)
        assert response.status == 200, url
        if name == "target":  # its chart draws (checked on this load, not on a second one)
            page.page.wait_for_selector("#target-chart .main-svg")
        page.shot(f"leader-{name}")


def test_leader_picks_a_bureau_from_the_suggestions_as_they_type(transactional_db, page, world, users):
    login(page.page, "leader")
    page.page.goto("/measures/")
    page.page.fill("input[name=bureau_name]", "生态")
    # a locator wait, not wait_for_function: the page's policy refuses evaluating strings
    page.page.locator("#bureau-options option").first.wait_for(state="attached")
    labels = page.page.eval_on_selector_all("#bureau-options option", "els => els.map(e => e.value)")
    assert labels == ["测试市 · 市生态环境局"]
    page.page.fill("input[name=bureau_name]", labels[0])
    assert page.page.input_value("input[name=bureau]") == str(world["eco"].pk)
    page.page.click("form.filters button[type=submit]")
    page.page.wait_for_url(f"**bureau={world['eco'].pk}**")
    body = page.page.content()
    assert "共1项任务" in body and "深入打好蓝天保卫战" in body
    # Typing on after a pick drops the picked id: the text filters again.
    page.page.fill("input[name=bureau_name]", "发展改革")
    assert page.page.input_value("input[name=bureau]") == ""
