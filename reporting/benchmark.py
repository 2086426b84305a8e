"""Synthetic data and timings for `manage.py bench_progress`.

Runs inside a throwaway database (created and dropped by the command). Generates many cities,
each with indicators observed monthly since 2020 and a 2025 and a 2030 target per indicator,
then measures the read floor, the full recompute, a one-indicator recompute (with one snapshot
per target, and again once every target has `history` snapshots) and the peak memory the full
recompute adds to the process.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import gc
import io
import statistics
import threading
import time
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.db.models import Max
from django.test.utils import CaptureQueriesContext

from config.change_sources import ChangeSource
from reporting.engine import RESULT_COLUMNS
from reporting.frames import observation_frame
from reporting.models import Observation, ProgressSnapshot
from reporting.recompute import (
    latest_snapshots,
    progress_recompute,
    progress_recompute_indicator,
    snapshots_write,
    targets_locked,
)
from reporting.services import observation_record
from targets.models import City, Indicator, Plan, Sector, Target

MONTHS = [(year, month) for year in range(2020, 2026) for month in range(1, 13)]
KINDS = ["level", "change_vs_baseline", "cumulative", "annual_growth"]


@dataclass
class BenchResult:
    read_s: float
    recompute_s: float
    recompute_unchanged_s: float
    incremental_ms: float  # median, with `history` snapshots per target
    incremental_first_ms: float  # median, with one snapshot per target (the reference)
    incremental_cpu_ms: float  # median CPU time of this process, with `history` snapshots per target
    incremental_queries: int  # of one incremental run, transaction statements included
    floor_ms: float  # median: lock the same indicator's targets and commit, timed beside each run
    latest_ms: float  # median of the latest-snapshot query for one indicator's targets
    latest_before_ms: float  # the same with the target filter outside the aggregate, as before
    peak_mb: float  # above the process's baseline
    baseline_mb: float
    observations: int
    targets: int
    history: int
    snapshots: int

    def as_dict(self) -> dict[str, float]:
        return {
            "read_s": round(self.read_s, 3),
            "recompute_s": round(self.recompute_s, 3),
            "recompute_unchanged_s": round(self.recompute_unchanged_s, 3),
            "incremental_ms": round(self.incremental_ms, 1),
            "incremental_first_ms": round(self.incremental_first_ms, 1),
            "incremental_cpu_ms": round(self.incremental_cpu_ms, 1),
            "incremental_queries": self.incremental_queries,
            "floor_ms": round(self.floor_ms, 1),
            "latest_ms": round(self.latest_ms, 2),
            "latest_before_ms": round(self.latest_before_ms, 2),
            "peak_mb": round(self.peak_mb, 1),
            "baseline_mb": round(self.baseline_mb, 1),
            "history": self.history,
            "snapshots": self.snapshots,
        }


class PeakMemory:
    """Samples the process's resident memory in a thread. The baseline is taken on entry, after
    a garbage collection and handing freed heap back to the system, so `peak_mb` is what the
    block added: not the interpreter, Django or data left from earlier steps."""

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.baseline_kb = 0
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def rss_kb() -> int:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, self.rss_kb())
            time.sleep(self.interval)

    def __enter__(self) -> PeakMemory:
        gc.collect()
        _release_free_heap()
        self.baseline_kb = self.peak_kb = self.rss_kb()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_kb = max(self.peak_kb, self.rss_kb())

    @property
    def peak_mb(self) -> float:
        return (self.peak_kb - self.baseline_kb) / 1024

    @property
    def baseline_mb(self) -> float:
        return self.baseline_kb / 1024


def _release_free_heap() -> None:
    """glibc keeps freed memory mapped; give it back so the baseline is what is in use."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: the baseline is a little high
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@transaction.atomic
def synthetic_data_create(*, cities: int, observations: int, seed: int = 7) -> tuple[int, int]:
    """Cities with enough monthly-observed indicators to make `observations` rows."""
    rng = np.random.default_rng(seed)
    per_city = max(1, round(observations / cities / len(MONTHS)))
    sectors = list(Sector.objects.all())
    city_rows = City.objects.bulk_create(
        [City(code=f"bench-{i}", name=f"基准市{i}", name_en=f"Bench {i}") for i in range(cities)]
    )
    plans = Plan.objects.bulk_create(
        [
            Plan(city=c, code=f"bench-plan-{c.code}", title=f"{c.name}碳达峰工作方案",
                 document_number=f"基准〔2024〕{i}号", issued=dt.date(2024, 1, 1), kind="carbon_peaking")
            for i, c in enumerate(city_rows)
        ]
    )  # fmt: skip
    indicators = Indicator.objects.bulk_create(
        [
            Indicator(city=c, code=f"metric_{k}", name=f"指标{k}", unit="%",
                      direction="increase" if k % 3 else "decrease", nature="flow" if k % 4 == 2 else "stock",
                      sector=sectors[k % len(sectors)])
            for c in city_rows for k in range(per_city)
        ],
        batch_size=5000,
    )  # fmt: skip
    plan_of_city = {p.city_id: p for p in plans}
    targets = []
    for indicator in indicators:
        k = int(indicator.code.split("_")[1])
        kind = KINDS[k % len(KINDS)]
        rising = indicator.direction == "increase"
        for year in (2025, 2030):
            targets.append(_synthetic_target(plan_of_city[indicator.city_id], indicator, kind, year, rising))
    Target.objects.bulk_create(targets, batch_size=5000)
    _write_observations(indicators, rng)
    return Observation.objects.count(), len(targets)


