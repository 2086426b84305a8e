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
        "(with snapshot writes), one-indicator recompute, peak memory."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cities", type=int, default=300)
        parser.add_argument("--observations", type=int, default=1_000_000)
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        with throwaway_database(f"bench_progress_{options['cities']}"):
            observations, targets = synthetic_data_create(
                cities=options["cities"], observations=options["observations"]
            )
            result = measure()
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
            return
        self.stdout.write(
            f"{connection.vendor}: {options['cities']} cities, {observations:,} observations, {targets:,} targets\n"
            f"read all observations (floor):   {result.read_s:8.2f} s\n"
            f"full recompute (with snapshots): {result.recompute_s:8.2f} s  "
            f"({result.recompute_s / result.read_s:.1f}x the read)\n"
            f"recompute, nothing changed:      {result.recompute_unchanged_s:8.2f} s\n"
            f"one indicator after one value:   {result.incremental_ms:8.1f} ms (median of 20)\n"
            f"peak memory:                     {result.peak_mb:8.0f} MB"
        )
