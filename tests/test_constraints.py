"""Database constraints reject rows that break the domain's invariants."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from measures.models import Measure, MeasureResponsibility, MeasureStatus, MeasureUpdate
from reporting.models import Observation
from targets.models import Bureau, Indicator, Role, Target, TargetResponsibility


def _rejects(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def _target(world, **overrides) -> Target:
    fields = dict(
        plan=world["plan"],
        code="t-new",
        indicator=world["pv"],
        kind="level",
        comparator="at_least",
        value=Decimal("1"),
        target_year=2025,
        section="二",
        source_text="…",
    )
    fields.update(overrides)
    return Target.objects.create(**fields)


def test_quantified_target_needs_a_value(world):
    _rejects(lambda: _target(world, value=None))


def test_quantified_target_needs_a_comparator(world):
    _rejects(lambda: _target(world, comparator=""))


def test_qualitative_target_has_no_value(world):
    _rejects(lambda: _target(world, kind="qualitative", comparator="", value=Decimal("3")))
    assert _target(world, kind="qualitative", comparator="", value=None).pk


def test_target_year_not_before_baseline_year(world):
    _rejects(lambda: _target(world, kind="change_vs_baseline", value=Decimal("-17.5"), baseline_year=2026))
    assert _target(world, kind="change_vs_baseline", value=Decimal("-17.5"), baseline_year=2020).pk


def test_relative_target_needs_a_baseline_and_cumulative_a_period_start(world):
    _rejects(lambda: _target(world, kind="change_vs_baseline", value=Decimal("-17.5")))
    _rejects(lambda: _target(world, kind="cumulative", value=Decimal("400")))
    _rejects(lambda: _target(world, kind="cumulative", value=Decimal("400"), period_start=2026))


def test_target_year_within_plan_horizon(world):
    _rejects(lambda: _target(world, target_year=2099))


def test_target_code_unique_per_plan(world):
    _rejects(lambda: _target(world, code="pv-2025"))


def test_measure_section_unique_per_plan(world):
    _rejects(
        lambda: Measure.objects.create(
            plan=world["plan"], section="三（一）1", title="x", text="x", sector=world["pv"].sector
        )
    )


def test_indicator_code_unique_per_city(world):
    _rejects(
        lambda: Indicator.objects.create(
            city=world["city"], code="pv_installed_capacity", name="x", direction="increase", sector=world["pv"].sector
        )
    )


def test_bureau_name_unique_per_city(world):
    _rejects(lambda: Bureau.objects.create(city=world["city"], name="市发展改革委"))


def test_one_lead_per_target_and_per_measure(world):
    _rejects(
        lambda: TargetResponsibility.objects.create(target=world["pv_target"], bureau=world["eco"], role=Role.LEAD)
    )
    _rejects(
        lambda: MeasureResponsibility.objects.create(measure=world["pv_measure"], bureau=world["eco"], role=Role.LEAD)
    )
    assert TargetResponsibility.objects.create(target=world["pv_target"], bureau=world["eco"], role=Role.SUPPORT).pk


def test_observation_unique_per_period(world):
    Observation.objects.create(indicator=world["pv"], period="2023", period_end="2023-12-31", value=1)
    _rejects(lambda: Observation.objects.create(indicator=world["pv"], period="2023", period_end="2023-12-31", value=2))


def test_observation_needs_value_or_note(world):
    _rejects(lambda: Observation.objects.create(indicator=world["pv"], period="2022", period_end="2022-12-31"))


def test_measure_update_percent_at_most_100(world, users):
    status = MeasureStatus.objects.get(code="in_progress")
    _rejects(
        lambda: MeasureUpdate.objects.create(
            measure=world["pv_measure"], status=status, percent_complete=101, created_by=users["admin"]
        )
    )
