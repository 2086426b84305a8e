"""Draft a plan file from the plan's own text in the admin, review it beside the text, then
hand it to the upload flow's validation, preview and apply (targets/admin_upload.py).

Step 1 uploads the text or PDF and drafts; step 2 shows the source with every drafted item
highlighted next to the draft as editable YAML, with the items marked `review`; "check"
validates the edited YAML (items still marked `review` are refused) and, once clean, hands it to
the upload flow as if uploaded there: its preview, its stash, its apply (whose button posts back
here and is passed on unchanged).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.response import TemplateResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from targets.admin_upload import plan_upload_view
from targets.drafting.cleaning import clean_lines
from targets.drafting.decisions import apply_decisions, review_rows
from targets.drafting.draft import draft_plan
from targets.drafting.highlight import draft_quotes, highlight
from targets.drafting.reading import DraftInputError, plan_text_from_bytes
from targets.drafting.writer import draft_to_yaml
from targets.plan_loader import plans_load
from targets.plan_validation import read_plan_file
from targets.selectors import known_bureau_names

MAX_SOURCE_BYTES = 10 * 1024 * 1024


class PlanDraftForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("规划文本（TXT 或带文字层的 PDF）"))
    city = forms.SlugField(label=gettext_lazy("城市代码"), max_length=50, help_text=gettext_lazy("英文小写，如 rizhao"))
    city_name = forms.CharField(label=gettext_lazy("城市名称"), max_length=20, required=False)


class DraftReviewForm(forms.Form):
    draft = forms.CharField(label=gettext_lazy("草稿（YAML）"), widget=forms.Textarea(attrs={"rows": 40}))
    source = forms.CharField(widget=forms.HiddenInput)
    file_name = forms.CharField(widget=forms.HiddenInput)


def plan_draft_view(request: HttpRequest) -> HttpResponse:
    if not (request.user.has_perm("targets.add_plan") and request.user.has_perm("targets.change_plan")):
        raise PermissionDenied
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "check":
        return _check(request)
    if request.method == "POST" and "city" not in request.POST:
        # The upload flow's own forms on its preview page (apply, or another plan file) post
        # back here; they are its business, passed on unchanged.
        return plan_upload_view(request)
    context = {**admin.site.each_context(request), "title": _("从规划文本起草"), "form": PlanDraftForm()}
    if request.method == "POST":
        form = PlanDraftForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_SOURCE_BYTES:
                form.add_error("file", _("文件过大（上限10 MB）。"))
            else:
                try:
                    text = plan_text_from_bytes(upload.read(), upload.name)
                except DraftInputError as exc:
                    form.add_error("file", _input_error_message(exc))
                else:
                    return _review(request, text, upload.name, form.cleaned_data)
    return TemplateResponse(request, "admin/targets/plan/draft_upload.html", context)


def _input_error_message(exc: DraftInputError) -> str:
    messages = {
        "empty": _("文件是空的，没有规划文本。"),
        "encoding": _("无法识别文件编码：请提供 UTF-8 或 GB18030 编码的文本，或带文字层的 PDF。"),
        "unreadable_pdf": _("无法读取该 PDF 文件。"),
        "scanned": _("该 PDF 没有文字层（可能是扫描件），无法提取文本：请先做文字识别（OCR），或上传文本文件。"),
    }
    return messages.get(exc.code, str(exc))


def _review(request: HttpRequest, text: str, name: str, cleaned: dict) -> HttpResponse:
    draft = draft_plan(
        text,
        city_code=cleaned["city"],
        city_name=cleaned.get("city_name") or "",
        known_bureaus=known_bureau_names(cleaned["city"]),
    )
    source = "\n".join(clean_lines(text))
    stem = name.rsplit(".", 1)[0] or "plan"
    form = DraftReviewForm(initial={"draft": draft_to_yaml(draft.data), "source": source, "file_name": f"{stem}.yaml"})
    return _review_page(request, form, draft.data, source, problems=[])


def _review_page(request: HttpRequest, form: DraftReviewForm, data: dict, source: str, problems: list) -> HttpResponse:
    quotes = draft_quotes(data)
    segments, anchors = highlight(source, quotes)
    anchored = [(q, anchors.get(n, "")) for n, q in enumerate(quotes) if q.kind in ("measure", "target")]
    items = [{"quote": q, "anchor": anchor} for q, anchor in anchored]
    anchors_by_key = {f"{'targets' if q.kind == 'target' else 'measures'}:{q.key}": anchor for q, anchor in anchored}
    reviews = [{**row, "anchor": anchors_by_key.get(row["key"], "")} for row in review_rows(data)]
    context = {
        **admin.site.each_context(request),
        "title": _("审阅规划草稿"),
        "form": form,
        "segments": segments,
        "items": items,
        "reviews": reviews,
        "problems": problems,
        "not_found": [i for i in items if not i["anchor"]],
    }
    return TemplateResponse(request, "admin/targets/plan/draft_review.html", context)


def _check(request: HttpRequest) -> HttpResponse:
    form = DraftReviewForm(request.POST)
    if not form.is_valid():
        context = {**admin.site.each_context(request), "title": _("从规划文本起草"), "form": PlanDraftForm()}
        context["lost"] = True
        return TemplateResponse(request, "admin/targets/plan/draft_upload.html", context)
    raw = form.cleaned_data["draft"].replace("\r\n", "\n").encode("utf-8")
    name = form.cleaned_data["file_name"]
    plan_file, problems = read_plan_file(raw, name)
    decided = {"accept": request.POST.getlist("accept"), "drop": request.POST.getlist("drop")}
    if plan_file and apply_decisions(plan_file.data, **decided):
        raw = draft_to_yaml(plan_file.data).encode("utf-8")
        form = DraftReviewForm({**form.cleaned_data, "draft": raw.decode("utf-8")})
        form.is_valid()
    # A dry run tells whether the file loads; only then does it go to the upload flow, which
    # validates it again, shows its preview and keeps the file for its apply step.
    report = plans_load([plan_file], user=request.user, dry_run=True) if plan_file else None
    problems = problems + (report.problems if report else [])
    if problems:
        data = plan_file.data if plan_file else {}
        return _review_page(request, form, data, form.cleaned_data["source"], problems)
    return plan_upload_view(_as_plan_file_upload(request, raw, name))


def _as_plan_file_upload(request: HttpRequest, raw: bytes, name: str) -> HttpRequest:
    """This request as the upload flow's form would have sent it: the reviewed file, no action."""
    post = QueryDict(mutable=True)
    post["csrfmiddlewaretoken"] = request.POST.get("csrfmiddlewaretoken", "")
    # Where the request keeps what POST and FILES return (FILES has no setter).
    vars(request)["_post"] = post
    vars(request)["_files"] = MultiValueDict(
        {"file": [SimpleUploadedFile(name, raw, content_type="application/x-yaml")]}
    )
    return request
