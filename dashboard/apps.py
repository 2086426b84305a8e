from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Every model whose rows a dashboard shows: a save or delete starts a new data version.
SHOWN_MODELS = (
    "targets.City", "targets.Plan", "targets.Sector", "targets.Bureau", "targets.Indicator", "targets.Target",
    "targets.TargetResponsibility", "targets.CitySetup", "targets.IndicatorReporting",
    "measures.Measure", "measures.MeasureResponsibility", "measures.MeasureTarget",
    "measures.MeasureStatus", "measures.MeasureUpdate", "reporting.Observation", "reporting.TargetAssessment",
    "reporting.ProgressSnapshot",
)  # fmt: skip


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("看板")

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from config.data_version import data_changed

        for label in SHOWN_MODELS:
            model = apps.get_model(label)
            post_save.connect(data_changed, sender=model, dispatch_uid=f"data-version-save-{label}")
            post_delete.connect(data_changed, sender=model, dispatch_uid=f"data-version-delete-{label}")
