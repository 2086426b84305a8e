"""The reporting calendar and the completeness counts, against hand-counted cases."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from reporting.models import Observation
from reporting.schedule import DueRule, due_date, period_labels
from reporting.status_selectors import completeness_by_bureau, owed_by
from targets.models import CitySetup, IndicatorReporting

TZ = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2024, 6, 1)


def test_due_dates_and_periods():
    rule = DueRule(first_year=2021, annual_due_month=3, annual_due_day=31, subannual_due_days=30)
    assert due_date("2022", rule) == dt.date(2023, 3, 31)
    assert due_date("2023-Q4", rule) == dt.date(2024, 1, 30)
    assert due_date("2024-02", rule) == dt.date(2024, 3, 30)
    assert period_labels("annual", first_year=2021, today=TODAY) == ["2021", "2022", "2023"]
    assert period_labels("quarterly", first_year=2024, today=TODAY) == ["2024-Q1"]
    assert period_labels("monthly", first_year=2024, today=TODAY) == [
        "2024-01",
        "2024-02",
        "2024-03",
        "2024-04",
        "2024-05",
    ]


def _obs(indicator, period, submitted, status="approved"):
    year = int(period[:4])
    return Observation.objects.create(
        indicator=indicator,
        period=period,
        period_end=dt.date(year, 12, 31),
        value=1,
        status=status,
        submitted_at=dt.datetime.combine(submitted, dt.time(9), tzinfo=TZ),
    )


@pytest.fixture
def calendar_world(world):
    CitySetup.objects.create(
        city=world["city"], coordinating_bureau=world["ndrc"], review_required=True, first_year=2021
    )
    IndicatorReporting.objects.create(indicator=world["pv"], bureau=world["ndrc"])
    IndicatorReporting.objects.create(indicator=world["pm"], bureau=world["eco"])
    # On 2024-06-01, 2021, 2022 and 2023 are due (by 31 March of the next year); 2024 has not ended.
    _obs(world["pv"], "2021", dt.date(2022, 3, 31))  # on time, approved (the due day itself counts)
    _obs(world["pv"], "2022", dt.date(2023, 4, 2))  # late, approved
    _obs(world["pv"], "2023", dt.date(2024, 3, 1), status="submitted")  # on time, pending
    _obs(world["pm"], "2021", dt.date(2022, 5, 1))  # late, approved
    _obs(world["pm"], "2022", dt.date(2023, 3, 1), status="returned")  # returned: owed again, missing
    # pm 2023: nothing -> missing
    return world


def test_completeness_is_hand_counted(calendar_world):
    rows = {row.bureau.name: row.as_dict() for row in completeness_by_bureau(city=calendar_world["city"], today=TODAY)}
    keys = ("due", "submitted", "approved", "on_time", "late", "missing", "open")
    assert [rows["市发展改革委"][k] for k in keys] == [3, 3, 2, 2, 1, 0, 0]
    assert [rows["市生态环境局"][k] for k in keys] == [3, 1, 1, 0, 1, 2, 0]


def test_owed_lists_returned_then_missing_then_open(calendar_world):
    items = owed_by(bureau=calendar_world["eco"], today=dt.date(2025, 1, 10))
    # On 2025-01-10 the year 2024 has ended but is not due until 31 March: open.
    assert [(i.period, i.state) for i in items] == [("2022", "returned"), ("2023", "missing"), ("2024", "open")]
    assert items[-1].due == dt.date(2025, 3, 31)


def test_reporting_status_command(calendar_world):
    out = StringIO()
    call_command("reporting_status", "--city", "测试市", "--json", "--today", "2024-06-01", stdout=out)
    payload = json.loads(out.getvalue())
    assert payload["total"] == {
        "due": 6, "submitted": 4, "approved": 3, "on_time": 2, "late": 2, "missing": 2, "open": 0,
    }  # fmt: skip
    assert [b["bureau"] for b in payload["bureaus"]] == ["市生态环境局", "市发展改革委"]  # most missing first
    table = StringIO()
    call_command("reporting_status", "--city", "testcity", "--today", "2024-06-01", stdout=table)
    lines = table.getvalue().splitlines()
    assert lines[2].split() == ["市生态环境局", "3", "1", "1", "1", "2", "0"]
    assert lines[-1].split() == ["total", "6", "4", "3", "2", "2", "0"]


def test_city_without_setup_has_no_calendar(world):
    assert completeness_by_bureau(city=world["city"], today=TODAY) == []


def test_who_reports_what_is_read_again_after_a_plan_change_not_after_progress(calendar_world, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from config.change_sources import ChangeSource
    from reporting.recompute import progress_recompute
    from reporting.services import observation_record

    eco = calendar_world["eco"]
    assert [i.period for i in owed_by(bureau=eco, today=TODAY)] == ["2022", "2023"]
    observation_record(
        indicator=calendar_world["pm"], period="2023", value="30", user=users["admin"], source=ChangeSource.PAGE
    )
    progress_recompute()
    with CaptureQueriesContext(connection) as queries:
        assert [i.period for i in owed_by(bureau=eco, today=TODAY)] == ["2022"]  # the new value counts
    assert [query["sql"] for query in queries.captured_queries if "indicatorreporting" in query["sql"]] == []
    reporting = IndicatorReporting.objects.get(indicator=calendar_world["pm"])
    reporting.bureau = calendar_world["ndrc"]  # a plan change: seen at once
    reporting.save()
    assert owed_by(bureau=eco, today=TODAY) == []
