"""Headers every page carries (Content-Security-Policy, private caching), templates that need no
inline script or style, `next` redirects that stay on the site, self-service password change."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from measures.models import MeasureStatus, MeasureUpdate
from targets.demo_accounts import demo_accounts_create

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/", "/cities/testcity/", "/api/v1/targets/", "/reports/export/measures.csv", "/accounts/login/"],
)
def test_dynamic_responses_are_private_and_carry_the_policy(client, users, path):
    client.force_login(users["leader"])
    response = client.get(path)
    assert response.status_code == 200, path
    assert "private" in response["Cache-Control"]
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert "unsafe" not in policy


def _template_files() -> list[Path]:
    return sorted(p for p in ROOT.glob("**/templates/**/*.html") if ".venv" not in p.parts)


def test_templates_hold_no_inline_script_style_or_handlers():
    """The policy forbids inline script and style, so no template may need them: a <script>
    without src is allowed only as JSON data, and no element carries style= or on*= attributes."""
    offenders = []
    for path in _template_files():
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{path.relative_to(ROOT)}: {tag}")
        if re.search(r"<style\b", text):
            offenders.append(f"{path.relative_to(ROOT)}: <style>")
        for attr in re.findall(r"<[a-zA-Z][^>]*\s(style|on[a-z]+)\s*=", text):
            offenders.append(f"{path.relative_to(ROOT)}: {attr}=")
    assert not offenders, offenders


def test_language_cookie_is_secure_in_production():
    result = subprocess.run(
        [sys.executable, "-c", "from config.settings import production as p; print(p.LANGUAGE_COOKIE_SECURE)"],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "k" * 60},
        capture_output=True,
        check=False,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "True", result.stderr


@pytest.mark.django_db
def test_off_site_next_after_a_measure_update_goes_to_the_bureau_page(client, users, world):
    status = MeasureStatus.objects.get(code="in_progress").pk
    client.force_login(users["ndrc_staff"])
    url = reverse("entry:measure_update_create", args=[world["pv_measure"].pk])
    for evil in ["//evil.example/x", "https://evil.example/x", "javascript:alert(1)", "\\\\evil.example"]:
        response = client.post(f"{url}?next={evil}", {"status": status, "percent_complete": "10", "note": ""})
        assert response.status_code == 302, evil
        assert response["Location"] == "/my-bureau/", evil
    assert MeasureUpdate.objects.filter(measure=world["pv_measure"]).count() == 4


@pytest.mark.django_db
def test_on_site_next_is_honoured_from_the_entry_links(client, users, world):
    status = MeasureStatus.objects.get(code="in_progress").pk
    client.force_login(users["ndrc_staff"])
    url = reverse("entry:measure_update_create", args=[world["pv_measure"].pk])
    response = client.post(f"{url}?next=/my-bureau/", {"status": status, "percent_complete": "10"})
    assert response.status_code == 302 and response["Location"] == "/my-bureau/"
    url = reverse("entry:observation_create", args=[world["pv"].pk])
    target_url = f"/targets/{world['pv_target'].pk}/"
    response = client.post(url, {"period": "2023", "value": "120", "note": "", "next": target_url})
    assert response.status_code == 302 and response["Location"] == f"/targets/{world['pv_target'].pk}/"


@pytest.mark.django_db
def test_password_change_enforces_the_policy_and_works(client, users):
    user = users["ndrc_staff"]
    client.force_login(user)
    url = reverse("password_change")
    page = client.get(url)
    assert page.status_code == 200 and "修改密码" in page.content.decode()
    weak = client.post(
        url, {"old_password": "pw-for-tests-only", "new_password1": "abcdefgh1234", "new_password2": "abcdefgh1234"}
    )
    assert weak.status_code == 200
    assert "至少3类" in weak.content.decode()
    short = client.post(url, {"old_password": "pw-for-tests-only", "new_password1": "Ab1!x", "new_password2": "Ab1!x"})
    assert "12" in short.content.decode()
    user.refresh_from_db()
    assert user.check_password("pw-for-tests-only")
    good = client.post(
        url,
        {"old_password": "pw-for-tests-only", "new_password1": "Zibo-Report-2025", "new_password2": "Zibo-Report-2025"},
    )
    assert good.status_code == 302 and good["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("Zibo-Report-2025")
    # the session survives the change (Django rotates its hash)
    assert client.get("/").status_code == 200


def test_password_change_needs_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_demo_accounts_keep_their_published_passwords(reference_data):
    """The policy applies to passwords people set; the demo accounts' fixed ones still work."""
    demo_accounts_create()
    assert User.objects.get(username="demo-leader").check_password("demo-leader-pass")


def test_axes_is_the_first_authentication_backend():
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
