from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from accounts.models import User
from config.throwaway_db import throwaway_database
from reporting.import_benchmark import import_measure


class Command(BaseCommand):
    help = (
        "Benchmark the observation import in a throwaway database: a file of new rows, the same file again "
        "(all unchanged), every value changed; against row-by-row recording as the reference."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, default=100_000)

    def handle(self, *args: Any, **options: Any) -> None:
        rows = options["rows"]
        with throwaway_database(f"bench_import_{rows}"):
            user = User.objects.create_superuser("bench-admin", password=None)
            t = import_measure(rows=rows, user=user)
        per_row_ms = t.bulk_ms_per_row
        self.stdout.write(
            f"{connection.vendor}: {t.rows:,} rows, {t.megabytes:.1f} MB of CSV\n"
            f"read the CSV:                  {t.read_s:8.2f} s\n"
            f"check every row (preview):     {t.check_s:8.2f} s\n"
            f"import, all new:               {t.create_s:8.2f} s  ({per_row_ms:.3f} ms a row)\n"
            f"import again, all unchanged:   {t.unchanged_s:8.2f} s\n"
            f"import, every value changed:   {t.update_s:8.2f} s\n"
            f"row by row (observation_record, median of 200): {t.row_by_row_ms:.2f} ms a row; "
            f"the bulk import is {t.row_by_row_ms / per_row_ms:.0f}x faster a row"
        )
