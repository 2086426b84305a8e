"""The three roles and the one rule for who may write what.

Roles are Django groups (created by a data migration, with their permissions). Whether a user
may write a given row is decided by `editable_by(user)` on the Indicator and Measure
querysets, which both ask `write_scope` here, so the rule lives in one place. The groups and
permissions it reads are kept per user between requests (accounts/user_roles.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accounts.user_roles import user_roles

ADMIN = "admin"
LEADER = "leader"
BUREAU_STAFF = "bureau_staff"
ROLES = (ADMIN, LEADER, BUREAU_STAFF)


@dataclass(frozen=True)
class WriteScope:
    """`everything` for admins; otherwise the bureau whose items the user may write, if any."""

    everything: bool = False
    bureau_id: int | None = None


def group_names(user: Any) -> frozenset[str]:
    return user_roles(user).groups


def is_admin(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or ADMIN in group_names(user)))


def write_scope(user: Any, permission: str) -> WriteScope:
    """What `user` may write with `permission` ("reporting.add_observation", ...)."""
    if not user.is_authenticated or not user.is_active:
        return WriteScope()
    if is_admin(user):
        return WriteScope(everything=True)
    # As `user.has_perm` for an active user who is no superuser (an admin, answered above).
    if getattr(user, "bureau_id", None) and permission in user_roles(user).permissions:
        return WriteScope(bureau_id=user.bureau_id)
    return WriteScope()


# Permissions each role's group holds ("app_label.codename"). A data migration applies them;
# `python manage.py sync_roles` applies them again after a change here.
DOMAIN_MODELS: dict[str, list[str]] = {
    "targets": [
        "city", "plan", "sector", "bureau", "indicator", "target", "targetresponsibility", "citysetup",
        "indicatorreporting",
    ],
    "measures": [
        "measure", "measureresponsibility", "measuretarget", "measurestatus", "measureupdate", "deadlinereminder",
    ],
    "reporting": ["observation", "targetassessment", "progresssnapshot", "reportingreminder"],
}  # fmt: skip


def _permissions(models: dict[str, list[str]], actions: tuple[str, ...]) -> list[str]:
    return [f"{app}.{action}_{model}" for app, names in models.items() for model in names for action in actions]


_VIEW_ALL = _permissions(DOMAIN_MODELS, ("view",))
ROLE_PERMISSIONS: dict[str, list[str]] = {
    LEADER: _VIEW_ALL,
    BUREAU_STAFF: [
        *_VIEW_ALL,
        "reporting.add_observation",
        "reporting.change_observation",
        "reporting.add_targetassessment",
        "measures.add_measureupdate",
    ],
    # Admins manage accounts, and with them the accounts' API tokens and login locks (deleting
    # an attempt record unlocks the account; failure logs are an audit trail they may prune).
    ADMIN: [
        *_permissions(
            {**DOMAIN_MODELS, "accounts": ["user"], "authtoken": ["tokenproxy"]}, ("view", "add", "change", "delete")
        ),
        *_permissions({"axes": ["accessattempt", "accessfailurelog", "accesslog"]}, ("view", "delete")),
    ],
}
