"""Upload a CSV or Excel file of observations: preview with every problem named, then confirm.

The file waits in the session between the two steps, so what is stored is what was previewed.
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

from config.upload_stash import stash_upload, take_upload
from reporting.imports import observations_check, observations_import, read_table
from reporting.models import Observation

SESSION_KEY = "observation_upload"
MAX_BYTES = 5 * 1024 * 1024


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
    context: dict = {"form": form}
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
                context["digest"] = stash_upload(request, SESSION_KEY, raw, upload.name)
    return render(request, "reporting/upload.html", context, status=400 if form.errors else 200)


def _confirm(request: HttpRequest) -> HttpResponse:
    stashed = take_upload(request, SESSION_KEY)
    if stashed is None:
        messages.error(request, _("没有待确认的文件，请重新上传。"))
        return redirect("entry:observation_upload")
    report = observations_import(read_table(*stashed), user=request.user)
    if not report.ok:
        messages.error(request, _("文件未通过校验，未保存任何数据。"))
        return redirect("entry:observation_upload")
    messages.success(
        request,
        _("已导入%(n)s行：新增%(created)s，更新%(updated)s，未变%(unchanged)s。")
        % {"n": len(report.rows), "created": report.counts["created"], "updated": report.counts["updated"],
           "unchanged": report.counts["unchanged"]},
    )  # fmt: skip
    if Observation.objects.filter(batch=report.batch, status=Observation.Status.SUBMITTED).exists():
        messages.info(request, _("这些数据已提交审核，审核通过后计入进展。"))
    return redirect("dashboard:my_bureau")
