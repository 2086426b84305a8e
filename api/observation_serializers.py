"""Serializers for observations: reading them, and recording one."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.reference_serializers import CITY_CODE
from reporting.models import Observation
from reporting.periods import parse_period
from reporting.services import parse_value
from targets.models import Indicator


class ObservationSerializer(serializers.ModelSerializer):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    city = serializers.CharField(source="indicator.city.code", read_only=True, help_text=CITY_CODE)
    entered_by = serializers.SerializerMethodField(help_text=_("填报人用户名；导入或演示数据可能为空。"))

    class Meta:
        model = Observation
        fields = [
            "id", "indicator", "indicator_code", "city", "period", "period_end", "value", "note", "is_demo",
            "entered_by", "entered_at", "status", "submitted_at", "review_note", "batch",
        ]  # fmt: skip
        read_only_fields = fields

    def get_entered_by(self, observation: Observation) -> str | None:
        return observation.entered_by.get_username() if observation.entered_by else None


class RecordedObservationSerializer(ObservationSerializer):
    recompute_queued = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text=_("false：数据已保存，但后台计算服务暂时不可用，状态将在夜间补算。"),
    )

    class Meta(ObservationSerializer.Meta):
        fields = [*ObservationSerializer.Meta.fields, "recompute_queued"]
        read_only_fields = fields


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "string", "maxLength": 40}], "nullable": True})
class ReportedValueField(serializers.Field):
    """A number as typed on the entry page: a JSON number, or text such as "1,234.5"."""

    MAX_LENGTH = 40  # as on the entry form
    default_error_messages = {
        "invalid": _("数值应为数字或文本。"),
        "max_length": _("数值最多{max_length}个字符。"),
    }

    def to_internal_value(self, data: object) -> object:
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("invalid")
        if isinstance(data, str) and len(data) > self.MAX_LENGTH:
            self.fail("max_length", max_length=self.MAX_LENGTH)
        try:
            parse_value(data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        return data

    def to_representation(self, value: object) -> object:
        return value


class ObservationCreateSerializer(serializers.Serializer):
    # Checked with the entry page's rules (parse_period, parse_value);
    # reporting.services.observation_record decides who may report and checks the rest (a
    # value or a note is required).

    indicator = serializers.PrimaryKeyRelatedField(queryset=Indicator.objects.all(), help_text=_("指标编号。"))
    period = serializers.CharField(max_length=10, help_text=_("年份（2023）、季度（2023-Q2）或月份（2023-06）"))
    value = ReportedValueField(required=False, allow_null=True, help_text=_("数值；定性指标可留空并在说明中填写评估。"))
    note = serializers.CharField(allow_blank=True, default="")

    def validate_period(self, period: str) -> str:
        # The service checks it again; checking here too reports every bad field at once.
        try:
            parse_period(period)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        return period
