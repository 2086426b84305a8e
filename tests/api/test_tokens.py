"""Getting a token: `manage.py issue_api_token <username>`, or POST /api/v1/auth/token/ while
signed in; DELETE revokes it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def issue(*args: str) -> str:
    out = StringIO()
    call_command("issue_api_token", *args, stdout=out)
    return out.getvalue().strip()


def test_the_command_prints_a_working_token(users, world):
    key = issue("ndrc")
    assert key == Token.objects.get(user=users["ndrc_staff"]).key and len(key) == 40
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/targets/").status_code == 200


def test_the_command_returns_the_same_token_until_rotated(users):
    first = issue("ndrc")
    assert issue("ndrc") == first
    rotated = issue("ndrc", "--rotate")
    assert rotated != first
    assert list(Token.objects.filter(user=users["ndrc_staff"]).values_list("key", flat=True)) == [rotated]


def test_the_command_refuses_unknown_and_inactive_users(users):
    with pytest.raises(CommandError, match="用户“nobody”不存在。"):
        issue("nobody")
    users["leader"].is_active = False
    users["leader"].save()
    with pytest.raises(CommandError, match="已停用"):
        issue("leader")
    assert not Token.objects.exists()


@pytest.mark.parametrize("user", ["leader", "ndrc_staff", "eco_staff", "admin"])
def test_every_signed_in_user_gets_a_token_from_the_endpoint(user, users, world):
    client = APIClient()
    client.force_login(users[user])
    created = client.post("/api/v1/auth/token/")
    assert created.status_code == 201
    key = created.json()["token"]
    assert key == Token.objects.get(user=users[user]).key
    again = client.post("/api/v1/auth/token/")
    assert (again.status_code, again.json()) == (200, {"token": key})


def test_the_endpoint_needs_a_signed_in_user_and_csrf_for_sessions(users):
    assert APIClient().post("/api/v1/auth/token/").status_code == 401
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(users["eco_staff"])
    assert client.post("/api/v1/auth/token/").status_code == 403
    assert not Token.objects.exists()


def test_delete_revokes_the_token(users, world):
    key = issue("eco")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.delete("/api/v1/auth/token/").status_code == 204
    assert not Token.objects.exists()
    assert client.get("/api/v1/targets/").status_code == 401
