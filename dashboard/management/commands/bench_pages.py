from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from config.throwaway_db import throwaway_database
from dashboard.benchmark import bench_data_create, measure_pages


class Command(BaseCommand):
    help = (
        "Median server time of the overview, city, sector and target pages next to the login page; chart-page JS size."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=15)
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        with throwaway_database("bench_pages"):
            bench_data_create()
            result = measure_pages(runs=options["runs"])
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
            return
        self.stdout.write(
            f"{connection.vendor}: four plans, ten years of yearly data; median of {options['runs']} requests"
        )
        self.stdout.write(f"  login     {result.login_ms:7.1f} ms")
        self.stdout.write("  page         cached               first after a data change")
        for name, ms in result.pages.items():
            cold, login = result.pages_uncached[name], result.login_ms
            cached = f"{ms:7.1f} ms ({ms / login:4.1f}x login)"
            self.stdout.write(f"  {name:<9} {cached}  {cold:7.1f} ms ({cold / login:4.1f}x)")
        self.stdout.write(f"JavaScript on a chart page: {result.js_kb_gz:.0f} kB gzipped")
