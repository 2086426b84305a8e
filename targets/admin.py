"""Admin for what the plans promise. History is visible on every edited model."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from targets.models import (
    Bureau,
    City,
    CitySetup,
    Indicator,
    IndicatorReporting,
    Plan,
    Sector,
    Target,
    TargetResponsibility,
)


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code"]
    search_fields = ["name", "name_en", "code"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "position"]
    list_editable = ["position"]
    search_fields = ["name", "name_en", "code"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    change_list_template = "admin/targets/plan/change_list.html"
    list_display = ["title", "document_number", "city", "kind", "issued"]
    list_filter = ["city", "kind"]
    search_fields = ["title", "title_en", "document_number"]
    date_hierarchy = "issued"

    def get_urls(self):
        from django.urls import path

        from targets.admin_draft import plan_draft_view
        from targets.admin_upload import plan_upload_view

        upload = path("upload/", self.admin_site.admin_view(plan_upload_view), name="targets_plan_upload")
        draft = path("draft/", self.admin_site.admin_view(plan_draft_view), name="targets_plan_draft")
        return [upload, draft, *super().get_urls()]


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "city", "kind"]
    list_filter = ["city", "kind"]
    search_fields = ["name", "name_en", "aliases"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "city", "unit", "direction", "nature", "sector"]
    list_filter = ["city", "sector", "nature", "direction"]
    search_fields = ["name", "name_en", "code"]
    list_select_related = ["city", "sector"]


class TargetResponsibilityInline(admin.TabularInline):
    model = TargetResponsibility
    extra = 0
    autocomplete_fields = ["bureau"]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["code", "indicator", "plan", "kind", "comparator", "value", "target_year", "strive", "section"]
    list_filter = [
        "plan__city",
        "plan",
        "indicator__sector",
        "kind",
        "target_year",
        "strive",
        ("responsibilities__bureau", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["code", "indicator__name", "indicator__code", "source_text", "section"]
    list_select_related = ["plan__city", "indicator__city"]
    autocomplete_fields = ["indicator"]
    inlines = [TargetResponsibilityInline]


@admin.register(CitySetup)
class CitySetupAdmin(SimpleHistoryAdmin):
    """A city's own reporting set-up (fixtures/cities/); reloading the file overwrites edits."""

    list_display = [
        "city",
        "coordinating_bureau",
        "review_required",
        "first_year",
        "annual_due_month",
        "annual_due_day",
    ]
    list_select_related = ["city", "coordinating_bureau"]
    autocomplete_fields = ["coordinating_bureau"]


@admin.register(IndicatorReporting)
class IndicatorReportingAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "bureau", "frequency", "basis", "reason"]
    list_filter = ["indicator__city", "frequency", "basis", ("bureau", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["indicator__name", "indicator__code", "bureau__name", "reason"]
    list_select_related = ["indicator__city", "bureau"]
    autocomplete_fields = ["indicator", "bureau"]
