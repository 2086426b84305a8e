"""Time the annual PDF report of a city next to a one-page PDF, and its Word file, in the same run.

The one-page PDF (the report's title block, with the report's stylesheet and CJK font) is the
floor every PDF pays: WeasyPrint's start, the font's loading and subsetting. Both are timed in
turn, so a busy machine slows both alike and their ratio stays meaningful.
"""

from __future__ import annotations

import io
import json
import statistics
import time
from typing import Any

import pypdf
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.loader import render_to_string
from django.utils import translation

from config.throwaway_db import throwaway_database
from documents.annual import annual_report_build
from documents.docx_report import annual_report_docx
from documents.pdf import html_to_pdf
from reporting.demo_data import demo_observations_create
from reporting.recompute import progress_recompute
from targets.models import City


def report_pdf(city: City, year: int) -> tuple[bytes, int]:
    """What the background job does: build, render, lay out. (pdf, number of targets)."""
    report = annual_report_build(city=city, year=year)
    html = render_to_string("documents/annual_pdf.html", {"report": report})
    return html_to_pdf(html), report.target_count


def report_docx(city: City, year: int) -> bytes:
    """What the Word job does: build, then write the document with its charts as pictures."""
    return annual_report_docx(annual_report_build(city=city, year=year))


def floor_pdf(city: City, year: int) -> bytes:
    """One page with the same stylesheet and font: the title block only."""
    report = annual_report_build(city=city, year=year)
    head = render_to_string("documents/_annual_head.html", {"report": report})
    html = render_to_string("documents/annual_pdf.html", {"report": report})
    return html_to_pdf(html[: html.index('<article class="report">')] + head + "</body></html>")


def _timed(work: Any) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return time.perf_counter() - wall, time.process_time() - cpu, result


class Command(BaseCommand):
    help = (
        "Median time to make a city's annual PDF report (four real plans, their set-up and the demo data, "
        "in a database of its own) next to a one-page PDF with the same stylesheet and font."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--city", default="zibo")
        parser.add_argument("--year", type=int, default=2025)
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--language", default="zh-hans", choices=["zh-hans", "en"])
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["runs"] < 1:
            raise CommandError("--runs must be at least 1")
        with throwaway_database("bench_report"), translation.override(options["language"]):
            call_command("load_plans", verbosity=0, stdout=io.StringIO())
            call_command("load_city_setup", verbosity=0, stdout=io.StringIO())
            demo_observations_create(last_year=options["year"])
            progress_recompute()
            city = City.objects.filter(code=options["city"]).first()
            if city is None:
                raise CommandError(f"no city with the code {options['city']!r} in the four plans")
            report_pdf(city, options["year"])  # warm: imports, font loading
            reports, floors, words = [], [], []
            for _run in range(options["runs"]):
                wall, cpu, (pdf, targets) = _timed(lambda: report_pdf(city, options["year"]))
                reports.append((wall, cpu))
                floors.append(_timed(lambda: floor_pdf(city, options["year"]))[:2])
                words.append(_timed(lambda: report_docx(city, options["year"]))[:2])
        pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
        median = {
            "report_s": statistics.median(w for w, _ in reports),
            "report_cpu_s": statistics.median(c for _, c in reports),
            "floor_s": statistics.median(w for w, _ in floors),
            "floor_cpu_s": statistics.median(c for _, c in floors),
            "docx_s": statistics.median(w for w, _ in words),
            "docx_cpu_s": statistics.median(c for _, c in words),
        }
        result = {
            "city": options["city"], "year": options["year"], "runs": options["runs"], "targets": targets,
            "pages": pages, **{key: round(value, 2) for key, value in median.items()},
            "ratio": round(median["report_s"] / median["floor_s"], 1),
        }  # fmt: skip
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            f"{options['city']} {options['year']} annual report ({targets} targets, {pages} pages), "
            f"median of {options['runs']} runs:"
        )
        self.stdout.write(
            f"  report PDF (build, template, layout)  {median['report_s']:6.2f} s  cpu {median['report_cpu_s']:.2f} s"
        )
        self.stdout.write(
            f"  one-page PDF, same stylesheet, font  {median['floor_s']:6.2f} s  cpu {median['floor_cpu_s']:.2f} s"
        )
        self.stdout.write(
            f"  report Word file (build, charts)       {median['docx_s']:6.2f} s  cpu {median['docx_cpu_s']:.2f} s"
        )
        self.stdout.write(f"  ratio {result['ratio']}x; aim: the report under 5 s")
