from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("数据报送与进展")

    def ready(self) -> None:
        from reporting import import_jobs  # imports models, so not before the app registry is ready

        import_jobs.register()

        from django.db.models.signals import post_delete

        from reporting.status_counts import target_deleted
        from targets.models import Target

        post_delete.connect(target_deleted, sender=Target, dispatch_uid="status-counts-target-deleted")
