"""Creating and running background jobs, and their progress. Queuing is in jobs.queue."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobs.models import BackgroundJob, StashedUpload
from jobs.registry import JobFailed, JobResult, job_kind

logger = logging.getLogger(__name__)
PROGRESS_SECONDS = 24 * 3600
KEEP_FOR = timedelta(days=7)
Status = BackgroundJob.Status


def params_key(*, kind: str, params: dict[str, Any], language: str) -> str:
    canonical = json.dumps({"kind": kind, "params": params, "language": language}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def job_create(
    *,
    kind: str,
    params: dict[str, Any],
    owner: Any,
    data_version: str = "",
    source: tuple[bytes, str] | None = None,
) -> BackgroundJob:
    """A queued job; `source` is an input file (bytes, name) kept in the default storage."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    job = BackgroundJob(
        kind=kind,
        params=params,
        params_key=params_key(kind=kind, params=params, language=language),
        data_version=data_version,
        language=language,
        owner=owner if getattr(owner, "is_authenticated", False) else None,
    )
    if source is not None:
        raw, name = source
        job.source_name = name[:255]
        job.source.save("upload", ContentFile(raw), save=False)
    job.save()
    return job


def _progress_key(job_id: Any) -> str:
    return f"job-progress:{job_id}"


def job_progress_set(*, job_id: Any, done: int, total: int, stage: str = "") -> None:
    """Record progress where the status page can read it. Inside the import's transaction a row
    update would stay invisible until the end, so progress also goes to the shared cache; a
    cache that is down only costs the live figure, never the job."""
    done = min(done, total)
    try:
        cache.set(_progress_key(job_id), {"done": done, "total": total, "stage": stage}, PROGRESS_SECONDS)
    except Exception:
        logger.warning("Could not write job progress to the cache", exc_info=True)
    if not connection.in_atomic_block:
        BackgroundJob.objects.filter(pk=job_id).update(done=done, total=total, stage=stage)


def job_progress_get(job: BackgroundJob) -> tuple[int, int, str]:
    """The latest progress of a running job: the cache's live figure if it is ahead of the row."""
    if job.status == Status.RUNNING:
        try:
            live = cache.get(_progress_key(job.pk))
        except Exception:
            live = None
        if live and live["total"] and (live["done"] > job.done or not job.total):
            return live["done"], live["total"], live["stage"]
    return job.done, job.total, job.stage


def job_run(*, job_id: Any) -> None:
    """Run a queued job (or one whose worker died mid-run: the work is all-or-nothing, so
    running it again is safe). A finished job is left alone, so a redelivered task does nothing."""
    job = BackgroundJob.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        logger.info("Job %s is gone or finished; nothing to run", job_id)
        return
    job.status, job.started_at = Status.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])

    def progress(done: int, total: int, stage: str = "") -> None:
        job_progress_set(job_id=job.pk, done=done, total=total, stage=stage)

    with translation.override(job.language):
        try:
            result = job_kind(job.kind).run(job, progress)
        except JobFailed as failure:
            _finish(job, Status.FAILED, JobResult(message=failure.message, outcome=failure.outcome))
        except SoftTimeLimitExceeded:
            _finish(job, Status.FAILED, JobResult(message=_("任务运行时间超过上限，已停止，未保存任何数据。")))
        except Exception:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            message = _("任务因内部错误失败，未保存任何数据。错误已记录，请稍后重试或联系管理员。")
            _finish(job, Status.FAILED, JobResult(message=message))
        else:
            _finish(job, Status.DONE, result)


def _finish(job: BackgroundJob, status: str, result: JobResult) -> None:
    job.status, job.finished_at = status, timezone.now()
    job.message, job.outcome = result.message, result.outcome
    if status == Status.DONE:
        # The last progress may only have reached the cache (inside the work's transaction).
        live_total = job_progress_get(BackgroundJob(pk=job.pk, status=Status.RUNNING))[1]
        job.done = job.total = result.total or max(job.total, live_total, 1)
        job.stage = ""
    if result.content is not None:
        job.result_name, job.result_type = result.file_name, result.content_type
        job.result.save(result.file_name, ContentFile(result.content), save=False)
    job.save()


def jobs_prune(*, older_than: timedelta = KEEP_FOR) -> int:
    """Delete finished jobs and forgotten stashes older than `older_than`, with their files;
    a result file shared by a job that stays is kept. Returns how many jobs were deleted."""
    cutoff = timezone.now() - older_than
    old = BackgroundJob.objects.filter(created_at__lt=cutoff, status__in=[Status.DONE, Status.FAILED])
    staying = BackgroundJob.objects.exclude(pk__in=old.values("pk")).exclude(result="")
    kept = set(staying.values_list("result", flat=True))
    count = 0
    for job in old.iterator():
        if job.result and job.result.name not in kept:
            job.result.delete(save=False)
        if job.source:
            job.source.delete(save=False)
        job.delete()
        count += 1
    for stash in StashedUpload.objects.filter(created_at__lt=cutoff):
        stash.file.delete(save=False)
        stash.delete()
    return count