def _synthetic_target(plan: Plan, indicator: Indicator, kind: str, year: int, rising: bool) -> Target:
    value = {"level": 120 if rising else 80, "change_vs_baseline": 15 if rising else -15, "cumulative": 40,
             "annual_growth": 5 if rising else -3}[kind]  # fmt: skip
    return Target(
        plan=plan, code=f"{indicator.code}-{year}", indicator=indicator, kind=kind,
        comparator="at_least" if rising or kind == "cumulative" else "at_most", value=Decimal(value),
        target_year=year, period_start=2021 if kind == "cumulative" else None,
        baseline_year=2020 if kind in ("change_vs_baseline", "annual_growth") else None, section="二",
        source_text="synthetic",
    )  # fmt: skip


def _write_observations(indicators: list[Indicator], rng: np.random.Generator) -> None:
    months = len(MONTHS)
    ids = np.repeat([i.pk for i in indicators], months)
    drift = np.repeat(rng.normal(0.3, 0.4, len(indicators)), months)
    step = np.tile(np.arange(months), len(indicators))
    values = 100 + drift * step + rng.normal(0, 1, len(ids))
    labels = np.tile([f"{y}-{m:02d}" for y, m in MONTHS], len(indicators))
    ends = np.tile([_month_end(y, m).isoformat() for y, m in MONTHS], len(indicators))
    table = Observation._meta.db_table
    # Raw rows fill every NOT NULL column themselves (Django's defaults are not in the schema):
    # approved values, as the engine counts only those, outside any import batch.
    columns = [
        "indicator_id", "period", "period_end", "value", "note", "is_demo", "entered_at",
        "status", "batch", "review_note",
    ]  # fmt: skip
    now = dt.datetime.now(dt.UTC).isoformat()
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        for row in zip(ids, labels, ends, np.round(values, 4), strict=True):
            buffer.write(f"{row[0]}\t{row[1]}\t{row[2]}\t{row[3]}\t\tf\t{now}\tapproved\t\t\n")
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_from(buffer, table, columns=columns)
    else:
        rows = [
            (int(a), b, c, float(d), "", False, now, "approved", "", "")
            for a, b, c, d in zip(ids, labels, ends, values, strict=True)
        ]
        placeholders = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows)


def _month_end(year: int, month: int) -> dt.date:
    first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


