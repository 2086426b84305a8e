from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reporting.models import Observation


@admin.register(Observation)
class ObservationAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "period", "value", "is_demo", "entered_by", "entered_at"]
    list_filter = ["indicator__city", "indicator__sector", "is_demo", "indicator__targets__plan"]
    search_fields = ["indicator__name", "indicator__code", "period", "note"]
    list_select_related = ["indicator__city", "entered_by"]
    autocomplete_fields = ["indicator"]
    readonly_fields = ["entered_by", "entered_at", "period_end"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        # Admin edits go through the same service as every other entry path.
        from reporting.services import observation_record

        observation_record(
            indicator=obj.indicator, period=obj.period, value=obj.value, note=obj.note, user=request.user
        )
