"""What happened: observations of indicators entered by bureau staff."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reporting.periods import CANONICAL_PERIOD
from reporting.querysets import ObservationQuerySet, PerTargetQuerySet
from reporting.statuses import ProgressStatus
from targets.models import Indicator


class Observation(models.Model):
    """An indicator's value for one period. `period` is a year (2023), a quarter (2023-Q2) or a
    month (2023-06); `period_end` is the period's last day, used for ordering and the engine.

    In a city that reviews entries (CitySetup.review_required) a staff entry is `submitted`
    until its city's coordinating office approves it or returns it with a note; only approved
    values count. Each transition is a history row carrying who and when."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("已发布")
        RETURNED = "returned", _("已退回")

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
    # When a value for this period was first submitted: what "on time" is measured by.
    submitted_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)
    status = models.CharField(_("审核状态"), max_length=10, choices=Status.choices, default=Status.APPROVED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_observations",
        verbose_name=_("审核人"),
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    # The upload a value came from, so a reviewer can approve an import at once.
    batch = models.CharField(_("导入批次"), max_length=36, blank=True, db_index=True)
    history = HistoricalRecords()
    _history_user: Any  # who made the change, read by django-simple-history on save
    _change_reason: str  # why, read by django-simple-history on save
    recompute_queued: bool | None  # set by observation_record

    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("观测值")
        verbose_name_plural = _("观测值")
        ordering = ["indicator", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="observation_unique_period"),
            # Only canonical ASCII labels, so the unique constraint above means one row per
            # period: ２０２２ or ٢٠٢٢ can never sit beside 2022 as another period.
            models.CheckConstraint(condition=Q(period__regex=CANONICAL_PERIOD), name="observation_period_canonical"),
            # A qualitative indicator's assessment may be a note alone; a number needs a value.
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(note=""), name="observation_has_value_or_note"
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "period_end"], name="observation_by_time"),
            # The demo banner asks on every page whether any demo row exists: with no demo rows
            # (production) this partial index is empty, so the answer costs nothing.
            models.Index(fields=["indicator"], condition=Q(is_demo=True), name="observation_demo_rows"),
            models.Index(fields=["status", "indicator"], name="observation_by_status"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period} = {self.value}"


class ReportingReminder(models.Model):
    """A late-data reminder that was sent, so each stage is sent once per indicator and period."""

    class Stage(models.TextChoices):
        DAYS_7 = "7d", _("7天前")
        OVERDUE = "overdue", _("已逾期")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="reporting_reminders", verbose_name=_("指标")
    )
    period = models.CharField(_("期间"), max_length=10)
    stage = models.CharField(_("提醒阶段"), max_length=10, choices=Stage.choices)
    due = models.DateField(_("报送截止日"))
    recipients = models.PositiveIntegerField(_("收件人数"), default=0)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("报送提醒")
        verbose_name_plural = _("报送提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "stage", "due"], name="reporting_reminder_once_per_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period} {self.stage}"