def measure(*, incremental_runs: int = 20, history: int = 1) -> BenchResult:
    """Time the read floor, a full recompute, an unchanged recompute and one-indicator
    recomputes; then give every target `history` snapshots and time the one-indicator
    recomputes again."""
    with PeakMemory() as memory:
        start = time.perf_counter()
        frame = observation_frame()
        read_s = time.perf_counter() - start
        rows = len(frame)
        del frame
        start = time.perf_counter()
        full = progress_recompute()
        recompute_s = time.perf_counter() - start
    start = time.perf_counter()
    progress_recompute()
    unchanged_s = time.perf_counter() - start
    _settle()
    first = _time_incremental(incremental_runs, period="2026-01")
    if history > 1:
        _history_seed(generations=history - 2)
        progress_recompute()  # the real results become the latest again: `history` per target
        _settle()
    latest, latest_before = _time_latest_snapshots(incremental_runs)
    timings = _time_incremental(incremental_runs, period="2026-02")
    return BenchResult(
        read_s=read_s, recompute_s=recompute_s, recompute_unchanged_s=unchanged_s,
        incremental_ms=timings.median_ms, incremental_first_ms=first.median_ms, incremental_cpu_ms=timings.cpu_ms,
        incremental_queries=timings.queries, floor_ms=timings.floor_ms,
        latest_ms=1000 * statistics.median(latest), latest_before_ms=1000 * statistics.median(latest_before),
        peak_mb=memory.peak_mb, baseline_mb=memory.baseline_mb, observations=rows, targets=full.targets,
        history=history, snapshots=ProgressSnapshot.objects.count(),
    )  # fmt: skip


def _settle() -> None:
    """Vacuum and analyse after bulk writes, as autovacuum would soon, so the timings that
    follow are not taken while it works on the tables just written."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


@dataclass
class IncrementalTimings:
    median_ms: float
    cpu_ms: float  # this process's CPU time: what the code costs, whatever else runs on the machine
    queries: int
    floor_ms: float


def _time_incremental(runs: int, *, period: str) -> IncrementalTimings:
    """A new value for a random indicator, then (timed) the recompute its task would run; and
    beside each run the floor of any recompute that writes: a transaction that locks the same
    targets and commits (its round trips and its commit's flush, under the same load)."""
    wall, cpu, floor, queries = [], [], [], 0
    for indicator_id in Indicator.objects.order_by("?").values_list("pk", flat=True)[:runs]:
        indicator = Indicator.objects.get(pk=indicator_id)
        observation_record(
            indicator=indicator, period=period, value="123.4", user=None,
            source=ChangeSource.COMMAND, queue_recompute=False,
        )  # fmt: skip
        start, start_cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as captured:
            progress_recompute_indicator(indicator_id=indicator_id)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        queries = len(captured.captured_queries)
        start = time.perf_counter()
        with transaction.atomic():
            list(targets_locked(Target.objects.filter(indicator_id=indicator_id)).values_list("pk", flat=True))
        floor.append(time.perf_counter() - start)
    return IncrementalTimings(
        median_ms=1000 * statistics.median(wall), cpu_ms=1000 * statistics.median(cpu), queries=queries,
        floor_ms=1000 * statistics.median(floor),
    )  # fmt: skip


def _history_seed(*, generations: int) -> None:
    """Older results for every target (each differing from the next), as months of nightly
    runs leave them."""
    targets = list(Target.objects.values_list("pk", flat=True))
    for generation in range(generations):
        frame = pd.DataFrame({column: np.nan for column in RESULT_COLUMNS}, index=range(len(targets)))
        frame["target_id"] = targets
        frame["status"] = "no_data"
        frame["latest_period"] = frame["rate_basis"] = frame["note"] = ""
        frame["latest_value"] = float(generation)
        snapshots_write(frame, computed_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=generation))


def _time_latest_snapshots(runs: int) -> tuple[list[float], list[float]]:
    """The latest-snapshot read for one indicator's targets, and the same with the target filter
    outside the aggregate (the form it had before), which reads every snapshot stored."""
    now: list[float] = []
    before: list[float] = []
    for indicator_id in Indicator.objects.order_by("?").values_list("pk", flat=True)[:runs]:
        ids = list(Target.objects.filter(indicator_id=indicator_id).values_list("pk", flat=True))
        start = time.perf_counter()
        latest_snapshots(ids)
        now.append(time.perf_counter() - start)
        if len(before) >= 5:  # it reads every snapshot: five are enough for a median
            continue
        start = time.perf_counter()
        last = ProgressSnapshot.objects.values("target_id").annotate(last=Max("id")).values("last")
        list(ProgressSnapshot.objects.filter(id__in=last, target_id__in=ids).values_list(*RESULT_COLUMNS))
        before.append(time.perf_counter() - start)
    return now, before
