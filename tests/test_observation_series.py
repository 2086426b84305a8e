"""The charts' observations as plain lists (reporting.series): approved values only, in time
order on the engine's time axis, each indicator apart."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reporting.frames import observation_frame
from reporting.series import observation_series
from tests.factories import ObservationFactory

pytestmark = pytest.mark.django_db


def test_series_in_time_order_approved_only_and_as_the_engine_reads_them(world):
    pv, pm = world["pv"], world["pm"]
    ObservationFactory(indicator=pv, period="2024", value=Decimal("120.5"))
    ObservationFactory(indicator=pv, period="2023-06", period_end=dt.date(2023, 6, 30), value=None, note="统计口径调整")
    ObservationFactory(indicator=pv, period="2022", value=Decimal("80"))
    ObservationFactory(indicator=pv, period="2025", value=Decimal("999"), status="submitted")  # pending review
    ObservationFactory(indicator=pm, period="2024", value=Decimal("35"))
    series = observation_series([pv.pk, pm.pk])
    assert series[pv.pk].t == [2022.0, 2022.5, 2024.0]
    assert series[pv.pk].value == [80.0, None, 120.5]
    assert series[pv.pk].period == ["2022", "2023-06", "2024"]
    assert series[pm.pk].value == [35.0]
    frame = observation_frame([pv.pk]).sort_values("t")
    assert frame["t"].tolist() == series[pv.pk].t  # the same axis as the engine's
    assert observation_series([]) == {}