class TargetAssessment(models.Model):
    """A person's judgement of a qualitative target (完成省下达任务, 零填埋, ...)."""

    class Verdict(models.TextChoices):
        ACHIEVED = "achieved", _("已实现")
        MISSED = "missed", _("未完成")
        ON_TRACK = "on_track", _("按计划推进")
        NEEDS_ACCELERATION = "needs_acceleration", _("需加快")
        OFF_TRACK = "off_track", _("进度滞后")

    target = models.ForeignKey(
        "targets.Target", on_delete=models.PROTECT, related_name="assessments", verbose_name=_("目标")
    )
    verdict = models.CharField(_("评估结论"), max_length=20, choices=Verdict.choices)
    note = models.TextField(_("评估说明"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("评估人")
    )
    assessed_at = models.DateTimeField(_("评估时间"), auto_now_add=True)
    history = HistoricalRecords()
    _history_user: Any  # who made the change, read by django-simple-history on save
    _change_reason: str  # why, read by django-simple-history on save

    objects = PerTargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("定性目标评估")
        verbose_name_plural = _("定性目标评估")
        ordering = ["target", "assessed_at"]
        get_latest_by = "assessed_at"

    def __str__(self) -> str:
        return f"{self.target.code}: {self.get_verdict_display()}"


class ProgressSnapshot(models.Model):
    """The engine's result for a target at the time it was computed. A new row is written only
    when a result differs from the target's previous one, so the rows are its status history."""

    Status = ProgressStatus

    target = models.ForeignKey(
        "targets.Target", on_delete=models.CASCADE, related_name="snapshots", verbose_name=_("目标")
    )
    computed_at = models.DateTimeField(_("计算时间"), db_index=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices)
    latest_value = models.FloatField(_("最新值"), null=True, blank=True)
    latest_period = models.CharField(_("最新期间"), max_length=10, blank=True)
    baseline_value = models.FloatField(_("基准值"), null=True, blank=True)
    target_level = models.FloatField(_("目标水平"), null=True, blank=True)
    progress_pct = models.FloatField(_("已完成进度%"), null=True, blank=True)
    expected_pct = models.FloatField(_("应完成进度%"), null=True, blank=True)
    gap = models.FloatField(_("差距"), null=True, blank=True)
    actual_rate = models.FloatField(_("实际年均变化"), null=True, blank=True)
    required_rate = models.FloatField(_("所需年均变化"), null=True, blank=True)
    rate_basis = models.CharField(_("速率口径"), max_length=10, blank=True)
    ratio = models.FloatField(_("进度比"), null=True, blank=True)
    projected_value = models.FloatField(_("目标年预测值"), null=True, blank=True)
    warning_level = models.PositiveSmallIntegerField(_("预警等级"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    objects = PerTargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("进展快照")
        verbose_name_plural = _("进展快照")
        ordering = ["target", "-computed_at"]
        get_latest_by = "computed_at"
        indexes = [models.Index(fields=["target", "-id"], name="snapshot_latest_per_target")]

    def __str__(self) -> str:
        return f"{self.target_id} {self.status} @ {self.computed_at:%Y-%m-%d %H:%M}"


class CityStatusCount(models.Model):
    """How many of a city's quantified targets of a target year stand at a status, as of the
    latest snapshots: rewritten for the cities a recompute touched, in the recompute's
    transaction (reporting.status_counts), so that pages across 300 cities read a few rows per
    city instead of every target's latest snapshot. Targets without a snapshot are not counted
    here: they are the city's targets less these (no data)."""

    city = models.ForeignKey("targets.City", on_delete=models.CASCADE, related_name="+", verbose_name=_("城市"))
    target_year = models.PositiveSmallIntegerField(_("目标年"))
    status = models.CharField(_("状态"), max_length=20, choices=ProgressStatus.choices)
    targets = models.PositiveIntegerField(_("目标数"))

    class Meta:
        verbose_name = _("城市目标状态计数")
        verbose_name_plural = _("城市目标状态计数")
        constraints = [
            models.UniqueConstraint(fields=["city", "target_year", "status"], name="one_count_per_city_year_status")
        ]

    def __str__(self) -> str:
        return f"{self.city_id} {self.target_year} {self.status}: {self.targets}"


class SectorRanking(models.Model):
    """How the cities stand on one common indicator of a sector, as of the latest snapshots:
    the cities' headline targets on it (each city's first target at the indicator's first
    target year) counted by status, the leading and lagging ones, and those without a value.
    Rewritten by the recompute for the indicators whose targets it wrote (every one after a
    full recompute), in its transaction (reporting.sector_rankings), so that the sector page
    reads a row per indicator instead of ranking 1,900 targets' latest snapshots at 300
    cities. Positions are indexes into the headline targets as the plan gives them
    (sector_rankings.sector_plan); `headlines` names that list, and a row whose list the plans
    no longer give is not read (the page ranks that indicator itself until a recompute writes
    the row again)."""

    sector = models.ForeignKey("targets.Sector", on_delete=models.CASCADE, related_name="+", verbose_name=_("领域"))
    code = models.CharField(_("指标代码"), max_length=80)
    headlines = models.CharField(_("排名目标"), max_length=32)
    counts = models.JSONField(_("各状态城市数"))  # status → cities
    best = models.PositiveIntegerField(_("排名第一"))  # the position of the best ranked
    # [position, status, latest value, its period, progress %] a row, the best first; a number
    # JSON cannot hold (infinite) as text
    leading = models.JSONField(_("领先"))
    lagging = models.JSONField(_("落后"))  # the same, the worst first
    not_reported = models.JSONField(_("尚未报送"))  # positions of targets without a value, in city order

    class Meta:
        verbose_name = _("领域指标排名")
        verbose_name_plural = _("领域指标排名")
        constraints = [models.UniqueConstraint(fields=["sector", "code"], name="one_ranking_per_sector_indicator")]

    def __str__(self) -> str:
        return f"{self.sector_id} {self.code}"
