"""A real browser (Debian's chromium, driven by Playwright) against the live test server.

Every request the page makes must stay on 127.0.0.1, and the console must stay free of
errors. Screenshots go to artifacts/.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "artifacts" / "screenshots"

if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
    pytest.skip(
        "Debian's chromium is not installed (apt-get install chromium); .ci/run installs it", allow_module_level=True
    )


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread while the browser lives; Django's
    # ORM, used by the tests between browser steps, is safe because nothing runs concurrently.
    # Package-scoped: one browser serves the browser files a worker runs in a row (each test
    # still gets a fresh context), and the loop and this allowance end when a test outside
    # tests/browser comes next.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch(sync_playwright)
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _launch(sync_playwright) -> Iterator[object]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync", "--disable-quic"],
        )  # fmt: skip
        yield browser
        browser.close()


class PageWatch:
    def __init__(self, page: object) -> None:
        self.page = page
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", self._request)

    def _request(self, request: object) -> None:
        host = urlparse(request.url).hostname
        if request.url.startswith(("http://", "https://")) and host not in ("127.0.0.1", "localhost"):
            self.foreign.append(request.url)

    def shot(self, name: str) -> None:
        screenshot(self.page, ARTIFACTS / name)


def screenshot(page: object, path: Path) -> None:
    """The whole page, for a person to look at, as a JPEG: the browser encodes the long pages'
    screenshots in about half the time a PNG takes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=f"{path}.jpg", type="jpeg", quality=85, full_page=True)


@pytest.fixture
def page(browser, live_server) -> Iterator[PageWatch]:
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    # Nothing may leave the machine: abort any request to another host outright.
    context.route(
        "**/*",
        lambda route: (
            route.abort()
            if urlparse(route.request.url).hostname not in ("127.0.0.1", "localhost")
            else route.continue_()
        ),
    )
    watch = PageWatch(context.new_page())
    yield watch
    context.close()
    assert watch.foreign == [], f"requests left 127.0.0.1: {watch.foreign}"
    assert watch.errors == [], f"console errors: {watch.errors}"


def login(page: object, username: str) -> None:
    """Sign in through the login form (every test user's password is the same)."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-only")
    page.click("form.stacked button[type=submit]")
    # Signed in once the form sends the browser on. Every test goes on to a page of its own, so
    # waiting for the dashboard it lands on to load and draw its charts would only cost time.
    page.wait_for_url(lambda url: not url.endswith("/accounts/login/"), wait_until="commit")
