"""A job's page (progress, then the result), its status as JSON for the page's poller, the
download, and the user's own list of jobs. Every response is private to its user."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import quote
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from jobs.models import BackgroundJob
from jobs.registry import job_kind
from jobs.selectors import job_visible, jobs_of
from jobs.services import job_progress_get

POLL_SECONDS = 2
_Response = TypeVar("_Response", bound=HttpResponseBase)


def _private(response: _Response) -> _Response:
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _job(request: HttpRequest, job_id: UUID) -> BackgroundJob | HttpResponse:
    job = BackgroundJob.objects.filter(pk=job_id).first()
    if job is not None and job_visible(job=job, user=request.user):
        return job
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404(_("没有这个任务，或您无权查看。"))


def job_title(job: BackgroundJob) -> str:
    try:
        return job_kind(job.kind).title(job.params)
    except Exception:  # a kind's parameters that no longer resolve (a deleted city) still get a page
        return job.kind


def job_status_data(job: BackgroundJob) -> dict[str, Any]:
    done, total, stage = job_progress_get(job)
    return {
        "id": str(job.pk),
        "status": job.status,
        "status_label": job.get_status_display(),
        "finished": job.finished,
        "done": done,
        "total": total,
        "percent": 100 if job.status == job.Status.DONE else (int(100 * done / total) if total else 0),
        "stage": stage,
        "message": job.message,
        "download_url": reverse("jobs:download", args=[job.pk]) if job.result else None,
    }


def job_detail(request: HttpRequest, job_id: UUID) -> HttpResponse:
    job = _job(request, job_id)
    if isinstance(job, HttpResponse):
        return job
    context = {"job": job, "title": job_title(job), "state": job_status_data(job), "poll_seconds": POLL_SECONDS}
    return _private(render(request, "jobs/job.html", context))


def job_status(request: HttpRequest, job_id: UUID) -> HttpResponse:
    job = _job(request, job_id)
    if isinstance(job, HttpResponse):
        return job
    return _private(JsonResponse(job_status_data(job)))


def job_download(request: HttpRequest, job_id: UUID) -> HttpResponse | FileResponse:
    job = _job(request, job_id)
    if isinstance(job, HttpResponse):
        return job
    if job.status != job.Status.DONE or not job.result:
        raise Http404(_("这个任务没有可下载的文件。"))
    try:
        handle = job.result.open("rb")
    except FileNotFoundError:
        raise Http404(_("文件已被清理，请重新生成。")) from None
    inline = job.result_type == "application/pdf"
    response = FileResponse(
        handle, as_attachment=not inline, filename=job.result_name, content_type=job.result_type or None
    )
    fallback = _ascii_name(job)
    if fallback:
        # Django names a non-ASCII file only as filename*=utf-8''…; older clients want filename= too.
        disposition = "inline" if inline else "attachment"
        response.headers["Content-Disposition"] = (
            f"{disposition}; filename=\"{fallback}\"; filename*=utf-8''{quote(job.result_name)}"
        )
    return _private(response)


def _ascii_name(job: BackgroundJob) -> str:
    """The kind's ASCII name for a file whose own name is not ASCII; "" when none is needed."""
    if job.result_name.isascii():
        return ""
    try:
        naming = job_kind(job.kind).ascii_name
    except KeyError:
        return ""
    name = naming(job.params) if naming else ""
    return name if name.isascii() and '"' not in name and "\\" not in name else ""


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(jobs_of(user=request.user), 25).get_page(request.GET.get("page"))
    rows = [(job, job_title(job)) for job in page.object_list]
    return _private(render(request, "jobs/list.html", {"page": page, "rows": rows}))


def job_redirect(job: BackgroundJob) -> HttpResponse:
    """Where an entry point sends its user: the file at once when the job is already done (the
    embedded mode, or a finished job handed out again), else the job's page with its progress."""
    if job.status == job.Status.DONE and job.result:
        return redirect("jobs:download", job_id=job.pk)
    return redirect("jobs:detail", job_id=job.pk)
