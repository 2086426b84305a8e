"""An admin drafts a plan file from the plan's text in a real browser and sees it beside the text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from targets.models import Target
from tests.browser.conftest import login

HEZE = Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "004_aa64018cf50cbd3c.txt"
SHOTS = Path(os.environ.get("DRAFT_SHOTS_DIR", "")) if os.environ.get("DRAFT_SHOTS_DIR") else None


@pytest.mark.parametrize("width", [1366, 390])
def test_admin_reviews_a_draft_beside_the_highlighted_text(transactional_db, page, users, width):
    page.page.set_viewport_size({"width": width, "height": 900})
    login(page.page, "admin")
    page.page.goto("/admin/targets/plan/draft/")
    page.page.set_input_files("#id_file", str(HEZE))
    page.page.fill("#id_city", "heze")
    page.page.fill("#id_city_name", "菏泽")
    page.page.click("input[type=submit][value='起草']")
    page.page.wait_for_selector("#draft-source")
    source = page.page.locator("#draft-source")
    assert source.locator("mark.hl-target").count() >= 20
    assert source.locator("mark.hl-responsibility").count() >= 40
    assert "菏政字〔2024〕3号" in page.page.input_value("#id_draft")
    # A review item links to its place in the text.
    first_review = page.page.locator("#draft-reviews a").first
    anchor = first_review.get_attribute("href")
    first_review.click()
    assert page.page.locator(f"mark{anchor}").is_visible()
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.page.screenshot(path=str(SHOTS / f"draft-review-{width}.png"), full_page=True)


def test_target_page_marks_a_reading_of_the_text(transactional_db, page, users, reference_data):
    from django.core.management import call_command

    call_command("load_plans", verbosity=0)
    target = Target.objects.get(plan__code="zibo-carbon-peaking", code="carbon-intensity-2025")
    login(page.page, "leader")
    for width in (1366, 390):
        page.page.set_viewport_size({"width": width, "height": 900})
        page.page.goto(f"/targets/{target.pk}/")
        note = page.page.locator("aside.interpretation")
        assert note.is_visible() and "碳排放强度" in note.inner_text()
        if SHOTS:
            page.page.screenshot(path=str(SHOTS / f"target-interpretation-{width}.png"), full_page=True)
