"""What happened: observations of indicators entered by bureau staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from targets.models import Indicator


class Observation(models.Model):
    """An indicator's value for one period. `period` is a year (2023), a quarter (2023-Q2) or a
    month (2023-06); `period_end` is the period's last day, used for ordering and the engine."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="observations", verbose_name=_("指标")
    )
    period = models.CharField(_("期间"), max_length=10)
    period_end = models.DateField(_("期末日期"))
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=6, null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("填报人"),
    )
    entered_at = models.DateTimeField(_("填报时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("观测值")
        verbose_name_plural = _("观测值")
        ordering = ["indicator", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="observation_unique_period"),
            # A qualitative indicator's assessment may be a note alone; a number needs a value.
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(note=""), name="observation_has_value_or_note"
            ),
        ]
        indexes = [models.Index(fields=["indicator", "period_end"], name="observation_by_time")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period} = {self.value}"
