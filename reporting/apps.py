from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("数据报送与进展")

    def ready(self) -> None:
        from reporting import import_jobs  # imports models, so not before the app registry is ready

        import_jobs.register()
