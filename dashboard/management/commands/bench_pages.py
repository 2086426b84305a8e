from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from config.bench_database import BenchDatabaseError, bench_database
from dashboard.benchmark import bench_data_create, measure_pages
from targets.models import City

# The aims of issue 13: every page within 5x the login page uncached, 2x cached, and 300 kB.
UNCACHED_AIM, CACHED_AIM, HTML_AIM_KB = 5.0, 2.0, 300.0
EXPORT_AIM_S = 5.0  # the sector workbook


class Command(BaseCommand):
    help = (
        "Median server time (cached and first after a data change), query count and HTML size of the main "
        "pages next to the login page, on plans copied for --cities cities in the benchmark's own database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cities", type=int, default=3, help="cities (rounded up to a multiple of 3)")
        parser.add_argument("--runs", type=int, default=7, help="requests per page and mode")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--keep", action="store_true", help="keep the database and print its name (PostgreSQL)")
        parser.add_argument("--reuse", default="", help="time the pages on a database kept by --keep (PostgreSQL)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with bench_database("bench_pages", keep=options["keep"], reuse=options["reuse"]) as (name, build):
                built = bench_data_create(cities=options["cities"]) if build else None
                cities = City.objects.count()
                result = measure_pages(runs=options["runs"])
        except BenchDatabaseError as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps({"cities": cities, **result.as_dict()}))
            return
        self._print(result, cities, built, name, options)

    def _print(self, result: Any, cities: int, built: Any, name: str, options: dict[str, Any]) -> None:
        write = self.stdout.write
        write(f"{connection.vendor}: {cities} cities, ten years of yearly data; median of {options['runs']} requests")
        if built:
            write(
                f"  built: plans {built.plans_s:.1f} s, {built.observations} observations imported "
                f"{built.observations_s:.1f} s, recompute {built.recompute_s:.1f} s"
            )
        login = result.login_ms
        write(f"  login      {login:7.1f} ms (median; each ratio is to the login requests timed beside its page)")
        write(
            "  page        cached              after progress changed   queries    HTML"
            "    after a value in another city   after a plan changed (nothing cached)"
        )
        misses = []
        ratios = result.ratios
        for page, ms in result.pages.items():
            cold, queries, kb = result.pages_uncached[page], result.queries[page], result.html_kb[page]
            other, plan = result.pages_other_city[page], result.pages_plan_changed[page]
            warm_x, cold_x = ratios["pages"][page], ratios["pages_uncached"][page]
            other_x, plan_x = ratios["pages_other_city"][page], ratios["pages_plan_changed"][page]
            write(
                f"  {page:<10} {ms:7.1f} ms ({warm_x:4.1f}x)   {cold:7.1f} ms ({cold_x:5.1f}x)"
                f"       {queries:5d}  {kb:6.0f} kB   {other:7.1f} ms ({other_x:4.1f}x)"
                f"              {plan:7.1f} ms ({plan_x:5.1f}x)"
            )
            if cold_x > UNCACHED_AIM:
                misses.append(f"{page}: uncached {cold_x:.1f}x login (aim {UNCACHED_AIM:.0f}x)")
            if warm_x > CACHED_AIM:
                misses.append(f"{page}: cached {warm_x:.1f}x login (aim {CACHED_AIM:.0f}x)")
            if kb > HTML_AIM_KB:
                misses.append(f"{page}: HTML {kb:.0f} kB (aim {HTML_AIM_KB:.0f} kB)")
        write(f"JavaScript on a chart page: {result.js_kb_gz:.0f} kB gzipped")
        write("  export                  time        queries")
        for export, ms in result.exports_ms.items():
            write(f"  {export:<20} {ms / 1000:7.2f} s     {result.export_queries[export]:5d}")
            if export == "sector workbook" and ms > EXPORT_AIM_S * 1000:
                misses.append(f"{export}: {ms / 1000:.1f} s (aim {EXPORT_AIM_S:.0f} s)")
        write("Missed aims: " + ("; ".join(misses) if misses else "none"))
        if options["keep"]:
            write(f"Kept the database {name}; time again with --reuse {name}")
