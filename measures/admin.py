from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from config.change_sources import ChangeSource
from config.notes import NoteFormField
from measures.models import (
    DeadlineReminder,
    Measure,
    MeasureResponsibility,
    MeasureStatus,
    MeasureTarget,
    MeasureUpdate,
)
from measures.services import measure_update_check


class MeasureUpdateAdminForm(forms.ModelForm):
    """The entry rules (completed means 100 %, the note's limits) as field messages here,
    before save_model calls the service."""

    note = NoteFormField(required=False, widget=forms.Textarea)

    class Meta:
        model = MeasureUpdate
        fields = ["measure", "status", "percent_complete", "note"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what ModelForm.clean returns; typed here without its "or None"
        if self.errors or data.get("status") is None:
            return data
        try:
            percent, note = measure_update_check(
                status=data["status"], percent_complete=data.get("percent_complete"), note=data.get("note", "")
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            data["percent_complete"], data["note"] = percent, note
        return data


class MeasureResponsibilityInline(admin.TabularInline):
    model = MeasureResponsibility
    extra = 0
    autocomplete_fields = ["bureau"]


class MeasureTargetInline(admin.TabularInline):
    model = MeasureTarget
    extra = 0
    autocomplete_fields = ["target"]


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["section", "title", "plan", "sector", "deadline"]
    list_filter = [
        "plan__city",
        "plan",
        "sector",
        ("responsibilities__bureau", admin.RelatedOnlyFieldListFilter),
        "deadline",
    ]
    search_fields = ["section", "title", "text"]
    list_select_related = ["plan__city", "sector"]
    raw_id_fields = ["parent"]
    inlines = [MeasureResponsibilityInline, MeasureTargetInline]


@admin.register(MeasureStatus)
class MeasureStatusAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "is_completed", "position"]
    list_editable = ["position"]


@admin.register(MeasureUpdate)
class MeasureUpdateAdmin(SimpleHistoryAdmin):
    form = MeasureUpdateAdminForm
    list_display = ["measure", "status", "percent_complete", "created_by", "created_at"]
    list_filter = [
        "measure__plan__city",
        "measure__plan",
        "measure__sector",
        ("measure__responsibilities__bureau", admin.RelatedOnlyFieldListFilter),
        "status",
    ]
    search_fields = ["measure__section", "measure__title", "note"]
    list_select_related = ["measure__plan", "status", "created_by"]
    autocomplete_fields = ["measure"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if change:
            obj._history_user = request.user
            obj._change_reason = ChangeSource.ADMIN
            super().save_model(request, obj, form, change)
            return
        from measures.services import measure_update_record

        saved = measure_update_record(
            measure=obj.measure,
            status=obj.status,
            percent_complete=obj.percent_complete,
            note=obj.note,
            user=request.user,
            source=ChangeSource.ADMIN,
        )
        obj.pk = saved.pk


@admin.register(DeadlineReminder)
class DeadlineReminderAdmin(admin.ModelAdmin):
    list_display = ["measure", "stage", "deadline", "recipients", "sent_at"]
    list_filter = ["measure__plan__city", "stage"]
    search_fields = ["measure__section", "measure__title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
