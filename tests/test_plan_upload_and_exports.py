"""Admins upload a plan file (report, preview, apply); the export commands give full records."""

from __future__ import annotations

import csv
import io
import json

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from measures.exports import MEASURE_FIELDS
from targets.exports import TARGET_FIELDS
from targets.models import Plan, Target
from tests.test_plan_loader import readme_example

UPLOAD = "admin:targets_plan_upload"


def _file(data: dict | bytes, name: str = "rizhao.yaml") -> SimpleUploadedFile:
    raw = data if isinstance(data, bytes) else yaml.safe_dump(data, allow_unicode=True).encode()
    return SimpleUploadedFile(name, raw, content_type="application/x-yaml")


def test_upload_preview_then_apply(client, users):
    client.force_login(users["admin"])
    response = client.post(reverse(UPLOAD), {"file": _file(readme_example())})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Target: 3 created, 0 updated, 0 unchanged" in page
    assert not Plan.objects.filter(code="rizhao-carbon-peaking").exists(), "a preview must store nothing"
    digest = response.context["digest"]
    response = client.post(reverse(UPLOAD), {"action": "apply", "digest": digest})
    assert response.status_code == 302
    assert Plan.objects.get(code="rizhao-carbon-peaking").targets.count() == 3


def test_upload_of_a_bad_file_lists_problems_and_offers_no_apply(client, users):
    client.force_login(users["admin"])
    data = readme_example()
    data["targets"][0]["value"] = "ten"
    data["measures"][0]["bureaus"] = ["市外星局"]
    response = client.post(reverse(UPLOAD), {"file": _file(data)})
    page = response.content.decode()
    assert "targets[0].value" in page and "市外星局" in page
    assert 'name="action" value="apply"' not in page
    assert client.post(reverse(UPLOAD), {"action": "apply", "digest": "x"}).status_code == 302
    assert not Plan.objects.filter(code="rizhao-carbon-peaking").exists()


def test_upload_of_a_non_yaml_file_says_so(client, users):
    client.force_login(users["admin"])
    response = client.post(reverse(UPLOAD), {"file": _file(b"\xff\xfe\x00binary", "plan.xlsx")})
    assert "not UTF-8" in response.content.decode()
    assert not Plan.objects.filter(code="rizhao-carbon-peaking").exists()


def test_upload_is_for_admins_only(client, users):
    for who in ("leader", "ndrc_staff"):
        client.force_login(users[who])
        response = client.post(reverse(UPLOAD), {"file": _file(readme_example())})
        assert response.status_code in (302, 403)
    assert not Plan.objects.filter(code="rizhao-carbon-peaking").exists()


def test_export_targets_json_and_csv(reference_data):
    from tests.test_plan_loader import _load

    _load(readme_example())
    out = io.StringIO()
    call_command("export_targets", "--format", "json", stdout=out)
    records = json.loads(out.getvalue())
    assert len(records) == Target.objects.count() == 3
    assert all(list(r) == TARGET_FIELDS for r in records)
    pv = next(r for r in records if r["indicator_code"] == "pv_installed_capacity")
    assert pv | {"id": 0} == {
        "id": 0,
        "city": "日照",
        "plan": "日政字〔2023〕1号",
        "sector": "energy",
        "indicator": "光伏发电装机容量",
        "indicator_code": "pv_installed_capacity",
        "kind": "level",
        "comparator": "at_least",
        "value": 200,
        "unit": "万千瓦",
        "target_year": 2025,
        "period_start": None,
        "baseline_year": None,
        "strive": False,
        "section": "三（一）1",
        "source_text": "到2025年，全市光伏发电装机容量达到200万千瓦",
        "bureaus": ["市发展改革委", "市生态环境局"],
    }
    out = io.StringIO()
    call_command("export_targets", "--format", "csv", "--city", "日照", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 3 and list(rows[0]) == TARGET_FIELDS
    assert {r["bureaus"] for r in rows} >= {"市发展改革委、市生态环境局"}


def test_export_measures_and_city_filter(reference_data):
    from tests.test_plan_loader import _load

    _load(readme_example())
    out = io.StringIO()
    call_command("export_measures", "--city", "rizhao", stdout=out)
    (record,) = json.loads(out.getvalue())
    assert list(record) == MEASURE_FIELDS
    assert (record["section"], record["deadline"], record["bureaus"][0]) == ("三（一）1", "2024-12-31", "市发展改革委")
    out = io.StringIO()
    call_command("export_measures", "--city", "Rizhao", "--format", "csv", stdout=out)
    assert len(list(csv.DictReader(io.StringIO(out.getvalue())))) == 1
