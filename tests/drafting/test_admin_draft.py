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
    response = _upload(client)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<mark class="hl-responsibility"' in page and '<mark class="hl-target"' in page
    assert "省发展改革委" in page
    form = response.context["form"]
    draft, source = form.initial["draft"], form.initial["source"]
    assert "review:" in draft

    # Checking the draft as it is: the review marks are refused and nothing is stored.
    response = client.post(
        reverse(DRAFT), {"action": "check", "draft": draft, "source": source, "file_name": "province.yaml"}
    )
    page = response.content.decode()
    assert "marked for review" in page and 'value="apply"' not in page
    assert not Plan.objects.filter(code="jiangsu-carbon-peaking").exists()

    # Resolved: the upload flow's preview, then its apply through this page.
    response = client.post(
        reverse(DRAFT),
        {"action": "check", "draft": _resolved(draft), "source": source, "file_name": "province.yaml"},
    )
    assert response.status_code == 200 and response.context["report"] is not None
    assert not Plan.objects.filter(code="jiangsu-carbon-peaking").exists(), "a preview stores nothing"
    response = client.post(reverse(DRAFT), {"action": "apply", "digest": response.context["digest"]})
    assert response.status_code == 302
    plan = Plan.objects.get(code="jiangsu-carbon-peaking")
    assert plan.document_number == "苏政发〔2022〕88号" and plan.measures.count() == 2


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


def test_drafting_is_for_admins_only(client, users):
    for who in ("leader", "ndrc_staff"):
        client.force_login(users[who])
        assert _upload(client).status_code in (302, 403)
