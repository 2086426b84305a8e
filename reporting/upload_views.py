"""Upload a CSV or Excel file of observations: preview with every problem named, then confirm.

The file waits in the default storage between the two steps (jobs.stash), so what is stored is
what was previewed. The preview runs in the request (it writes nothing); the confirmed import
is a background job, whose page shows its progress and then the result.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs.queue import job_queue
from jobs.services import job_create
from jobs.stash import stash_upload, take_upload
from reporting.import_jobs import KIND
from reporting.imports import observations_check, read_table

STASH = "observation_upload"
MAX_BYTES = 5 * 1024 * 1024
PREVIEW_ROWS = 200  # rows shown in the preview table; every row is checked


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("数据文件（CSV或Excel）"),
        help_text=gettext_lazy("列：city, indicator_code, period, value, note"),
    )


@login_required
def observation_upload(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("action") == "confirm":
        return _confirm(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form, "preview_rows": PREVIEW_ROWS, "preview_rows_slice": f":{PREVIEW_ROWS}"}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read() if upload.size <= MAX_BYTES else b""
        try:
            if not raw:
                raise ValidationError(_("文件为空或超过5 MB。"))
            frame = read_table(raw, upload.name)
        except ValidationError as exc:
            form.add_error("file", exc.messages[0])
        else:
            report = observations_check(frame, user=request.user)
            context["report"] = report
            if report.ok:
                context["digest"] = stash_upload(request, STASH, raw, upload.name)
    return render(request, "reporting/upload.html", context, status=400 if form.errors else 200)


def _confirm(request: HttpRequest) -> HttpResponse:
    stashed = take_upload(request, STASH)
    if stashed is None:
        messages.error(request, _("没有待确认的文件，请重新上传。"))
        return redirect("entry:observation_upload")
    job = job_create(kind=KIND, params={}, owner=request.user, source=stashed)
    job_queue(job=job)
    return redirect("jobs:detail", job_id=job.pk)
