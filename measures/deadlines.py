"""Where a measure stands against its deadline: the states, their labels, and the rule, both in
Python (for rows already read) and as a database condition (for filtering and counting), side
by side so they cannot drift apart (tests/test_deadline_states.py checks they agree)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

DUE_SOON_DAYS = 60


class DeadlineState(models.TextChoices):
    OVERDUE = "overdue", _("逾期")
    DUE_SOON = "due_soon", _("即将到期")


NO_STATE = "none"  # the filters' name for every other measure


def deadline_state(deadline: dt.date | None, completed: bool, today: dt.date) -> str:
    """ "overdue" when past the deadline and the latest update is not completed; "due_soon"
    when the deadline is within DUE_SOON_DAYS and not completed; else ""."""
    if deadline is None or completed:
        return ""
    if deadline < today:
        return DeadlineState.OVERDUE
    if (deadline - today).days <= DUE_SOON_DAYS:
        return DeadlineState.DUE_SOON
    return ""


def deadline_state_q(state: str, *, today: dt.date, completed: str = "latest_completed") -> Q:
    """The same rule as a condition on measures annotated with `completed` (the latest update's
    is_completed; NULL, no update yet, counts as not completed). `state` is a DeadlineState or
    NO_STATE."""
    open_ = Q(**{completed: False}) | Q(**{f"{completed}__isnull": True})
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    if state == DeadlineState.OVERDUE:
        return open_ & Q(deadline__lt=today)
    if state == DeadlineState.DUE_SOON:
        return open_ & Q(deadline__gte=today, deadline__lte=soon)
    return Q(deadline__isnull=True) | Q(**{completed: True}) | Q(deadline__gt=soon)
