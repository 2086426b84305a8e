"""Serializers for targets with their current progress, and for progress history."""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.reference_serializers import CITY_CODE, ResponsibilitySerializer
from reporting.models import ProgressSnapshot
from targets.models import Plan, Target

PROGRESS_NUMBERS = [
    "latest_value", "baseline_value", "target_level", "progress_pct", "expected_pct", "gap", "actual_rate",
    "required_rate", "ratio", "projected_value",
]  # fmt: skip


class FiniteFloatField(serializers.FloatField):
    """A computed number; JSON has no NaN or infinity, so those are shown as null."""

    # The stubs type FloatField's representation as str; DRF's is a float, so is ours (or None).
    def to_representation(self, value: float) -> float | None:  # type: ignore[override]
        number = float(value)
        return number if math.isfinite(number) else None


class ProgressSerializer(serializers.ModelSerializer):
    # The numbers behind a status, as the engine computed them (docs/progress-method.md).

    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ProgressSnapshot
        fields = [
            "computed_at", "status", "status_label", *PROGRESS_NUMBERS[:1], "latest_period", *PROGRESS_NUMBERS[1:],
            "rate_basis", "warning_level", "note",
        ]  # fmt: skip
        read_only_fields = fields

    def build_standard_field(self, field_name: str, model_field: Any) -> tuple[type, dict[str, Any]]:
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if field_class is serializers.FloatField:
            field_class = FiniteFloatField
        return field_class, field_kwargs


class ProgressHistorySerializer(ProgressSerializer):
    # One snapshot in a target's history: written whenever its result changed.

    class Meta(ProgressSerializer.Meta):
        fields = ["id", "target", *ProgressSerializer.Meta.fields]
        read_only_fields = fields


class TargetSerializer(serializers.ModelSerializer):
    plan: serializers.SlugRelatedField[Plan] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=_("规划代码。")
    )
    city = serializers.CharField(source="plan.city.code", read_only=True, help_text=CITY_CODE)
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    unit = serializers.CharField(source="indicator.unit", read_only=True)
    sector = serializers.CharField(source="indicator.sector.code", read_only=True, help_text=_("领域代码。"))
    responsibilities = ResponsibilitySerializer(many=True, read_only=True)
    status = serializers.SerializerMethodField(help_text=_("最新进展快照的状态；尚未计算时为 no_data。"))
    progress = serializers.SerializerMethodField(help_text=_("状态背后的数值；尚未计算时为 null。"))

    class Meta:
        model = Target
        fields = [
            "id", "code", "plan", "city", "indicator", "indicator_code", "indicator_name", "unit", "sector",
            "kind", "comparator", "value", "target_year", "period_start", "baseline_year", "strive", "section",
            "source_text", "responsibilities", "status", "progress",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=ProgressSnapshot.Status.choices))
    def get_status(self, target: Target) -> str:
        snapshot = target.current_snapshot
        return snapshot.status if snapshot else ProgressSnapshot.Status.NO_DATA.value

    @extend_schema_field(ProgressSerializer(allow_null=True))
    def get_progress(self, target: Target) -> dict | None:
        snapshot = target.current_snapshot
        return ProgressSerializer(snapshot, context=self.context).data if snapshot else None
