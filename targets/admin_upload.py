"""Upload a plan file in the admin: validation report, preview of the changes, then apply.

The preview is a real load rolled back, so it shows exactly what applying would do. The file
waits in the default storage between the two steps (jobs.stash), so what is applied is what was
previewed. A plan file is small (2 MB at most) and loads in about a second, so applying it stays
in the request.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs.stash import drop_upload, stash_upload, take_upload
from targets.plan_loader import plans_load
from targets.plan_validation import read_plan_file

STASH = "plan_upload"
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class PlanUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("规划文件（YAML）"))


def plan_upload_view(request: HttpRequest) -> HttpResponse:
    if not (request.user.has_perm("targets.add_plan") and request.user.has_perm("targets.change_plan")):
        raise PermissionDenied
    context = {**admin.site.each_context(request), "title": _("上传规划文件"), "form": PlanUploadForm()}
    if request.method == "POST" and request.POST.get("action") == "apply":
        return _apply(request)
    if request.method == "POST":
        form = PlanUploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_UPLOAD_BYTES:
                form.add_error("file", _("文件过大（上限2 MB）。"))
            else:
                raw = upload.read()
                context.update(_preview(request, raw, upload.name))
    return TemplateResponse(request, "admin/targets/plan/upload.html", context)


def _preview(request: HttpRequest, raw: bytes, name: str) -> dict:
    plan_file, problems = read_plan_file(raw, name)
    report = plans_load([plan_file], user=request.user, dry_run=True) if plan_file else None
    problems = problems + (report.problems if report else [])
    if problems:
        drop_upload(request, STASH)
        return {"problems": problems, "file_name": name}
    return {"report": report, "file_name": name, "digest": stash_upload(request, STASH, raw, name)}


def _apply(request: HttpRequest) -> HttpResponse:
    stashed = take_upload(request, STASH)
    if stashed is None:
        messages.error(request, _("没有待应用的预览，请重新上传文件。"))
        return redirect("admin:targets_plan_upload")
    raw, name = stashed
    plan_file, problems = read_plan_file(raw, name)
    report = plans_load([plan_file], user=request.user) if plan_file else None
    if problems or not report or report.problems:
        messages.error(request, _("文件未通过校验，未作任何更改。"))
        return redirect("admin:targets_plan_upload")
    messages.success(request, _("已载入 %(name)s：") % {"name": name} + "；".join(report.summary_lines()))
    return redirect("admin:targets_plan_changelist")
