"""Server time of the main pages against the login page, and the JavaScript a chart page loads.

Runs in a throwaway database holding the four plans and ten years of yearly data for every
quantified indicator. Pages are requested in-process through Django's test client, so the
figure is the server's time (middleware, queries, templates), not the network's.

Page bodies are cached until the data changes (config.data_version), so each page is timed
twice: as most requests find it (cached), and as the first request after any data change does
(`uncached`: a new data version before every request).
"""

from __future__ import annotations

import gzip
import random
import re
import statistics
import time
from dataclasses import dataclass
from datetime import date

from django.contrib.staticfiles import finders
from django.test import Client, override_settings

from accounts.models import User
from config.data_version import data_changed
from reporting.models import Observation
from reporting.progress_service import progress_recompute
from targets.models import Indicator, Sector, Target
from targets.plan_loader import default_plan_paths, plans_load, read_plan_paths

YEARS = range(2016, 2026)


@dataclass
class PageTimes:
    login_ms: float
    pages: dict[str, float]
    pages_uncached: dict[str, float]
    js_kb_gz: float

    def as_dict(self) -> dict:
        return {"login_ms": round(self.login_ms, 1), "pages": {k: round(v, 1) for k, v in self.pages.items()},
                "pages_uncached": {k: round(v, 1) for k, v in self.pages_uncached.items()},
                "js_kb_gz": round(self.js_kb_gz, 1)}  # fmt: skip


def bench_data_create(seed: int = 11) -> None:
    files, problems = read_plan_paths(default_plan_paths())
    if problems:
        raise RuntimeError("; ".join(map(str, problems)))
    plans_load(files)
    rng = random.Random(seed)
    rows = []
    quantified = Indicator.objects.filter(targets__in=Target.objects.exclude(kind="qualitative")).distinct()
    for indicator in quantified:
        level = rng.uniform(10, 1000)
        for year in YEARS:
            level *= 1 + rng.uniform(-0.03, 0.08)
            rows.append(
                Observation(indicator=indicator, period=str(year), period_end=date(year, 12, 31), value=round(level, 3))
            )
    Observation.objects.bulk_create(rows)
    progress_recompute()


def _median_ms(client: Client, url: str, runs: int, *, uncached: bool = False) -> float:
    client.get(url)  # warm caches and template loading once
    timings = []
    for _ in range(runs):
        if uncached:
            data_changed()
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return statistics.median(timings)


def script_bytes_gzipped(html: str) -> int:
    """The gzipped size of every local script a page loads."""
    total = 0
    for src in re.findall(r'<script[^>]+src="([^"]+)"', html):
        path = finders.find(re.sub(r"^/static/", "", src.split("?")[0]))
        if path is None:
            raise RuntimeError(f"script {src} is not a local static file")
        with open(path, "rb") as handle:
            total += len(gzip.compress(handle.read(), compresslevel=9))
    return total


@override_settings(ALLOWED_HOSTS=["testserver"])
def measure_pages(runs: int = 15) -> PageTimes:
    leader = User.objects.create_user("bench-leader", password="bench-only-password")
    client = Client()
    client.force_login(leader)
    target = Target.objects.exclude(kind="qualitative").filter(indicator__observations__isnull=False).first()
    sector = Sector.objects.get(code="energy")
    urls = {
        "overview": "/",
        "city": "/cities/zibo/",
        "sector": f"/sectors/{sector.code}/",
        "target": f"/targets/{target.pk}/",
    }
    pages = {name: _median_ms(client, url, runs) for name, url in urls.items()}
    uncached = {name: _median_ms(client, url, runs, uncached=True) for name, url in urls.items()}
    login_ms = _median_ms(Client(), "/accounts/login/", runs)
    js = script_bytes_gzipped(client.get(urls["target"]).content.decode())
    return PageTimes(login_ms=login_ms, pages=pages, pages_uncached=uncached, js_kb_gz=js / 1000)
