"""My bureau and bureau pages: staff see entry links only for what they own; uploads preview first."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.models import Observation


def test_my_bureau_lists_only_what_the_bureau_owns(client, world, users):
    client.force_login(users["eco_staff"])
    page = client.get(reverse("dashboard:my_bureau")).content.decode()
    assert reverse("entry:observation_create", args=[world["pm"].pk]) in page
    assert reverse("entry:observation_create", args=[world["pv"].pk]) not in page
    assert reverse("entry:measure_update_create", args=[world["pm_measure"].pk]) in page
    assert reverse("entry:measure_update_create", args=[world["pv_measure"].pk]) not in page


def test_leader_has_nothing_to_report(client, world, users):
    client.force_login(users["leader"])
    page = client.get(reverse("dashboard:my_bureau")).content.decode()
    assert "没有可填报的指标" in page and "/entry/" not in page.split("批量上传")[1]


def test_bureau_page_shows_its_targets_and_measures(client, world, users):
    client.force_login(users["leader"])
    page = client.get(reverse("dashboard:bureau", args=[world["eco"].pk])).content.decode()
    assert "PM2.5浓度" in page and "深入打好蓝天保卫战" in page and "光伏发电装机容量" not in page


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("data.csv", text.encode("utf-8"), content_type="text/csv")


def test_upload_previews_problems_then_confirms(client, world, users):
    client.force_login(users["eco_staff"])
    url = reverse("entry:observation_upload")
    bad = (
        "city,indicator_code,period,value,note\n"
        "测试市,pm25_concentration,2022,abc,\n"
        "测试市,pv_installed_capacity,2022,1,\n"
    )
    page = client.post(url, {"file": _upload(bad)}).content.decode()
    assert "第2行" in page and "不是数字" in page and "第3行" in page and "无权" in page
    assert 'value="confirm"' not in page
    good = "city,indicator_code,period,value,note\n测试市,pm25_concentration,2022,38.2,快报\n"
    response = client.post(url, {"file": _upload(good)})
    assert not Observation.objects.exists(), "a preview stores nothing"
    response = client.post(url, {"action": "confirm", "digest": response.context["digest"]})
    assert response.status_code == 302
    saved = Observation.objects.get()
    assert saved.value == Decimal("38.2") and saved.entered_by == users["eco_staff"]


def test_upload_of_a_non_spreadsheet_is_refused_clearly(client, world, users):
    client.force_login(users["eco_staff"])
    response = client.post(
        reverse("entry:observation_upload"),
        {"file": SimpleUploadedFile("photo.png", b"\x89PNG\r\n", content_type="image/png")},
    )
    assert response.status_code == 400 and "不是CSV或Excel" in response.content.decode()
