"""Serializers for observations: reading them, and recording one."""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.display import entered_by_label
from api.fields import NoteField
from api.reference_serializers import CITY_CODE, viewer_of
from reporting.models import Observation
from reporting.values import NOTE_MAX_LENGTH, VALUE_MAX_LENGTH
from targets.models import Indicator


class ObservationSerializer(serializers.ModelSerializer):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    city = serializers.CharField(source="indicator.city.code", read_only=True, help_text=CITY_CODE)
    entered_by = serializers.SerializerMethodField(
        help_text=_("填报人用户名（匿名访问时为填报单位）；导入或演示数据可能为空。")
    )

    class Meta:
        model = Observation
        fields = [
            "id", "indicator", "indicator_code", "city", "period", "period_end", "value", "note", "is_demo",
            "entered_by", "entered_at", "status", "submitted_at", "review_note", "batch",
        ]  # fmt: skip
        read_only_fields = fields

    def get_entered_by(self, observation: Observation) -> str | None:
        return entered_by_label(observation.entered_by, viewer=viewer_of(self))


class RecordedObservationSerializer(ObservationSerializer):
    """The recorded observation, with whether its recompute was queued (the service's
    RecordResult.recompute_queued, passed in the context as `recompute_queued`)."""

    recompute_queued = serializers.SerializerMethodField(
        help_text=_("false：数据已保存，但后台计算服务暂时不可用，状态将在夜间补算。")
    )

    class Meta(ObservationSerializer.Meta):
        fields = [*ObservationSerializer.Meta.fields, "recompute_queued"]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_recompute_queued(self, observation: Observation) -> bool | None:
        return self.context.get("recompute_queued")


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "string", "maxLength": 40}], "nullable": True})
class ReportedValueField(serializers.Field):
    """A number as typed on the entry page: a JSON number, or text such as "1,234.5", passed on
    as typed; the service reads it with the entry page's rule (reporting.values.parse_value)."""

    MAX_LENGTH = VALUE_MAX_LENGTH
    default_error_messages = {"invalid": _("数值应为数字或文本。")}

    def to_internal_value(self, data: object) -> object:
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("invalid")
        return data

    def to_representation(self, value: object) -> object:
        return value


class ObservationCreateSerializer(serializers.Serializer):
    # Transport only: the fields' types. reporting.services.observation_record decides who may
    # report, then reads the period, value and note with the entry page's rules and reports
    # every bad field at once.

    indicator = serializers.PrimaryKeyRelatedField(
        queryset=Indicator.objects.select_related("city"), help_text=_("指标编号。")
    )
    period = serializers.CharField(
        max_length=20, trim_whitespace=False, help_text=_("年份（2023）、季度（2023-Q2）或月份（2023-06）")
    )
    value = ReportedValueField(default=None, allow_null=True, help_text=_("数值；定性指标可留空并在说明中填写评估。"))
    note = NoteField(default="", help_text=format_lazy(_("说明，最多{n}个字符。"), n=NOTE_MAX_LENGTH))
