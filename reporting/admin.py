from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from config.change_sources import ChangeSource
from config.notes import NoteFormField
from reporting.models import Observation, ProgressSnapshot, TargetAssessment
from reporting.values import observation_input_clean


class ObservationAdminForm(forms.ModelForm):
    """Checks with the entry rules before save_model calls the service, so a bad period or
    note is a message on its field, not an error page."""

    note = NoteFormField(required=False, widget=forms.Textarea)

    class Meta:
        model = Observation
        fields = ["indicator", "period", "value", "note", "is_demo"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what ModelForm.clean returns; typed here without its "or None"
        period = data.get("period", self.instance.period if self.instance.pk else None)
        if self.errors:
            return data
        try:
            cleaned = observation_input_clean(period=period, value=data.get("value"), note=data.get("note", ""))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            data["note"] = cleaned.note
        return data


class TargetAssessmentAdminForm(forms.ModelForm):
    note = NoteFormField(widget=forms.Textarea)

    class Meta:
        model = TargetAssessment
        fields = ["target", "verdict", "note"]


@admin.register(Observation)
class ObservationAdmin(SimpleHistoryAdmin):
    form = ObservationAdminForm
    list_display = ["indicator", "period", "value", "is_demo", "entered_by", "entered_at"]
    list_filter = ["indicator__city", "indicator__sector", "is_demo", "indicator__targets__plan"]
    search_fields = ["indicator__name", "indicator__code", "period", "note"]
    list_select_related = ["indicator__city", "entered_by"]
    autocomplete_fields = ["indicator"]
    readonly_fields = ["entered_by", "entered_at", "period_end"]

    def get_readonly_fields(self, request, obj=None):
        # The period is the natural key: changing it would be a different observation.
        return [*self.readonly_fields, "indicator", "period"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        # Admin edits go through the same service as every other entry path.
        from reporting.services import observation_record

        result = observation_record(
            indicator=obj.indicator,
            period=obj.period,
            value=obj.value,
            note=obj.note,
            is_demo=obj.is_demo,  # the form's box: editing a demo row keeps it a demo row
            user=request.user,
            source=ChangeSource.ADMIN,
        )
        obj.pk = result.observation.pk


@admin.register(TargetAssessment)
class TargetAssessmentAdmin(SimpleHistoryAdmin):
    form = TargetAssessmentAdminForm
    list_display = ["target", "verdict", "assessed_by", "assessed_at"]
    list_filter = ["target__plan__city", "target__plan", "target__indicator__sector", "verdict"]
    search_fields = ["target__code", "target__indicator__name", "note"]
    autocomplete_fields = ["target"]
    readonly_fields = ["assessed_by", "assessed_at"]

    def save_model(self, request, obj, form, change):
        from reporting.services import target_assess

        saved = target_assess(
            target=obj.target, verdict=obj.verdict, note=obj.note, user=request.user, source=ChangeSource.ADMIN
        )
        obj.pk = saved.pk


@admin.register(ProgressSnapshot)
class ProgressSnapshotAdmin(admin.ModelAdmin):
    """Computed by the engine: read-only, so every figure traces back to its inputs."""

    list_display = ["target", "status", "latest_value", "latest_period", "progress_pct", "warning_level", "computed_at"]
    list_filter = ["target__plan__city", "target__plan", "target__indicator__sector", "status", "warning_level"]
    search_fields = ["target__code", "target__indicator__name"]
    list_select_related = ["target__indicator__city"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
