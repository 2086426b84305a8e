"""Querysets for the targets app, with the scoping rule for who may report on an indicator."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, Value, When

from accounts.roles import write_scope

QUANTIFIED_KINDS = ("level", "change_vs_baseline", "cumulative", "annual_growth")


class IndicatorQuerySet(models.QuerySet):
    def quantified(self) -> IndicatorQuerySet:
        """Indicators with at least one quantified target: the ones values are reported for."""
        return self.filter(targets__kind__in=QUANTIFIED_KINDS).distinct()

    def editable_by(self, user: Any) -> IndicatorQuerySet:
        """Indicators `user` may record observations for: all for admins; for bureau staff,
        those their bureau reports (数据报送单位) and those with a target their bureau is
        responsible for (lead or support); else none."""
        scope = write_scope(user, "reporting.add_observation")
        if scope.everything:
            return self.all()
        if scope.bureau_id is None:  # nothing to write
            return self.none()
        from targets.models import TargetResponsibility

        owned = TargetResponsibility.objects.filter(target__indicator=OuterRef("pk"), bureau_id=scope.bureau_id)
        return self.filter(Q(Exists(owned)) | Q(reporting__bureau_id=scope.bureau_id))


class TargetQuerySet(models.QuerySet):
    def for_city(self, city_code: str) -> TargetQuerySet:
        return self.filter(plan__city__code=city_code)


def responsibilities_lead_first(responsibility_model: type[models.Model]) -> models.QuerySet:
    """The responsibilities, each item's lead first, then the others in the order the plan
    printed them."""
    lead = Case(When(role="lead", then=Value(0)), default=Value(1), output_field=IntegerField())
    return responsibility_model._default_manager.order_by(lead, "position")


def lead_first(responsibility_model: type[models.Model], *, bureaus_apart: bool = False) -> Prefetch:
    """Prefetch of an item's `responsibilities` with their bureaus: the lead first, then the
    others in the order the plan printed them. With `bureaus_apart`, the bureaus are read in a
    query of their own, for lists of many items: joined, the planner hashes every bureau of
    every city (9,400 at 300 cities) for the few dozen the items name."""
    responsibilities = responsibilities_lead_first(responsibility_model)
    if bureaus_apart:
        return Prefetch("responsibilities", queryset=responsibilities.prefetch_related("bureau"))
    return Prefetch("responsibilities", queryset=responsibilities.select_related("bureau"))
