"""Querysets for observations: which values count, and who may review which."""

from __future__ import annotations

from typing import Any

from django.db import connection, models
from django.db.models import Max

from accounts.roles import write_scope
from config.data_version import plan_cached


class PerTargetQuerySet(models.QuerySet):
    """For rows written per target over time (progress snapshots, assessments), where the
    latest is the one with the highest id."""

    def latest_per_target(self) -> PerTargetQuerySet:
        """Each target's latest row among these, with this queryset's filters applied first, so
        the cost follows the targets asked for, not the history stored: DISTINCT ON over the
        (target, -id) index on PostgreSQL, a grouped subquery elsewhere. Filter before calling;
        on PostgreSQL the result keeps its (target, -id) order."""
        if connection.vendor == "postgresql":
            return self.order_by("target_id", "-id").distinct("target_id")
        return self.filter(id__in=self.values("target_id").annotate(last=Max("id")).values("last"))


# Values that count for statuses and charts: approved ones (entries in a city without review
# are approved when they are saved).
COUNTED_STATUS = "approved"


class ObservationQuerySet(models.QuerySet):
    def counted(self) -> ObservationQuerySet:
        """Values that count (COUNTED_STATUS)."""
        return self.filter(status=COUNTED_STATUS)

    def pending(self) -> ObservationQuerySet:
        return self.filter(status="submitted")

    def reviewable_by(self, user: Any) -> ObservationQuerySet:
        """Observations `user` may approve or return: all for admins; for the users of a city's
        coordinating bureau, that city's, except the entries they made themselves."""
        scope = write_scope(user, "reporting.change_observation")
        if scope.everything:
            return self.all()
        if scope.bureau_id is None or not coordinates_review(scope.bureau_id):  # nothing to review
            return self.none()
        return self.filter(indicator__city__setup__coordinating_bureau_id=scope.bureau_id).exclude(
            entered_by_id=user.pk
        )


def coordinates_review(bureau_id: int) -> bool:
    """Whether the bureau is a city's coordinating bureau (reviews its values). Plan data, kept
    on the plan version: most bureaus review nothing, and their users' pages then count no
    values waiting. Never a grant: `reviewable_by` still filters by the city's setup."""
    from targets.models import CitySetup

    return plan_cached(
        f"coordinates-review:{bureau_id}", CitySetup.objects.filter(coordinating_bureau_id=bureau_id).exists
    )
