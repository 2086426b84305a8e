from django.contrib import admin

from jobs.models import BackgroundJob


@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "status", "owner", "done", "total", "finished_at")
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in BackgroundJob._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
