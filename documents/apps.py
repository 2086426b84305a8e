from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = "Documents: exports and the annual report"

    def ready(self) -> None:
        from documents import report_jobs  # imports models, so not before the app registry is ready

        report_jobs.register()
