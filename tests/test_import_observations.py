"""Importing observations: every bad row named, nothing stored unless all rows are good."""

from __future__ import annotations

import io
from decimal import Decimal
from io import StringIO

import pandas as pd
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from config.change_sources import ChangeSource
from reporting.imports import observations_import, read_table
from reporting.models import Observation

GOOD = (
    "city,indicator_code,period,value,note\n"
    "测试市,pv_installed_capacity,2021,310,快报\n"
    "测试市,pm25_concentration,2021,40.5,\n"
)


def _csv(text: str) -> pd.DataFrame:
    return read_table(text.encode("utf-8"), "data.csv")


def test_good_csv_is_imported_and_reimport_updates_in_place(world, users):
    report = observations_import(_csv(GOOD), user=users["admin"])
    assert report.ok and report.counts == {"created": 2}
    again = observations_import(_csv(GOOD.replace("310", "320")), user=users["admin"])
    assert again.counts == {"updated": 1, "unchanged": 1}
    observation = Observation.objects.get(indicator=world["pv"], period="2021")
    assert observation.value == Decimal("320")
    assert [h.value for h in observation.history.order_by("history_date")] == [Decimal("310"), Decimal("320")]
    assert Observation.objects.count() == 2


def test_every_bad_row_is_reported_and_nothing_is_stored(world, users):
    text = (
        "city,indicator_code,period,value,note\n"
        "测试市,pv_installed_capacity,2021,310,\n"  # row 2: good
        "测试市,pv_installed_capacity,2022,很多,\n"  # row 3: not a number
        "测试市,no_such_code,2022,1,\n"  # row 4: unknown indicator
        "测试市,pv_installed_capacity,2099,1,\n"  # row 5: future period
        "测试市,pv_installed_capacity,2021,311,\n"  # row 6: duplicate of row 2
        "别的市,pv_installed_capacity,2021,1,\n"  # row 7: unknown city
    )
    report = observations_import(_csv(text), user=users["admin"])
    rows = {p.row: p.reason for p in report.problems}
    assert sorted(rows) == [3, 4, 5, 6, 7]
    assert "不是数字" in rows[3] and "no_such_code" in rows[4] and "尚未开始" in rows[5]
    assert "第2行" in rows[6] and "别的市" in rows[7]
    assert not Observation.objects.exists()


def test_staff_may_import_only_their_bureaus_indicators(world, users):
    report = observations_import(_csv(GOOD), user=users["ndrc_staff"])
    assert [p.row for p in report.problems] == [3] and "无权" in report.problems[0].reason
    assert not Observation.objects.exists()


def test_excel_files_are_read(world, users):
    buffer = io.BytesIO()
    pd.DataFrame(
        {
            "city": ["测试市"],
            "indicator_code": ["pv_installed_capacity"],
            "period": [2022],
            "value": [333.3],
            "note": [""],
        }
    ).to_excel(buffer, index=False)
    report = observations_import(read_table(buffer.getvalue(), "data.xlsx"), user=users["admin"])
    assert report.ok, report.problems
    assert Observation.objects.get(period="2022").value == Decimal("333.3")


@pytest.mark.parametrize(
    ("raw", "name", "message"),
    [
        (b"PK\x03\x04garbage", "data.xlsx", "不是有效的Excel"),
        (b"%PDF-1.4", "report.pdf", "不是CSV或Excel"),
        (b"\x81\xff\xff\xff city", "data.csv", "无法识别文件“data.csv”的编码"),
        (b"city,period\nx,2020\n", "data.csv", "缺少列：indicator_code, value"),
    ],
)
def test_files_that_are_not_tables_get_one_clear_message(raw, name, message):
    with pytest.raises(ValidationError) as error:
        read_table(raw, name)
    assert message in error.value.messages[0]


def test_import_command(world, users, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    out = StringIO()
    call_command("import_observations", str(good), "--user", "admin", stdout=out)
    assert "Imported 2 row(s): 2 created, 0 updated, 0 unchanged." in out.getvalue()
    assert Observation.objects.get(period="2021", indicator=world["pv"]).entered_by == users["admin"]
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD.replace("40.5", "n/a"), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_observations", str(bad))
    assert "1 bad row(s); nothing was imported" in str(error.value) and "第3行" in str(error.value)


def test_a_number_too_large_to_store_is_refused_by_every_entry_path(world, users):
    from django.core.exceptions import ValidationError

    from reporting.services import observation_record

    with pytest.raises(ValidationError) as error:
        observation_record(
            source=ChangeSource.COMMAND, indicator=world["pv"], period="2023", value="1e20", user=users["ndrc_staff"]
        )
    assert "过大" in str(error.value)
    assert not Observation.objects.exists()
