"""What the plans will do: measures, who is responsible, and their status reports."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from measures.querysets import MeasureQuerySet
from targets.models import Plan, Responsibility, Sector, Target


class Measure(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="measures", verbose_name=_("规划"))
    section = models.CharField(_("条款"), max_length=50)
    title = models.CharField(_("标题"), max_length=300)
    text = models.TextField(_("内容"))
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="measures", verbose_name=_("领域"))
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    deadline_source = models.CharField(_("时限原文"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级任务")
    )
    position = models.PositiveIntegerField(_("排序"), default=0)
    bureaus = models.ManyToManyField(
        "targets.Bureau", through="MeasureResponsibility", related_name="measures", verbose_name=_("责任单位")
    )
    targets = models.ManyToManyField(Target, through="MeasureTarget", related_name="measures", verbose_name=_("目标"))
    history = HistoricalRecords(excluded_fields=["position"])

    objects = MeasureQuerySet.as_manager()
    deadline_state: str  # set on loaded rows by the measure selectors

    class Meta:
        verbose_name = _("重点任务")
        verbose_name_plural = _("重点任务")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "section"], name="measure_unique_section_per_plan")]
        # Pages across cities count the measures past or near their deadline (a few hundred of
        # 14,000 at 300 cities): found by this index instead of a scan of every measure.
        indexes = [models.Index(fields=["deadline"], name="measure_deadline")]

    def __str__(self) -> str:
        return f"{self.section} {self.title}"


class MeasureResponsibility(Responsibility):
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("任务")
    )

    class Meta(Responsibility.Meta):
        verbose_name = _("任务责任单位")
        verbose_name_plural = _("任务责任单位")
        constraints = [
            models.UniqueConstraint(fields=["measure", "bureau"], name="measure_responsibility_unique"),
            models.UniqueConstraint(fields=["measure"], condition=Q(role="lead"), name="measure_single_lead"),
        ]

    def __str__(self) -> str:
        return f"{self.bureau}（{self.get_role_display()}）"


class MeasureTarget(models.Model):
    """A target stated inside a measure's text, or served by it."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="target_links", verbose_name=_("任务"))
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="measure_links", verbose_name=_("目标"))

    class Meta:
        verbose_name = _("任务关联目标")
        verbose_name_plural = _("任务关联目标")
        constraints = [models.UniqueConstraint(fields=["measure", "target"], name="measure_target_unique")]

    def __str__(self) -> str:
        return f"{self.measure.section} → {self.target.code}"


class MeasureStatus(models.Model):
    """The vocabulary of measure statuses is data, so a city can rename or add one."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    is_completed = models.BooleanField(_("视为完成"), default=False)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("任务状态")
        verbose_name_plural = _("任务状态")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class MeasureUpdate(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="updates", verbose_name=_("任务"))
    status = models.ForeignKey(MeasureStatus, on_delete=models.PROTECT, related_name="+", verbose_name=_("状态"))
    percent_complete = models.PositiveSmallIntegerField(_("完成百分比"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="measure_updates", verbose_name=_("填报人")
    )
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    history = HistoricalRecords()
    _history_user: Any  # who made the change, read by django-simple-history on save
    source: str  # where it came from, set by measures.list_selectors.measure_detail from the history row
    _change_reason: str  # why, read by django-simple-history on save

    class Meta:
        verbose_name = _("任务进展")
        verbose_name_plural = _("任务进展")
        ordering = ["measure", "-created_at"]
        get_latest_by = "created_at"
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__isnull=True) | Q(percent_complete__lte=100),
                name="measure_update_percent_0_100",
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure.section}: {self.status}"


class DeadlineReminder(models.Model):
    """A deadline reminder that was sent, so each stage is sent once per deadline."""

    class Stage(models.TextChoices):
        DAYS_30 = "30d", _("30天前")
        DAYS_7 = "7d", _("7天前")
        DAYS_1 = "1d", _("1天前")
        OVERDUE = "overdue", _("已逾期")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("任务"))
    stage = models.CharField(_("提醒阶段"), max_length=10, choices=Stage.choices)
    # A moved deadline starts the stages afresh.
    deadline = models.DateField(_("完成时限"))
    recipients = models.PositiveIntegerField(_("收件人数"), default=0)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("时限提醒")
        verbose_name_plural = _("时限提醒")
        constraints = [models.UniqueConstraint(fields=["measure", "stage", "deadline"], name="reminder_once_per_stage")]

    def __str__(self) -> str:
        return f"{self.measure.section} {self.stage}"
