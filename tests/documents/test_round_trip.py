"""Observations exported and imported again change nothing: no row, value, history record or
recompute. A changed value in the file is still taken, and only its indicator recomputed."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from reporting import bulk_record
from reporting.imports import observations_check, observations_import, read_table
from reporting.models import Observation, ProgressSnapshot
from reporting.recompute import progress_recompute
from tests.documents.conftest import record


@pytest.fixture
def stored(world, users):
    admin = users["admin"]
    record(world["pv"], "2021", "310", admin)
    record(world["pv"], "2022", "400.125", admin, note="快报，待核")
    record(world["pv"], "2023-Q2", "455", admin, note='=HYPERLINK("http://example.com")')
    record(world["pm"], "2021", "40.5", admin, note="年报")
    record(world["pm"], "2022-06", None, admin, note="监测站改造，本月无数据")  # a note without a value
    record(world["pm"], "2023", "-0.000001", admin)  # the smallest step the field holds, negative
    record(world["pm"], "2024", "37", admin, note="演示", is_demo=True)
    progress_recompute()
    return world


def _state() -> dict:
    return {
        "observations": sorted(
            Observation.objects.values_list(
                "indicator_id", "period", "period_end", "value", "note", "is_demo", "entered_by", "entered_at"
            )
        ),
        "history": Observation.history.count(),
        "snapshots": ProgressSnapshot.objects.count(),
    }


@pytest.fixture
def queued(monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(bulk_record, "queue_recompute_for", calls.append)
    return calls


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exported_observations_import_again_without_any_change(
    fmt, stored, users, leader_client, queued, django_capture_on_commit_callbacks
):
    exported = leader_client.get(
        "/reports/export/cities/testcity.xlsx" if fmt == "xlsx" else "/reports/export/cities/testcity/observations.csv"
    )
    before = _state()

    frame = read_table(exported.content, f"export.{fmt}")
    assert len(frame) == 7
    check = observations_check(frame, user=users["admin"])
    assert check.ok, check.problems
    with django_capture_on_commit_callbacks(execute=True):
        result = observations_import(frame, user=users["admin"])

    assert result.ok and result.counts == {"unchanged": 7}
    assert _state() == before
    assert queued == []  # nothing changed, so no recompute was asked for
    assert progress_recompute().written == 0  # and none was needed
    assert Observation.objects.get(indicator=stored["pm"], period="2024").is_demo  # still marked as demo


def test_a_changed_value_in_the_export_is_taken_and_only_its_indicator_recomputed(
    stored, users, leader_client, queued, django_capture_on_commit_callbacks
):
    book = openpyxl.load_workbook(io.BytesIO(leader_client.get("/reports/export/cities/testcity.xlsx").content))
    sheet = book["观测值"]
    row = next(r for r in sheet.iter_rows(min_row=2) if (r[1].value, r[2].value) == ("pv_installed_capacity", "2021"))
    row[3].value = 320
    buffer = io.BytesIO()
    book.save(buffer)
    history = Observation.history.count()

    with django_capture_on_commit_callbacks(execute=True):
        result = observations_import(read_table(buffer.getvalue(), "edited.xlsx"), user=users["admin"])

    assert result.counts == {"updated": 1, "unchanged": 6}
    assert Observation.objects.get(indicator=stored["pv"], period="2021").value == Decimal("320")
    assert Observation.history.count() == history + 1
    assert queued == [stored["pv"].pk]


def test_bureau_staff_can_re_upload_their_bureaus_export(stored, users, client):
    client.force_login(users["ndrc_staff"])
    exported = client.get(f"/reports/export/bureaus/{stored['ndrc'].pk}/observations.csv")
    frame = read_table(exported.content, "mine.csv")
    assert set(frame["indicator_code"]) == {"pv_installed_capacity"}
    assert observations_check(frame, user=users["ndrc_staff"]).ok
