"""API tokens: one per user, issued by a command or by the user, revoked by the user."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from rest_framework.authtoken.models import Token


@transaction.atomic
def token_issue(*, user: Any, rotate: bool = False) -> tuple[Token, bool]:
    """The user's token and whether it is new; `rotate` replaces an existing one."""
    if rotate:
        Token.objects.filter(user=user).delete()
    return Token.objects.get_or_create(user=user)


def token_revoke(*, user: Any) -> bool:
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)
