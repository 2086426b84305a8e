"""A user's groups and permissions, read once and kept in the cache per user.

Every page a clerk opens and every write asks what the user may write (accounts.roles), which
needs the user's groups and permissions: three queries per request. They change only when an
admin edits a user's groups or permissions or a role's permissions. Each such change (the
receivers in accounts/apps.py) starts a new roles version, and the entries are kept under it,
so no request is ever answered from an old grant. A user's own row (active, superuser, bureau)
is read afresh on every request and is part of the key, never of the entry.

The cache is an accelerator only: without it, or when it fails, the roles are read every time.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

ROLES_VERSION = "roles-version"
ROLES_SECONDS = 600  # a change made past the receivers (raw SQL) is stale for minutes at most
# The through tables of who holds which role and which permission, as "app_label.model_name".
ROLE_LINKS = frozenset({"accounts.user_groups", "accounts.user_user_permissions", "auth.group_permissions"})


@dataclass(frozen=True)
class UserRoles:
    groups: frozenset[str]
    permissions: frozenset[str]  # "app_label.codename", as `user.has_perm` takes them


NO_ROLES = UserRoles(frozenset(), frozenset())


def user_roles(user: Any) -> UserRoles:
    """`user`'s groups and permissions (every backend's, as `user.get_all_permissions`): once
    per request (kept on the user object), from the cache while no role changed."""
    memo = vars(user)
    if "_user_roles" not in memo:
        memo["_user_roles"] = _cached(user) if user.is_authenticated else NO_ROLES
    roles: UserRoles = memo["_user_roles"]
    return roles


def _cached(user: Any) -> UserRoles:
    try:
        version = cache.get(ROLES_VERSION)
        if version is None:
            cache.add(ROLES_VERSION, uuid.uuid4().hex, None)
            version = cache.get(ROLES_VERSION)
        key = f"user-roles:{version}:{user.pk}:{user.is_active}:{user.is_superuser}"
        found = cache.get(key) if version else None
    except Exception:  # a cache problem must only cost the caching
        logger.warning("Could not read a user's roles from the cache", exc_info=True)
        return _read(user)
    if found is None:
        found = _read(user)
        if version:
            try:
                cache.set(key, found, ROLES_SECONDS)
            except Exception:
                logger.warning("Could not keep a user's roles in the cache", exc_info=True)
    return found


def _read(user: Any) -> UserRoles:
    return UserRoles(frozenset(user.groups.values_list("name", flat=True)), frozenset(user.get_all_permissions()))


def roles_changed(*args: Any, **kwargs: Any) -> None:
    """A new roles version: now, and again when the transaction commits (a request that read
    the old rows in between and kept them is superseded too). Signal receivers call this."""
    _bump()
    transaction.on_commit(_bump)


def role_links_changed(sender: Any, action: str, **kwargs: Any) -> None:
    """m2m_changed receiver: a user's roles or permissions, or a role's permissions, changed."""
    if action.startswith("post_") and sender._meta.label_lower in ROLE_LINKS:
        roles_changed()


def user_created(sender: Any, created: bool, **kwargs: Any) -> None:
    """post_save receiver: a new user may have the id of a deleted one (SQLite reuses them)."""
    if created:
        roles_changed()


def _bump() -> None:
    try:
        cache.set(ROLES_VERSION, uuid.uuid4().hex, None)
    except Exception:  # never fail the write that changed the roles
        logger.warning("Could not start a new roles version; kept roles expire within %ss", ROLES_SECONDS)
