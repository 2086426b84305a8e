from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "Exports and reports"

    def ready(self) -> None:
        from reports import report_jobs  # imports models, so not before the app registry is ready

        report_jobs.register()
