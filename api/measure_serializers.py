"""Serializers for measures, their status vocabulary and their updates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.display import entered_by_label
from api.fields import NoteField
from api.reference_serializers import CITY_CODE, ResponsibilitySerializer, viewer_of
from measures.deadlines import DeadlineState, deadline_state
from measures.models import Measure, MeasureStatus, MeasureUpdate
from targets.models import Plan, Sector

if TYPE_CHECKING:
    from measures.selectors import MeasureWithLatest

STATUS_CODE = _("任务状态代码，见 /api/v1/measure-statuses/。")
DEADLINE_STATES = DeadlineState.choices


class LatestUpdateSerializer(serializers.Serializer):
    status = serializers.CharField(help_text=STATUS_CODE)
    status_name = serializers.CharField()
    is_completed = serializers.BooleanField()
    percent_complete = serializers.IntegerField(allow_null=True, min_value=0, max_value=100)
    created_at = serializers.DateTimeField()


class MeasureSerializer(serializers.ModelSerializer):
    plan: serializers.SlugRelatedField[Plan] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=_("规划代码。")
    )
    city = serializers.CharField(source="plan.city.code", read_only=True, help_text=CITY_CODE)
    sector: serializers.SlugRelatedField[Sector] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=_("领域代码。")
    )
    responsibilities = ResponsibilitySerializer(many=True, read_only=True)
    targets = serializers.SerializerMethodField(help_text=_("该任务关联的目标编号。"))
    deadline_state = serializers.SerializerMethodField(
        help_text=_("overdue：已过时限且未完成；due_soon：60天内到期且未完成；其余为 null。")
    )
    latest_update = serializers.SerializerMethodField(help_text=_("最近一次进展填报；没有时为 null。"))
    can_report = serializers.BooleanField(read_only=True, help_text=_("当前用户能否填报该任务的进展。"))

    class Meta:
        model = Measure
        fields = [
            "id", "plan", "city", "section", "title", "text", "sector", "parent", "deadline", "deadline_source",
            "deadline_state", "responsibilities", "targets", "latest_update", "can_report",
        ]  # fmt: skip
        read_only_fields = fields

    def get_targets(self, measure: Measure) -> list[int]:
        return [link.target_id for link in measure.target_links.all()]

    @extend_schema_field(serializers.ChoiceField(choices=DEADLINE_STATES, allow_null=True))
    def get_deadline_state(self, measure: MeasureWithLatest) -> str | None:
        today = self.context.get("today") or timezone.localdate()
        return deadline_state(measure.deadline, bool(measure.latest_completed), today) or None

    @extend_schema_field(LatestUpdateSerializer(allow_null=True))
    def get_latest_update(self, measure: MeasureWithLatest) -> dict | None:
        if measure.latest_update_at is None:  # no update (every update has a time and a status)
            return None
        return {
            "status": measure.latest_status,
            "status_name": measure.latest_status_name,
            "is_completed": bool(measure.latest_completed),
            "percent_complete": measure.latest_percent,
            "created_at": serializers.DateTimeField().to_representation(measure.latest_update_at),
        }


class MeasureStatusSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeasureStatus
        fields = ["code", "name", "name_en", "is_completed", "position"]


class MeasureUpdateSerializer(serializers.ModelSerializer):
    status: serializers.SlugRelatedField[MeasureStatus] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    status_name = serializers.CharField(source="status.name", read_only=True)
    created_by = serializers.SerializerMethodField(help_text=_("填报人用户名（匿名访问时为填报单位）。"))

    class Meta:
        model = MeasureUpdate
        fields = ["id", "measure", "status", "status_name", "percent_complete", "note", "created_by", "created_at"]
        read_only_fields = fields

    def get_created_by(self, update: MeasureUpdate) -> str | None:
        return entered_by_label(update.created_by, viewer=viewer_of(self))


class MeasureUpdateCreateSerializer(serializers.Serializer):
    # Transport only: the fields' types. measures.services.measure_update_record decides who
    # may report, then checks the percentage and the note as on the entry form.

    measure = serializers.PrimaryKeyRelatedField(queryset=Measure.objects.all(), help_text=_("任务编号。"))
    status = serializers.SlugRelatedField(
        slug_field="code", queryset=MeasureStatus.objects.all(), help_text=STATUS_CODE
    )
    percent_complete = serializers.IntegerField(
        allow_null=True, default=None, help_text=_("0到100；状态为已完成且未填写时记为100。")
    )
    note = NoteField(default="")
