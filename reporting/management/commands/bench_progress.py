from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from config.throwaway_db import throwaway_database
from reporting.benchmark import measure, synthetic_data_create


class Command(BaseCommand):
    help = (
        "Benchmark the progress engine on synthetic data in a throwaway database: read floor, full recompute "
        "(with snapshot writes), one-indicator recompute with one and with --history snapshots per target, "
        "peak memory above the process's baseline."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cities", type=int, default=300)
        parser.add_argument("--observations", type=int, default=1_000_000)
        parser.add_argument(
            "--history", type=int, default=10, help="snapshots per target before the one-indicator recompute is timed"
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        with throwaway_database(f"bench_progress_{options['cities']}") as database:
            observations, targets = synthetic_data_create(
                cities=options["cities"], observations=options["observations"]
            )
            result = measure(history=max(1, options["history"]))
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
            return
        where = f"{connection.vendor} (throwaway database {database or 'in memory'}, dropped)"
        self.stdout.write(
            f"{where}: {options['cities']} cities, {observations:,} observations, {targets:,} targets\n"
            f"read all observations (floor):   {result.read_s:8.2f} s\n"
            f"full recompute (with snapshots): {result.recompute_s:8.2f} s  "
            f"({result.recompute_s / result.read_s:.1f}x the read)\n"
            f"recompute, nothing changed:      {result.recompute_unchanged_s:8.2f} s\n"
            f"one indicator after one value:   {result.incremental_first_ms:8.1f} ms (median of 20; 1 snapshot "
            f"per target: the reference)\n"
            f"  the same, {result.history} snapshots/target: {result.incremental_ms:8.1f} ms (median of 20; "
            f"{result.incremental_ms / result.incremental_first_ms:.2f}x the reference; "
            f"{result.snapshots:,} snapshots stored)\n"
            f"    of which CPU in this process: {result.incremental_cpu_ms:8.1f} ms (median); "
            f"{result.incremental_queries} queries, transaction statements included\n"
            f"    floor, lock its targets and commit: {result.floor_ms:5.1f} ms (median, timed beside each run; "
            f"the recompute is {result.incremental_ms / result.floor_ms:.1f}x this)\n"
            f"latest snapshots of one indicator: {result.latest_ms:6.2f} ms (median; with the target filter "
            f"outside the aggregate, as before: {result.latest_before_ms:.1f} ms, "
            f"{result.latest_before_ms / result.latest_ms:.0f}x)\n"
            f"peak memory of the full recompute: {result.peak_mb:6.0f} MB above the process's baseline "
            f"({result.baseline_mb:.0f} MB)"
        )
