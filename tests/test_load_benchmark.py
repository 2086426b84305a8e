"""The load benchmark's own arithmetic and its lost-write check (the run itself is a command)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from reporting.load_benchmark import LoadResult, Sample, writes_missing
from reporting.models import Observation


def test_quantiles_and_errors_are_counted_per_kind():
    result = LoadResult(users=2, seconds=10.0)
    result.samples = [Sample("read", "p", 200, t / 1000) for t in range(1, 101)]
    result.samples += [Sample("write", "w", 201, 0.5), Sample("write", "w", 500, 0.7), Sample("read", "p", 0, 30.0)]
    figures = result.as_dict()
    assert figures["requests"] == 103
    assert figures["requests_per_s"] == 10.3
    assert figures["errors"] == 2  # the 500 and the connection that never answered
    assert figures["writes"]["count"] == 2
    assert figures["reads"]["p50_ms"] == pytest.approx(51.0, abs=0.5)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="bench_load checks a PostgreSQL database")
def test_an_acknowledged_write_that_is_absent_or_different_is_reported(world, users, live_server):
    Observation.objects.create(indicator=world["pv"], period="2010", period_end="2010-12-31", value=Decimal("5.5"))
    Observation.objects.create(indicator=world["pv"], period="2011", period_end="2011-12-31", value=Decimal("7"))
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    acknowledged = [(world["pv"].pk, "2010", "5.50"), (world["pv"].pk, "2011", "8.00"), (world["pv"].pk, "2012", "1")]
    assert writes_missing(url, acknowledged) == acknowledged[1:]
