"""Issue 10, bad input: each case through its real entry path (entry form, API, CSV/XLSX
import, admin), with a message naming the field and nothing stored."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from measures.models import MeasureUpdate
from reporting import table_read
from reporting.imports import observations_import, read_table
from reporting.models import Observation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese():
    """Messages outside a request are in the default language, whatever a page test before
    left active in this thread."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def form(client, world, users):
    """Posts the observation entry form as the NDRC's staff member; returns (status, errors)."""
    client.force_login(users["ndrc_staff"])
    url = reverse("entry:observation_create", args=[world["pv"].pk])

    def post(**fields):
        response = client.post(url, {"period": "2023", "value": "1", "note": "", **fields})
        form = response.context["form"] if response.context and "form" in response.context else None
        return response.status_code, (form.errors if form is not None else {})

    return post


@pytest.fixture
def api(world, users):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=users["ndrc_staff"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    def post(**fields):
        payload = {"indicator": world["pv"].pk, "period": "2023", "value": "1", **fields}
        response = client.post("/api/v1/observations/", payload, format="json")
        return response.status_code, response.json()

    post.client = client
    return post


@dataclass
class Preview:
    status: int
    file_errors: list[str]  # the file as a whole refused
    problems: list[str]  # rows refused, "第N行：..."
    rows: list[dict]  # rows that passed, as they would be stored


@pytest.fixture
def upload(world, users):
    """Uploads a file on the upload page as the NDRC's staff member; returns the preview."""
    client = Client()
    client.force_login(users["ndrc_staff"])

    def post(raw: bytes, name: str = "data.csv") -> Preview:
        response = client.post(reverse("entry:observation_upload"), {"file": SimpleUploadedFile(name, raw)})
        report = response.context.get("report")
        return Preview(
            response.status_code,
            list(response.context["form"].errors.get("file", [])),
            [str(p) for p in report.problems] if report else [],
            report.rows if report else [],
        )

    return post


@pytest.fixture
def csv_import(upload):
    def run(period="2023", value="1", note=""):
        row = ["测试市", "pv_installed_capacity", period, value, note]
        buffer = io.StringIO()
        csv.writer(buffer).writerows([["city", "indicator_code", "period", "value", "note"], row])
        return upload(buffer.getvalue().encode("utf-8"))

    return run


@pytest.fixture
def admin_add(client, world, users):
    client.force_login(users["superuser"])

    def post(**fields):
        data = {"indicator": world["pv"].pk, "period": "2023", "value": "1", "note": "", **fields}
        response = client.post(reverse("admin:reporting_observation_add"), data)
        errors = response.context["adminform"].form.errors if response.status_code == 200 else {}
        return response.status_code, errors

    return post


def _xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["city", "indicator_code", "period", "value", "note"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Periods --------------------------------------------------------------------------------------


@pytest.mark.parametrize("period", ["0000", "0000-01", "0001-Q1"])
def test_periods_before_year_one_or_the_plans_range_are_refused_on_every_path(period, form, api, csv_import, admin_add):
    status, errors = form(period=period)
    assert status == 400 and "早于2005年" in errors["period"][0] and f"“{period}”" in errors["period"][0]
    status, body = api(period=period)
    assert status == 400 and list(body) == ["period"] and f"“{period}”" in body["period"][0]
    preview = csv_import(period=period)
    assert preview.problems[0].startswith("第2行：period列") and f"“{period}”" in preview.problems[0]
    status, errors = admin_add(period=period)
    assert status == 200 and f"“{period}”" in errors["period"][0]
    assert "“1-Q1”" not in errors["period"][0]
    assert not Observation.objects.exists()


def test_full_width_and_arabic_indic_digits_are_the_same_period_and_number(form, api, csv_import):
    status, _ = form(period="２０２２", value="３１０")
    assert status == 302
    observation = Observation.objects.get()
    assert (observation.period, observation.value) == ("2022", 310)
    status, body = api(period="٢٠٢٢", value="٣٢٠")
    assert status == 200 and body["period"] == "2022" and body["value"] == 320  # updated, not a second row
    preview = csv_import(period="２０２２－Ｑ１", value="３３０")
    assert [(r.entry.period, r.entry.value) for r in preview.rows] == [("2022-Q1", 330)] and not preview.problems
    assert list(Observation.objects.values_list("period", flat=True)) == ["2022"]


def test_an_import_with_one_period_written_in_two_scripts_names_the_duplicate(upload):
    text = (
        "city,indicator_code,period,value,note\n"
        "测试市,pv_installed_capacity,2022,1,\n"
        "测试市,pv_installed_capacity,２０２２,2,\n"
    )
    preview = upload(text.encode("utf-8"))
    assert len(preview.problems) == 1 and preview.problems[0].startswith("第3行") and "第2行" in preview.problems[0]
    assert not Observation.objects.exists()


def test_the_database_refuses_a_period_that_is_not_a_canonical_label(world):
    import datetime as dt

    for label in ("２０２２", "2022-q1", "2022-1"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Observation.objects.create(indicator=world["pv"], period=label, period_end=dt.date(2022, 12, 31), value=1)
    Observation.objects.create(indicator=world["pv"], period="2022", period_end=dt.date(2022, 12, 31), value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(indicator=world["pv"], period="2022", period_end=dt.date(2022, 12, 31), value=2)


# Values ---------------------------------------------------------------------------------------


def test_commas_that_are_not_thousands_separators_are_refused(form, api, csv_import):
    status, errors = form(value="1,2,3")
    assert status == 400 and "逗号" in errors["value"][0]
    status, body = api(value="1,2,3")
    assert status == 400 and "逗号" in body["value"][0]
    assert "逗号" in csv_import(value="1,2,3").problems[0]
    assert not Observation.objects.exists()
    status, _ = form(value="1,234.5")
    assert status == 302 and Observation.objects.get().value == 1234.5


def test_more_decimals_than_stored_are_refused_naming_the_precision(form, api, csv_import):
    status, errors = form(value="1.1234567")
    assert status == 400 and "6位小数" in errors["value"][0]
    status, body = api(value=0.1234567)
    assert status == 400 and "6位小数" in body["value"][0]
    assert "6位小数" in csv_import(value="3.14159265").problems[0]
    assert not Observation.objects.exists()
    status, _ = form(value="1.123456000")  # trailing zeros lose nothing
    assert status == 302


def test_a_formula_without_a_stored_result_is_refused(upload):
    # openpyxl writes formulas without their results, as a script would.
    preview = upload(_xlsx([["测试市", "pv_installed_capacity", 2022, "=100+200", "公式"]]), "data.xlsx")
    assert preview.status == 400
    assert preview.file_errors == [
        "第2行“value”列是公式（=100+200），但文件中没有它的计算结果：请在Excel中打开并保存，或填写数值。"
    ]
    assert not Observation.objects.exists()


def test_excel_numbers_keep_the_value_typed(world, users):
    raw = _xlsx([["测试市", "pv_installed_capacity", 2022, 0.1 + 0.2, "浮点"]])
    report = observations_import(read_table(raw, "data.xlsx"), user=users["admin"])
    assert report.ok, report.problems
    assert str(Observation.objects.get().value) == "0.300000"  # not 0.30000000000000004


def test_a_measure_marked_completed_must_be_at_100_percent(client, world, users):
    client.force_login(users["ndrc_staff"])
    url = reverse("entry:measure_update_create", args=[world["pv_measure"].pk])
    response = client.post(url, {"status": MeasureStatusId.completed(), "percent_complete": "60"})
    assert response.status_code == 400
    assert "100%" in response.context["form"].errors["percent_complete"][0]
    token, _ = Token.objects.get_or_create(user=users["ndrc_staff"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.post(
        "/api/v1/measure-updates/",
        {"measure": world["pv_measure"].pk, "status": "completed", "percent_complete": 60},
        format="json",
    )
    assert response.status_code == 400 and list(response.json()) == ["percent_complete"]
    assert not MeasureUpdate.objects.exists()
    response = client.post(url, {"status": MeasureStatusId.completed(), "percent_complete": ""})
    assert response.status_code == 302 and MeasureUpdate.objects.get().percent_complete == 100


def test_the_admin_refuses_a_completed_measure_below_100_percent(client, world, users):
    client.force_login(users["superuser"])
    data = {"measure": world["pv_measure"].pk, "status": MeasureStatusId.completed(), "percent_complete": "10"}
    response = client.post(reverse("admin:measures_measureupdate_add"), {**data, "note": ""})
    assert response.status_code == 200
    assert "100%" in response.context["adminform"].form.errors["percent_complete"][0]
    assert not MeasureUpdate.objects.exists()


class MeasureStatusId:
    @staticmethod
    def completed() -> int:
        from measures.models import MeasureStatus

        return MeasureStatus.objects.get(code="completed").pk


# Notes ----------------------------------------------------------------------------------------


def test_a_note_over_the_limit_is_refused_on_every_path(form, api, csv_import, admin_add):
    long = "说" * 2001
    status, errors = form(note=long)
    assert status == 400 and "说明最多2000个字符" in errors["note"][0]
    status, body = api(note=long)
    assert status == 400 and "说明最多2000个字符" in body["note"][0]
    assert "说明最多2000个字符" in csv_import(note=long).problems[0]
    status, errors = admin_add(note=long)
    assert status == 200 and "说明最多2000个字符" in errors["note"][0]
    assert not Observation.objects.exists()
    status, _ = form(note="说" * 2000)
    assert status == 302


def test_a_nul_character_in_a_note_is_refused_saying_so(form, api, upload, admin_add):
    status, errors = form(note="a\x00b")
    assert status == 400 and "NUL" in errors["note"][0]
    status, body = api(note="a\x00b")
    assert status == 400 and "NUL" in body["note"][0]
    # A CSV holding a NUL is not text: the import refuses the whole file, saying why.
    preview = upload("city,indicator_code,period,value,note\n测试市,pv_installed_capacity,2023,1,a\x00b\n".encode())
    assert preview.status == 400 and "NUL" in preview.file_errors[0]
    status, errors = admin_add(note="a\x00b")
    assert status == 200 and "NUL" in errors["note"][0]
    assert not Observation.objects.exists()


def test_messages_follow_the_page_language(client, world, users):
    client.force_login(users["ndrc_staff"])
    url = reverse("entry:observation_create", args=[world["pv"].pk])
    response = client.post(url, {"period": "2023", "value": "1,2,3"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    message = response.context["form"].errors["value"][0]
    assert "comma" in message and "1,2,3" in message


# Spreadsheets ---------------------------------------------------------------------------------


def test_a_workbook_with_more_rows_than_the_bound_stops_with_a_message(upload, monkeypatch):
    monkeypatch.setattr(table_read, "MAX_ROWS", 50)
    raw = _xlsx([["测试市", "pv_installed_capacity", 2005 + i % 15, i, ""] for i in range(200)])
    assert upload(raw, "data.xlsx").file_errors == ["文件“data.xlsx”超过50行数据，请拆分成多个文件。"]
    csv_text = "city,indicator_code,period,value,note\n" + "测试市,pv_installed_capacity,2020,1,\n" * 51
    assert upload(csv_text.encode(), "data.csv").file_errors == ["文件“data.csv”超过50行数据，请拆分成多个文件。"]
    assert not Observation.objects.exists()


def test_a_workbook_whose_cells_expand_past_the_bound_is_refused(upload, monkeypatch):
    monkeypatch.setattr(table_read, "MAX_TEXT", 10_000)
    raw = _xlsx([["测试市", "pv_installed_capacity", 2022, 1, "长" * 20_000]])
    assert len(raw) < 10_000  # small on disk, large once read
    preview = upload(raw, "data.xlsx")
    assert preview.status == 400 and "文字总量超过10,000个字符" in preview.file_errors[0]
    assert not Observation.objects.exists()


def test_a_long_note_in_a_workbook_is_named_by_the_note_rule(upload):
    preview = upload(_xlsx([["测试市", "pv_installed_capacity", 2022, 1, "长" * 5000]]), "data.xlsx")
    assert preview.problems == ["第2行：note列：说明最多2000个字符（现有5000个），请精简或另附材料。"]
    assert not Observation.objects.exists()


def test_a_csv_row_split_by_an_unquoted_comma_is_refused_not_shifted(upload):
    text = "city,indicator_code,period,value,note\n测试市,pv_installed_capacity,2022,1,234,备注\n"
    preview = upload(text.encode())
    assert preview.status == 400 and preview.file_errors[0].startswith("第2行的单元格比表头多：多出“备注”")


# The API's transport --------------------------------------------------------------------------


def test_json_nested_ten_thousand_levels_is_a_400(api, world):
    nested = "[" * 10_000 + "1" + "]" * 10_000
    body = f'{{"indicator": {world["pv"].pk}, "period": "2023", "value": {nested}}}'
    response = api.client.generic("POST", "/api/v1/observations/", body, content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert "嵌套" in response.json()["detail"]
    assert not Observation.objects.exists()


def test_an_over_large_post_gets_a_json_error(api, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({"indicator": world["pv"].pk, "period": "2023", "value": "1", "note": "x" * 20_000})
    response = api.client.generic("POST", "/api/v1/observations/", body, content_type="application/json")
    assert response.status_code == 413 and response["Content-Type"] == "application/json"
    assert "10,000" in response.json()["detail"]
    assert not Observation.objects.exists()


def test_an_over_large_post_in_a_browser_session_gets_json(world, users, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = Client()
    client.force_login(users["ndrc_staff"])
    body = json.dumps({"indicator": world["pv"].pk, "period": "2023", "note": "x" * 20_000})
    response = client.post("/api/v1/observations/", body, content_type="application/json")
    assert response.status_code == 413 and response["Content-Type"] == "application/json"
    # A form body is not parsed at all (JSON only), and says so in JSON.
    response = client.post("/api/v1/observations/", {"indicator": world["pv"].pk, "note": "x" * 20_000})
    assert response.status_code == 415 and response["Content-Type"] == "application/json"
    assert not Observation.objects.exists()


def test_djangos_own_body_limit_is_answered_in_json():
    from django.core.exceptions import RequestDataTooBig

    from api.errors import exception_handler

    response = exception_handler(RequestDataTooBig("too big"), {})
    assert response is not None and response.status_code == 413 and "字节" in str(response.data["detail"])
