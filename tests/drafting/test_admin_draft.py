"""The admin drafts a plan file from its text, shows it beside the text, and hands it to the
upload flow's validation, preview and apply."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from targets.models import Plan

DRAFT = "admin:targets_plan_draft"
PROVINCE = (Path(__file__).parent / "plans" / "province_plan.txt").read_bytes()
# Its 百分之百 is printed in Chinese numerals, which the drafter marks for review.
LEAD_SUPPORT = (Path(__file__).parent / "plans" / "lead_support_plan.txt").read_bytes()


def _upload(client, raw=PROVINCE, name="province.txt"):
    return client.post(reverse(DRAFT), {"file": SimpleUploadedFile(name, raw), "city": "jiangsu", "city_name": "江苏"})


def _resolved(draft_yaml: str) -> str:
    """What a reviewer leaves after resolving every mark: here, accepting each item."""
    data = yaml.safe_load(draft_yaml)
    data["city"]["name_en"] = "Jiangsu"
    for key in ("bureaus", "measures", "targets"):
        for item in data[key]:
            item.pop("review", None)
    data["plan"].pop("review", None)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_draft_review_check_preview_and_apply(client, users):
    client.force_login(users["admin"])
    response = _upload(client, LEAD_SUPPORT, "plan.txt")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<mark class="hl-responsibility"' in page and '<mark class="hl-target"' in page
    assert "市工业和信息化局" in page and 'id="draft-reviews"' in page
    form = response.context["form"]
    draft, source = form.initial["draft"], form.initial["source"]
    assert any(t.get("review") for t in yaml.safe_load(draft)["targets"])

    # Checking the draft as it is: the review marks are refused and nothing is stored.
    response = client.post(
        reverse(DRAFT), {"action": "check", "draft": draft, "source": source, "file_name": "province.yaml"}
    )
    page = response.content.decode()
    assert "marked for review" in page
    assert 'value="apply"' not in page
    assert not Plan.objects.filter(code="jiangsu-pollution-carbon-synergy").exists()

    # Resolved: the upload flow's preview, then its apply through this page.
    response = client.post(
        reverse(DRAFT),
        {"action": "check", "draft": _resolved(draft), "source": source, "file_name": "province.yaml"},
    )
    assert response.status_code == 200 and response.context["report"] is not None
    assert not Plan.objects.filter(code="jiangsu-pollution-carbon-synergy").exists(), "a preview stores nothing"
    response = client.post(reverse(DRAFT), {"action": "apply", "digest": response.context["digest"]})
    assert response.status_code == 302
    plan = Plan.objects.get(code="jiangsu-pollution-carbon-synergy")
    assert plan.document_number == "临环发〔2023〕15号" and plan.measures.count() == 3


def test_review_marks_resolved_by_confirming_or_deleting_items(client, users):
    client.force_login(users["admin"])
    form = _upload(client, LEAD_SUPPORT, "plan.txt").context["form"]
    draft, source = form.initial["draft"], form.initial["source"]
    data = yaml.safe_load(draft)
    data["city"]["name_en"] = "Jiangsu"
    marked = [t["code"] for t in data["targets"] if t.get("review")]
    assert marked
    dropped = data["targets"][0]["code"]
    accept = [f"targets:{code}" for code in marked] + [f"measures:{m['section']}" for m in data["measures"]]
    accept += [f"bureaus:{b['name']}" for b in data["bureaus"]] + ["plan"]
    edited = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    response = client.post(
        reverse(DRAFT),
        {
            "action": "check",
            "draft": edited,
            "source": source,
            "file_name": "p.yaml",
            "accept": accept,
            "drop": [f"targets:{dropped}"],
        },
    )
    assert response.context["report"] is not None, response.context.get("problems")
    client.post(reverse(DRAFT), {"action": "apply", "digest": response.context["digest"]})
    codes = set(Plan.objects.get(code="jiangsu-pollution-carbon-synergy").targets.values_list("code", flat=True))
    assert dropped not in codes and len(codes) == len(data["targets"]) - 1


def test_a_scanned_pdf_is_refused_with_a_clear_message(client, users):
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    client.force_login(users["admin"])
    page = _upload(client, buffer.getvalue(), "scan.pdf").content.decode()
    assert "扫描件" in page
    client.cookies["django_language"] = "en"
    page = _upload(client, buffer.getvalue(), "scan.pdf").content.decode()
    assert "no text layer" in page


def test_drafting_is_for_admins_only(client, users):
    for who in ("leader", "ndrc_staff"):
        client.force_login(users[who])
        assert _upload(client).status_code in (302, 403)
