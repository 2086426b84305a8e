"""Fixtures for the exports and the annual report."""

from __future__ import annotations

import io

import openpyxl
import pytest

from config.change_sources import ChangeSource
from reporting.recompute import progress_recompute
from reporting.services import observation_record
from targets.models import Indicator


@pytest.fixture
def leader_client(client, users):
    client.force_login(users["leader"])
    return client


def record(indicator: Indicator, period: str, value: object, user, note: str = "", is_demo: bool = False):
    return observation_record(
        source=ChangeSource.COMMAND,
        indicator=indicator,
        period=period,
        value=value,
        user=user,
        note=note,
        is_demo=is_demo,
        queue_recompute=False,
    )


def workbook(response) -> openpyxl.Workbook:
    assert response.status_code == 200, response.content[:500]
    return openpyxl.load_workbook(io.BytesIO(response.content))


def data_rows(sheet) -> list[tuple]:
    return [row for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.fixture
def zibo_non_fossil(four_plans, users):
    """Zibo's non-fossil energy share (≥10 % by 2025, about 20 % by 2030): the values of
    worked example A of docs/progress-method.md up to 2023, then 10.5 in 2024 and a month of
    2025. Snapshots are computed from all of it, as the pages show."""
    indicator = Indicator.objects.get(city__code="zibo", code="non_fossil_energy_share")
    for period, value in [("2020", "6.0"), ("2022", "7.5"), ("2023", "8.0"), ("2024", "10.5"), ("2025-03", "11")]:
        record(indicator, period, value, users["admin"])
    progress_recompute()
    return indicator


@pytest.fixture
def zibo_demo(four_plans, users):
    """The four plans with the cities' reporting set-up and the demo data up to 2025, as
    `make run` loads them, and today's snapshots computed from all of it."""
    from reporting.demo_data import demo_observations_create
    from targets.city_setup import default_setup_paths, read_setup_paths, setups_load

    files, problems = read_setup_paths(default_setup_paths())
    assert not problems, problems
    assert setups_load(files).ok
    demo_observations_create(last_year=2025)
    progress_recompute()
