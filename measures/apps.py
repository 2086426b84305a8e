from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("重点任务")

    def ready(self) -> None:
        from measures.plan_part import plan_measures_load
        from targets.plan_loader import plan_part_register

        plan_part_register(plan_measures_load)
