"""In-app notices: reminders and review outcomes shown to a user on their pages.

Most visits find no notice unread. The page that shows them (`notices_take`) remembers that in
the cache, per user, under a notice version of that user which every notice sent to them starts
anew (`notices_send`, and the receivers in accounts/apps.py for a notice written otherwise), so
a visit with nothing new reads nothing and a new notice is shown on the next visit.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Notice, User

logger = logging.getLogger(__name__)

NONE_UNREAD_SECONDS = 600  # a notice written past the version (raw SQL) waits minutes at most


def notices_send(*, users: Iterable[User], message: str, link: str = "") -> int:
    rows = [Notice(user=user, message=message[:500], link=link) for user in users]
    Notice.objects.bulk_create(rows)  # no signals: the versions are started here
    notices_changed([row.user_id for row in rows])
    return len(rows)


def notices_unread(*, user: User) -> QuerySet[Notice]:
    return Notice.objects.filter(user=user, read_at__isnull=True)


def notices_mark_read(*, user: User) -> int:
    return notices_unread(user=user).update(read_at=timezone.now())


def notices_take(*, user: User, limit: int = 20) -> list[Notice]:
    """The user's latest unread notices, which are then marked read (with any older ones); no
    query while the cache knows the user has none unread."""
    version_key, none_key = _keys(user.pk)
    try:
        found = cache.get_many([version_key, none_key])
        version = found.get(version_key)
        if version is None:
            cache.add(version_key, uuid.uuid4().hex, None)
            version = cache.get(version_key)
    except Exception:  # a cache problem must only cost the caching
        logger.warning("Could not read a user's notice version", exc_info=True)
        found, version = {}, None
    if version is not None and found.get(none_key) == version:
        return []
    # The version was read before the notices: one sent meanwhile starts a new version, so the
    # "none unread" written below cannot hide it.
    notices = list(notices_unread(user=user)[:limit])
    if notices:  # none shown means none unread: no write on every visit
        notices_mark_read(user=user)
    if version is not None:
        try:
            cache.set(none_key, version, NONE_UNREAD_SECONDS)
        except Exception:
            logger.warning("Could not remember that a user has no notice unread", exc_info=True)
    return notices


def notices_changed(user_ids: Iterable[int]) -> None:
    """New notice versions for these users: now, and again when the transaction commits (a
    visit that read the notices in between and found none is superseded too)."""
    keys = [_keys(pk)[0] for pk in set(user_ids)]
    if keys:
        _bump(keys)
        transaction.on_commit(lambda: _bump(keys))


def notice_saved(sender: Any, instance: Notice, **kwargs: Any) -> None:
    """post_save and post_delete receiver, for a notice written other than by `notices_send`."""
    notices_changed([instance.user_id])


def _keys(user_pk: int) -> tuple[str, str]:
    return f"notices-version:{user_pk}", f"notices-none-unread:{user_pk}"


def _bump(keys: list[str]) -> None:
    try:
        cache.set_many({key: uuid.uuid4().hex for key in keys}, None)
    except Exception:  # never fail the write that sent the notices
        logger.warning("Could not start new notice versions; they show within %ss", NONE_UNREAD_SECONDS)
