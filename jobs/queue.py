"""Handing jobs to the workers: the one place that talks to the broker for them.

In the embedded mode (no REDIS_URL, CELERY_TASK_ALWAYS_EAGER) the task runs in this process as
it is sent, so `make run` needs no Redis. With a broker that cannot be reached the job runs in a
thread of this process instead and its page says so: the request's work is never lost.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation

from jobs.models import BackgroundJob
from jobs.services import job_create, job_run, params_key
from jobs.tasks import run_job

logger = logging.getLogger(__name__)
Status = BackgroundJob.Status


def job_request(*, kind: str, params: dict[str, Any], owner: Any, data_version: str) -> BackgroundJob:
    """The job that answers this request: the requester's own for the same parameters and data
    (queued, running or done), or a finished one of another user's whose file is shared, or a
    new one, queued. Failed jobs are never handed out again."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = params_key(kind=kind, params=params, language=language)
    same = BackgroundJob.objects.filter(params_key=key, data_version=data_version, kind=kind)
    user = owner if getattr(owner, "is_authenticated", False) else None
    own = same.filter(owner=user).exclude(status=Status.FAILED).first()
    if own is not None:
        return own
    done = same.filter(status=Status.DONE).exclude(result="").first()
    if done is not None and done.result.name and done.result.storage.exists(done.result.name):
        # The same file again: jobs sharing a file are only pruned together (jobs_prune).
        return BackgroundJob.objects.create(
            kind=kind, params=params, params_key=key, data_version=data_version, language=language, owner=user,
            status=Status.DONE, done=done.total, total=done.total, message=done.message, outcome=done.outcome,
            result=done.result.name, result_name=done.result_name, result_type=done.result_type,
            started_at=timezone.now(), finished_at=timezone.now(),
        )  # fmt: skip
    job = job_create(kind=kind, params=params, owner=owner, data_version=data_version)
    job_queue(job=job)
    job.refresh_from_db()  # in the embedded mode it has already run
    return job


def job_queue(*, job: BackgroundJob) -> None:
    """Hand the job to the workers once the row is committed (they read it from the database).
    In the embedded mode the task runs here and now, on this connection."""
    if run_job.app.conf.task_always_eager:
        _send(job.pk)
    else:
        transaction.on_commit(lambda: _send(job.pk))


def _send(job_id: Any) -> None:
    try:
        run_job.apply_async((str(job_id),), retry=False)
    except Exception:
        if run_job.app.conf.task_always_eager:
            raise  # not the broker: the job ran here and its own errors are on its page
        # Whatever the broker raised (kombu's OperationalError, a socket error), the request's
        # work must not be lost: run it here, in a thread, so this response is not held up.
        logger.warning("The task queue is unreachable; running job %s in the web process", job_id, exc_info=True)
        BackgroundJob.objects.filter(pk=job_id).update(ran_in_web_process=True)
        threading.Thread(target=_run_here, args=(job_id,), name=f"job-{job_id}", daemon=True).start()


def _run_here(job_id: Any) -> None:
    try:
        job_run(job_id=job_id)
    finally:
        connection.close()  # this thread's own connection
