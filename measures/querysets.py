"""Querysets for measures, with the scoping rule for who may report on a measure."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef

from accounts.roles import write_scope


class MeasureQuerySet(models.QuerySet):
    def editable_by(self, user: Any) -> MeasureQuerySet:
        """Measures `user` may report on: all for admins; for bureau staff, those their bureau
        is responsible for (lead or support); else none."""
        scope = write_scope(user, "measures.add_measureupdate")
        if scope.everything:
            return self.all()
        if scope.bureau_id is None:  # nothing to write
            return self.none()
        from measures.models import MeasureResponsibility

        owned = MeasureResponsibility.objects.filter(measure=OuterRef("pk"), bureau_id=scope.bureau_id)
        return self.filter(Exists(owned))

    def for_city(self, city_code: str) -> MeasureQuerySet:
        return self.filter(plan__city__code=city_code)
