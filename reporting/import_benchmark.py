"""A large synthetic observation file and the timing of its import, for `bench_import` and the
test that imports 100,000 rows through the job service."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.utils import timezone

from config.change_sources import ChangeSource
from reporting.imports import observations_check, observations_import, read_table
from reporting.services import observation_record
from targets.models import City, Indicator, Sector

EARLIEST_YEAR = 2005


def periods() -> list[str]:
    """Every year, quarter and month from 2005 to last year: about 17 a year."""
    labels = []
    for year in range(EARLIEST_YEAR, timezone.localdate().year):
        labels += [str(year)] + [f"{year}-Q{q}" for q in range(1, 5)] + [f"{year}-{m:02d}" for m in range(1, 13)]
    return labels


def bench_indicators_create(*, rows: int, city_code: str = "benchcity") -> list[Indicator]:
    """Enough indicators in one new city that `rows` rows have distinct (indicator, period)."""
    sector = Sector.objects.order_by("position").first() or Sector.objects.create(code="energy", name="能源")
    city = City.objects.create(code=city_code, name="基准测试市", name_en="Bench City")
    count = -(-rows // len(periods()))
    return Indicator.objects.bulk_create(
        Indicator(city=city, code=f"bench_{i:04d}", name=f"基准指标{i}", unit="万吨", sector=sector)
        for i in range(count)
    )


def observations_csv(indicators: list[Indicator], rows: int, *, offset: float = 0) -> bytes:
    """`rows` rows of the import format, each (indicator, period) once; values shift by `offset`."""
    labels = periods()
    lines = ["city,indicator_code,period,value,note"]
    for n in range(rows):
        indicator = indicators[n // len(labels)]
        lines.append(f"{indicator.city.name},{indicator.code},{labels[n % len(labels)]},{n % 997 + offset:.2f},")
    return ("\n".join(lines) + "\n").encode()


@dataclass
class ImportTimes:
    rows: int
    megabytes: float
    read_s: float
    check_s: float  # with read_s, the work of the upload preview, which stays in the request
    create_s: float
    unchanged_s: float
    update_s: float
    row_by_row_ms: float  # median per row, the reference: one observation_record per row

    @property
    def bulk_ms_per_row(self) -> float:
        return 1000 * self.create_s / self.rows


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def import_measure(*, rows: int, user: Any, reference_rows: int = 200) -> ImportTimes:
    indicators = bench_indicators_create(rows=rows + reference_rows)
    raw = observations_csv(indicators, rows)
    read_s, frame = _timed(lambda: read_table(raw, "bench.csv"))
    check_s, _ = _timed(lambda: observations_check(frame, user=user))
    create_s, report = _timed(lambda: observations_import(frame, user=user))
    assert report.ok and report.counts["created"] == rows, report.problems[:3]
    unchanged_s, report = _timed(lambda: observations_import(frame, user=user))
    assert report.counts["unchanged"] == rows
    changed = read_table(observations_csv(indicators, rows, offset=0.5), "bench.csv")
    update_s, report = _timed(lambda: observations_import(changed, user=user))
    assert report.counts["updated"] == rows
    # The reference: the service every single entry uses, row by row, on rows not yet stored.
    spare = indicators[-1]
    per_row = []
    for label in periods()[:reference_rows]:
        seconds, _ = _timed(
            partial(
                observation_record,
                source=ChangeSource.COMMAND,
                indicator=spare,
                period=label,
                value="1",
                user=user,
                queue_recompute=False,
            )
        )
        per_row.append(seconds * 1000)
    reference_ms = statistics.median(per_row)
    return ImportTimes(rows, len(raw) / 1e6, read_s, check_s, create_s, unchanged_s, update_s, reference_ms)
