"""Work that leaves the request: a background job, and an upload waiting for its confirmation.

This app sits below every domain app: it imports none of them. What a job of a given kind does
is registered by the app that owns the work (jobs.registry), so reporting and documents depend on
jobs and never the other way round.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BackgroundJob(models.Model):
    """One piece of long work (an import, a PDF, an export) asked for by a user.

    The id is a random UUID, so a job's page and download cannot be guessed from another's.
    Progress is `done` of `total` units of the kind's own (rows for an import).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("类型"), max_length=40)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    # sha256 of kind, params and language: finds a finished job that can be handed out again
    params_key = models.CharField(max_length=64, db_index=True)
    data_version = models.CharField(max_length=64, blank=True)
    language = models.CharField(max_length=10, default="zh-hans")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    stage = models.CharField(max_length=100, blank=True)
    message = models.TextField(_("说明"), blank=True)
    outcome = models.JSONField(default=dict, blank=True)  # e.g. an import's counts and row problems
    # The broker could not be reached, so the job ran in a thread of the web process instead.
    ran_in_web_process = models.BooleanField(default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="background_jobs",
        verbose_name=_("申请人"),
    )
    source = models.FileField(upload_to="jobs/source/%Y/%m/", blank=True)
    source_name = models.CharField(max_length=255, blank=True)
    result = models.FileField(upload_to="jobs/result/%Y/%m/", blank=True)
    result_name = models.CharField(max_length=255, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_by_owner")]
        constraints = [
            models.CheckConstraint(condition=models.Q(done__lte=models.F("total")), name="job_done_within_total")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0


class StashedUpload(models.Model):
    """A file between its preview and its confirmation, kept in the default storage (MEDIA_ROOT).

    The session holds only this row's id; the confirmation must send back the sha256 of the
    previewed bytes, so what is stored is exactly what was previewed.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stashed_uploads")
    purpose = models.CharField(max_length=40)
    file = models.FileField(upload_to="stash/%Y/%m/")
    name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("待确认的上传文件")
        verbose_name_plural = _("待确认的上传文件")

    def __str__(self) -> str:
        return f"{self.purpose}: {self.name}"
