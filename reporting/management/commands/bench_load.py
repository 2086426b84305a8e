"""manage.py bench_load: simulated users against gunicorn and PostgreSQL (reporting.load_benchmark)."""

from __future__ import annotations

import json
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reporting.load_benchmark import load_run, report_lines
from reporting.load_server import deployment


class Command(BaseCommand):
    help = (
        "Serve the four plans with demo data from gunicorn on a throwaway PostgreSQL database, run simulated "
        "leaders (reading pages and the API) and bureau staff (recording observations through the API) for a "
        "while, print requests per second, p50/p95/p99, errors, and whether every acknowledged write is stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--writers", type=int, default=10, help="how many of the users are bureau staff")
        parser.add_argument("--seconds", type=float, default=60)
        parser.add_argument(
            "--think", type=float, nargs=2, default=(0.5, 1.5), metavar=("MIN", "MAX"), help="pause between requests"
        )
        parser.add_argument("--ramp", type=float, default=10, help="seconds over which the users arrive")
        parser.add_argument("--workers", type=int, default=5, help="gunicorn workers (2 x cores + 1)")
        parser.add_argument(
            "--database-url",
            default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
            help="a PostgreSQL server; a database of the benchmark's own is created on it and dropped",
        )
        parser.add_argument(
            "--redis-url", default=os.environ.get("REDIS_URL", ""), help="cache and broker; a worker is started"
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with deployment(
                server_url=options["database_url"], redis_url=options["redis_url"], workers=options["workers"]
            ) as served:
                result = load_run(
                    served,
                    users=options["users"],
                    writers=options["writers"],
                    seconds=options["seconds"],
                    think=tuple(options["think"]),
                    ramp=options["ramp"],
                )
        except (ValueError, RuntimeError) as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
        else:
            self.stdout.write("\n".join(report_lines(result)))
        if result.errors() or result.lost:
            raise CommandError(f"{len(result.errors())} errors, {len(result.lost)} acknowledged writes missing")
