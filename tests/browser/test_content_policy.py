"""The Content-Security-Policy is enforced and nothing the pages need breaks it: charts draw,
the login lock page and the API docs load, with no violation reported by the browser."""

from __future__ import annotations

from config.change_sources import ChangeSource
from reporting.services import observation_record
from tests.browser.conftest import login

LISTEN = (
    "window.__violations = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
)


def test_chart_pages_and_api_docs_run_under_the_policy(transactional_db, page, world, users):
    observation_record(
        source=ChangeSource.COMMAND, indicator=world["pv"], period="2020", value="300", user=users["ndrc_staff"]
    )
    observation_record(
        source=ChangeSource.COMMAND, indicator=world["pv"], period="2023", value="420", user=users["ndrc_staff"]
    )
    page.page.add_init_script(LISTEN)
    login(page.page, "leader")
    response = page.page.goto(f"/targets/{world['pv_target'].pk}/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.page.wait_for_selector("#target-chart .main-svg")
    # plotly.js takes its rules from the static stylesheet, not an inline <style>: without them
    # its toolbar would sit in the flow of the page instead of over the chart's corner
    modebar = "getComputedStyle(document.querySelector('#target-chart .modebar')).position"
    assert page.page.evaluate(modebar) == "absolute"
    assert page.page.evaluate("window.__violations") == []
    page.page.goto("/api/v1/docs/")
    page.page.wait_for_selector(".swagger-ui .info")
    assert page.page.evaluate("window.__violations") == []


def test_only_the_api_docs_may_apply_inline_styles(client, users):
    client.force_login(users["leader"])
    assert "'unsafe-inline'" in client.get("/api/v1/docs/")["Content-Security-Policy"]
    for path in ["/", "/api/v1/schema/", "/accounts/password/"]:
        assert "unsafe" not in client.get(path)["Content-Security-Policy"], path


def test_an_inline_script_is_refused(transactional_db, page, users):
    """The policy is really enforced, not report-only: a script injected into the page does not run."""
    page.page.add_init_script(LISTEN)
    page.page.goto("/accounts/login/")
    page.page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true';"
        " document.body.appendChild(s); }"
    )
    assert page.page.evaluate("window.__ran === undefined")
    assert any(v.startswith("script-src") for v in page.page.evaluate("window.__violations"))
    # the violation is logged to the console as an error; this test expects exactly that one
    page.errors[:] = [e for e in page.errors if "Content Security Policy" not in e]
