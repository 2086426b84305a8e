"""A bureau's template: its indicators and the periods it owes pre-filled; filled in, it
uploads as it is and the values wait for review."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reporting.models import Observation
from targets.models import CitySetup, IndicatorReporting


@pytest.fixture
def owed(client, world, users):
    first = timezone.localdate().year - 2
    CitySetup.objects.create(
        city=world["city"], coordinating_bureau=world["ndrc"], review_required=True, first_year=first
    )
    IndicatorReporting.objects.create(indicator=world["pv"], bureau=world["ndrc"])
    IndicatorReporting.objects.create(indicator=world["pm"], bureau=world["eco"])
    Observation.objects.create(indicator=world["pm"], period=str(first), period_end=f"{first}-12-31", value=40)
    client.force_login(users["eco_staff"])
    return {**world, "first": first}


def test_csv_template_lists_what_the_bureau_owes(client, owed):
    response = client.get(reverse("entry:entry_template", args=["csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["city", "indicator_code", "indicator_name", "unit", "period", "due", "value", "note"]
    # PM2.5 only (the eco bureau reports it), the first year already reported: one year owed.
    assert [(r[1], r[3], r[4], r[5]) for r in rows[1:]] == [
        ("pm25_concentration", "微克/立方米", str(owed["first"] + 1), f"{owed['first'] + 2}-03-31")
    ]


def test_filled_xlsx_template_uploads_and_waits_for_review(client, owed):
    response = client.get(reverse("entry:entry_template", args=["xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet["B2"].value == "pm25_concentration" and sheet["D2"].value == "微克/立方米"
    sheet["G2"] = 37.5
    sheet["H2"] = "市监测站年报"
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("filled.xlsx", buffer.getvalue())
    preview = client.post(reverse("entry:observation_upload"), {"file": upload})
    assert preview.status_code == 200 and preview.context["report"].ok
    client.post(reverse("entry:observation_upload"), {"action": "confirm", "digest": preview.context["digest"]})
    stored = Observation.objects.get(indicator=owed["pm"], period=str(owed["first"] + 1))
    assert (float(stored.value), stored.note, stored.status) == (37.5, "市监测站年报", "submitted")
    page = client.get(reverse("dashboard:my_bureau")).content.decode()
    assert "已提交、待审核" in page and "37.5" in page


def test_template_needs_a_bureau(client, owed, users):
    client.force_login(users["leader"])
    assert client.get(reverse("entry:entry_template", args=["csv"])).status_code == 403
