"""How the person behind an entry is shown, depending on who is looking.

Signed-in users see the account name, so a figure can be traced to whoever entered it. With
PUBLIC_DASHBOARDS on, anonymous visitors see the entering bureau instead: staff names are
personal data and not part of what a city publishes.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def entered_by_label(person: Any, *, viewer: Any) -> str | None:
    """The account name for a signed-in viewer; for anyone else the person's bureau, or
    "system" for an entry without a bureau (an admin's, an import's). None when nobody is
    recorded (demo data, rows older than entry tracking)."""
    if person is None:
        return None
    if viewer is not None and viewer.is_authenticated:
        return person.get_username()
    bureau = getattr(person, "bureau", None)
    return bureau.name if bureau is not None else _("系统管理员")
