"""Repeated failed logins lock the account, then the address, on the site and the admin login,
with a message in the page's language; the lock lifts after the cool-off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

LOGIN = "/accounts/login/"


def _fail(client, username: str, times: int, address: str = "10.0.0.1", path: str = LOGIN) -> None:
    for _ in range(times):
        response = client.post(path, {"username": username, "password": "wrong"}, REMOTE_ADDR=address)
        # the form again with its error, or the lock page once this failure reached the limit
        assert response.status_code in (200, 429)


@pytest.mark.django_db
def test_account_is_locked_after_five_failures_even_with_the_right_password(client, users):
    _fail(client, "ndrc", settings.AXES_FAILURE_LIMIT - 1)
    response = client.post(LOGIN, {"username": "ndrc", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    response = client.post(LOGIN, {"username": "ndrc", "password": "pw-for-tests-only"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # another account from the same address is not affected by one account's lock
    response = client.post(LOGIN, {"username": "eco", "password": "pw-for-tests-only"}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302


@pytest.mark.django_db
def test_lock_message_is_in_english_on_english_pages(client, users):
    _fail(client, "ndrc", settings.AXES_FAILURE_LIMIT)
    response = client.post(
        LOGIN, {"username": "ndrc", "password": "pw-for-tests-only"}, REMOTE_ADDR="10.0.0.1", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many failed logins" in body and "15 minutes" in body


@pytest.mark.django_db
def test_admin_login_shares_the_lock(client, users):
    _fail(client, "admin", settings.AXES_FAILURE_LIMIT, path="/admin/login/")
    response = client.post(
        "/admin/login/", {"username": "admin", "password": "pw-for-tests-only"}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429
    response = client.post(LOGIN, {"username": "admin", "password": "pw-for-tests-only"}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429


@pytest.mark.django_db
def test_address_is_locked_after_many_failures_across_accounts(client, users):
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    per_name = settings.AXES_FAILURE_LIMIT - 1  # never enough to lock any one account
    names = [f"guess{i}" for i in range(limit // per_name + 1)]
    sent = 0
    for name in names:
        for _ in range(per_name):
            if sent == limit - 1:
                break
            client.post(LOGIN, {"username": name, "password": "wrong"}, REMOTE_ADDR="10.0.0.2")
            sent += 1
    # one below the address limit: a real user behind the same address still gets in
    response = client.post(LOGIN, {"username": "eco", "password": "pw-for-tests-only"}, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302
    client.post(reverse("logout"))
    client.post(LOGIN, {"username": "guess-last", "password": "wrong"}, REMOTE_ADDR="10.0.0.2")
    response = client.post(LOGIN, {"username": "eco", "password": "pw-for-tests-only"}, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429
    # from another address the account is fine
    response = client.post(LOGIN, {"username": "eco", "password": "pw-for-tests-only"}, REMOTE_ADDR="10.0.0.3")
    assert response.status_code == 302


@pytest.mark.django_db
def test_lock_lifts_after_the_cool_off(client, users):
    _fail(client, "ndrc", settings.AXES_FAILURE_LIMIT)
    assert client.post(LOGIN, {"username": "ndrc", "password": "pw-for-tests-only"}).status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=16))
    response = client.post(LOGIN, {"username": "ndrc", "password": "pw-for-tests-only"}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_successful_login_resets_the_account_count(client, users):
    _fail(client, "ndrc", settings.AXES_FAILURE_LIMIT - 1)
    assert client.post(LOGIN, {"username": "ndrc", "password": "pw-for-tests-only"}).status_code == 302
    client.post(reverse("logout"))
    _fail(client, "ndrc", settings.AXES_FAILURE_LIMIT - 1)
    assert client.post(LOGIN, {"username": "ndrc", "password": "pw-for-tests-only"}).status_code == 302
