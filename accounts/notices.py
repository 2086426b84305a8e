"""In-app notices: reminders and review outcomes shown to a user on their pages."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Notice, User


def notices_send(*, users: Iterable[User], message: str, link: str = "") -> int:
    rows = [Notice(user=user, message=message[:500], link=link) for user in users]
    Notice.objects.bulk_create(rows)
    return len(rows)


def notices_unread(*, user: User) -> QuerySet[Notice]:
    return Notice.objects.filter(user=user, read_at__isnull=True)


def notices_mark_read(*, user: User) -> int:
    return notices_unread(user=user).update(read_at=timezone.now())
