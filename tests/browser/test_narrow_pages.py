"""Target, measure, plan, bureau, search and index pages at a laptop's and a phone's width, in
both languages: no sideways scrolling, the target chart drawn, no console error (the `page`
fixture), and no serious or critical axe-core violation."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from targets.models import Target
from tests.browser.conftest import ARTIFACTS, login, screenshot
from tests.browser.test_accessibility import _severe_violations, plans_with_data  # noqa: F401 - a fixture

WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
SHOTS = Path(os.environ.get("SCREENSHOT_DIR") or ARTIFACTS)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_fit_the_screen_and_pass_axe(page, plans_with_data, users, live_server, language):  # noqa: F811
    measure = plans_with_data
    target = Target.objects.get(plan__code="heze-carbon-peaking", code="non-fossil-share-2025")
    bureau = measure.responsibilities.first().bureau
    login(page.page, "admin")
    page.page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    urls = {
        "target": f"/targets/{target.pk}/",
        "measures": "/measures/",
        "measure": f"/measures/{measure.pk}/",
        "plan": "/plans/zibo-carbon-peaking/",
        "bureau": f"/bureaus/{bureau.pk}/",
        "search": "/search/?q=%E5%85%89%E4%BC%8F",  # 光伏
        "bureaus": "/bureaus/",
        "sectors": "/sectors/",
    }
    overflow, violations = {}, {}
    for width_name, (width, height) in WIDTHS.items():
        page.page.set_viewport_size({"width": width, "height": height})
        for name, url in urls.items():
            response = page.page.goto(url)
            assert response.status == 200, url
            assert page.page.evaluate("document.documentElement.lang") == language
            if name == "target":
                page.page.wait_for_selector("#target-chart .main-svg")
            scroll = page.page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
            if scroll[0] > scroll[1]:
                overflow[f"{name}@{width}"] = scroll
            problems = _severe_violations(page.page)
            if problems:
                violations[f"{name}@{width}"] = problems
            screenshot(page.page, SHOTS / f"{name}-{language}-{width_name}")
    assert overflow == {}, f"pages wider than the screen: {overflow}"
    assert violations == {}
