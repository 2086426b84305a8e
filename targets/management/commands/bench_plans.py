from __future__ import annotations

import json
import math
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from config.bench_database import BenchDatabaseError, bench_database
from targets.plan_copies import plan_copy, real_plan_copies
from targets.plan_loader import LoadReport, plans_load


def _timed_load(files: list) -> tuple[float, LoadReport]:
    start = time.perf_counter()
    report = plans_load(files)
    if not report.ok:
        raise CommandError("; ".join(map(str, report.problems[:5])))
    return time.perf_counter() - start, report


class Command(BaseCommand):
    help = (
        "Time load_plans on --files renamed copies of the real plans next to one file, and loading them again "
        "(nothing changes), in the benchmark's own database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--files", type=int, default=100, help="plan files (a multiple of 4: the real plans)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        copies = math.ceil(options["files"] / 4)
        try:
            with bench_database("bench_plans") as _database:
                files = real_plan_copies(copies + 1)[4:]  # renamed copies only, so each load creates its rows
                one_s, _ = _timed_load([plan_copy(files[0], 9999)])
                many_s, first = _timed_load(files)
                again_s, again = _timed_load(files)
        except BenchDatabaseError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(first.created.values())
        result = {
            "files": len(files),
            "rows": rows,
            "one_file_s": round(one_s, 2),
            "files_s": round(many_s, 2),
            "again_unchanged_s": round(again_s, 2),
            "per_file_ratio": round((many_s / len(files)) / one_s, 2),
        }
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(f"{connection.vendor}: load_plans, all or nothing, in one transaction per run")
        self.stdout.write(f"  1 file                      {one_s:7.2f} s")
        self.stdout.write(
            f"  {len(files)} files ({rows} rows created) {many_s:7.2f} s"
            f"  ({many_s / len(files) / one_s:.2f}x the one file's time per file)"
        )
        unchanged = sum(again.unchanged.values())
        self.stdout.write(f"  the same {len(files)} files again     {again_s:7.2f} s  ({unchanged} rows unchanged)")
        for line in first.summary_lines():
            self.stdout.write(f"    {line}")
