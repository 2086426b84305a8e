"""Issue 12: CSV files as Excel writes them on Chinese Windows (GBK/GB18030) and as "Unicode
text" (UTF-16) are read by detection, Chinese notes intact, through the upload page."""

from __future__ import annotations

import codecs

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.imports import read_table
from reporting.models import Observation

pytestmark = pytest.mark.django_db

TEXT = (
    "city,indicator_code,period,value,note\r\n"
    "测试市,pv_installed_capacity,2022,455.6,据市统计局快报，含分布式光伏\r\n"
    "测试市,pv_installed_capacity,2023,470,“十四五”中期评估数\r\n"
)
NOTES = {"2022": "据市统计局快报，含分布式光伏", "2023": "“十四五”中期评估数"}

ENCODINGS = {
    "gbk": TEXT.encode("gbk"),
    "gb18030": TEXT.encode("gb18030"),
    "utf-16 with BOM": TEXT.encode("utf-16"),
    "utf-16-le without BOM": TEXT.encode("utf-16-le"),
    "utf-16-be without BOM": TEXT.encode("utf-16-be"),
    "utf-8 with BOM": codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    "utf-8": TEXT.encode("utf-8"),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_the_encoding_is_detected_and_chinese_notes_survive(world, encoding):
    frame = read_table(ENCODINGS[encoding], "数据.csv")
    assert list(frame["note"]) == list(NOTES.values())
    assert list(frame["city"]) == ["测试市", "测试市"]


@pytest.mark.parametrize("encoding", ["gbk", "utf-16 with BOM"])
def test_upload_preview_and_confirm_of_a_gbk_or_utf16_file(client, world, users, encoding):
    client.force_login(users["ndrc_staff"])
    url = reverse("entry:observation_upload")
    upload = _file(ENCODINGS[encoding])
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "据市统计局快报，含分布式光伏" in page and not Observation.objects.exists()
    response = client.post(url, {"action": "confirm", "digest": response.context["digest"]})
    assert response.status_code == 302
    assert dict(Observation.objects.values_list("period", "note")) == NOTES


def test_a_gbk_file_with_a_bad_row_names_it_in_chinese(client, world, users):
    client.force_login(users["ndrc_staff"])
    raw = (TEXT + "测试市,pv_installed_capacity,2024年,1,备注\r\n").encode("gbk")
    response = client.post(reverse("entry:observation_upload"), {"file": _file(raw)})
    problems = [str(p) for p in response.context["report"].problems]
    assert len(problems) == 1 and problems[0].startswith("第4行") and "期间“2024年”格式不正确" in problems[0]
    assert not Observation.objects.exists()


def _file(raw: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("数据.csv", raw, content_type="text/csv")
