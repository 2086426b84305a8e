"""The dashboards in a real browser at a laptop's and a phone's width, in Chinese and English:
nothing scrolls sideways, the Plotly charts draw, axe-core finds nothing serious, and the
city page's filters live in the URL and its print layout fits A4.

Screenshots go to $SCREENSHOT_DIR when set (else artifacts/screenshots)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import test_accessibility
from tests.browser.conftest import ARTIFACTS, login, screenshot
from tests.browser.test_accessibility import _severe_violations

# The four plans with demo data and one measure update, as the accessibility test loads them.
plans_with_data = test_accessibility.plans_with_data

PAGES = {"overview": "/", "city": "/cities/zibo/", "sector": "/sectors/energy/"}
WIDTHS = (1366, 390)
SHOTS = Path(os.environ.get("SCREENSHOT_DIR") or ARTIFACTS)


def _overflow(page) -> tuple[int, int]:
    return page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.usefixtures("plans_with_data")
def test_dashboards_fit_the_screen_draw_charts_and_pass_axe(page, users, language):
    if language == "en":
        page.page.goto("/accounts/login/")
        page.page.click("button[name=language]")
        page.page.wait_for_load_state()
    login(page.page, "leader")
    found: dict[str, object] = {}
    for width in WIDTHS:
        page.page.set_viewport_size({"width": width, "height": 900})
        for name, url in PAGES.items():
            response = page.page.goto(url)
            assert response.status == 200, url
            page.page.wait_for_selector(".chart .main-svg")
            assert page.page.locator(".chart .main-svg").count() >= 1, url
            # the charts were sized to the screen, not to a fixed width
            widest = page.page.evaluate(
                "Math.max(...[...document.querySelectorAll('.chart .main-svg')]"
                ".map(s => s.getBoundingClientRect().right))"
            )
            scroll_width, inner_width = _overflow(page.page)
            assert scroll_width <= inner_width, f"{url} at {width}px is {scroll_width}px wide"
            assert widest <= inner_width + 1, f"{url} at {width}px: a chart ends at {widest}px"
            problems = _severe_violations(page.page)
            if problems:
                found[f"{url}@{width}"] = problems
            screenshot(page.page, SHOTS / f"{name}-{language}-{width}")
    assert found == {}


@pytest.mark.usefixtures("plans_with_data")
def test_a_status_pill_filters_the_city_page_and_the_url_can_be_shared(page, users):
    login(page.page, "leader")
    page.page.goto("/cities/zibo/")
    pill = page.page.locator(".headline-card a.chip").first
    status = pill.get_attribute("class").split("status-")[1]
    pill.click()
    page.page.wait_for_url(f"**status={status}**")
    chips = page.page.locator("details.sector-group tbody .chip")
    assert chips.count() >= 1
    assert all(f"status-{status}" in chips.nth(i).get_attribute("class") for i in range(chips.count()))
    shared = page.page.url
    page.page.goto("/")
    page.page.goto(shared)  # the same list again from the link alone
    assert page.page.locator("details.sector-group tbody .chip").count() == chips.count()
    # a click on a bar of the sector chart narrows the page to that sector
    page.page.goto("/cities/zibo/")
    page.page.wait_for_selector("#city-sectors-chart .main-svg")
    # each row's progress bar is drawn: its filled part as wide as its share, in a colour
    drawn = page.page.eval_on_selector_all(
        ".sector-group[open] .bar [data-width]",
        "bars => bars.map(b => [Number(b.dataset.width), b.getBoundingClientRect().width,"
        " b.parentElement.getBoundingClientRect().width, getComputedStyle(b).backgroundColor])",
    )
    assert drawn and all(colour != "rgba(0, 0, 0, 0)" for *_sizes, colour in drawn)
    assert all(abs(inner - outer * min(max(share, 0), 100) / 100) < 1.5 for share, inner, outer, _c in drawn)
    assert any(inner > 0 for _share, inner, _outer, _c in drawn)
    bar = page.page.locator("#city-sectors-chart .bars .point path").first.bounding_box()
    page.page.mouse.click(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
    page.page.wait_for_url("**sector=**")
    assert page.page.locator("details.sector-group").count() == 1


@pytest.mark.usefixtures("plans_with_data")
def test_the_city_page_prints_on_a4(page, users):
    login(page.page, "leader")
    page.page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.page.goto("/cities/zibo/")
    page.page.wait_for_selector("#city-sectors-chart .main-svg")
    page.page.emulate_media(media="print")
    page.page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.page.locator(".site-header").is_hidden() and page.page.locator("form.filters").is_hidden()
    closed = page.page.evaluate("document.querySelectorAll('details.sector-group:not([open])').length")
    assert closed == 0  # every sector group prints open
    scroll_width, inner_width = _overflow(page.page)
    assert scroll_width <= inner_width
    screenshot(page.page, SHOTS / "city-print-794")
    assert page.page.pdf(format="A4").startswith(b"%PDF")
