"""Server time, query count and HTML size of the main pages against the login page.

The data set is built through the public paths: renamed copies of the four real plans (three
cities a copy) go through the plan loader, and ten years of yearly values for every quantified
indicator go through the observation import, all in the benchmark's own database
(config.bench_database). Pages are requested in-process through Django's test client, so the
figure is the server's time (middleware, queries, templates), not the network's.

Page bodies are cached until the data changes (config.data_version), so each page is timed
as most requests find it (`pages`, cached) and as the first request after a change does:

- `pages_uncached`: after progress changed in every city (a new data version of every city
  before every request, as a full recompute that moved every city's results makes). Plan text,
  which progress does not change, may come from its cache (dashboard/progress_slots.py).
- `pages_plan_changed`: after a plan changed in every city (every data and plan version new, as
  loading the plan files makes): nothing comes from the cache.
- `pages_other_city`: after a value was saved in one other city (a new version of that city
  alone): what scoping the cache per city saves on the pages across cities.

Queries and HTML size are those of an uncached request.

Each page request is followed by a request for the login page, the reference, and a page's
ratio is its median over the median of the login requests timed beside it: on a shared machine
the speed drifts within a run, and a reference timed once at the end moved every ratio with it.
`login_ms` is the median of all those login requests.
"""

from __future__ import annotations

import gzip
import math
import random
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from unittest import mock

import pandas as pd
from django.contrib.auth.models import Group
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.roles import BUREAU_STAFF, LEADER
from config.data_version import data_changed, progress_changed
from reporting import bulk_record, imports
from reporting.recompute import progress_recompute
from targets.models import Bureau, City, Indicator, Plan, Sector, Target
from targets.plan_copies import real_plan_copies
from targets.plan_loader import plans_load

YEARS = range(2016, 2026)
LOGIN_URL = "/accounts/login/"
CITIES_PER_COPY = 3  # the four real plans are those of Zibo (two), Weihai and Heze


MODES = ("pages", "pages_uncached", "pages_plan_changed", "pages_other_city")


@dataclass
class PageTimes:
    login_ms: float
    pages: dict[str, float]
    pages_uncached: dict[str, float]
    pages_plan_changed: dict[str, float]
    pages_other_city: dict[str, float]
    ratios: dict[str, dict[str, float]]  # mode (MODES) → page → its median over its paired login's
    queries: dict[str, int]
    html_kb: dict[str, float]
    js_kb_gz: float
    exports_ms: dict[str, float]
    export_queries: dict[str, int]

    def as_dict(self) -> dict:
        def rounded(values: dict[str, float]) -> dict[str, float]:
            return {name: round(value, 1) for name, value in values.items()}

        return {
            "login_ms": round(self.login_ms, 1),
            "pages": rounded(self.pages),
            "pages_uncached": rounded(self.pages_uncached),
            "pages_plan_changed": rounded(self.pages_plan_changed),
            "pages_other_city": rounded(self.pages_other_city),
            "ratios": {mode: {page: round(r, 2) for page, r in ratios.items()} for mode, ratios in self.ratios.items()},
            "queries": dict(self.queries),
            "html_kb": rounded(self.html_kb),
            "js_kb_gz": round(self.js_kb_gz, 1),
            "exports_ms": rounded(self.exports_ms),
            "export_queries": dict(self.export_queries),
        }


@dataclass
class BuildTimes:
    cities: int
    plans_s: float
    observations: int
    observations_s: float
    recompute_s: float


def bench_data_create(*, cities: int = 3, seed: int = 11) -> BuildTimes:
    """At least `cities` cities (rounded up to whole copies of the three real cities)."""
    files = real_plan_copies(math.ceil(cities / CITIES_PER_COPY))
    start = time.perf_counter()
    report = plans_load(files)
    if not report.ok:
        raise RuntimeError("; ".join(map(str, report.problems)))
    plans_s = time.perf_counter() - start
    frame = _observation_frame(seed)
    start = time.perf_counter()
    # Recomputing each imported indicator on its own, as the workers would, is left out: one
    # full recompute afterwards (as the nightly run does) gives the same snapshots.
    with mock.patch.object(bulk_record, "queue_recompute_for"):
        result = imports.observations_import(frame)
    if not result.ok:
        raise RuntimeError("; ".join(map(str, result.problems[:5])))
    observations_s = time.perf_counter() - start
    start = time.perf_counter()
    progress_recompute()
    recompute_s = time.perf_counter() - start
    if connection.vendor == "postgresql":
        # A running deployment's tables carry planner statistics (autovacuum gathers them); right
        # after a bulk build they do not yet, and the planner would guess, e.g. scan every
        # observation for the demo-data check instead of using its empty partial index.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return BuildTimes(City.objects.count(), plans_s, len(frame), observations_s, recompute_s)


def _observation_frame(seed: int) -> pd.DataFrame:
    """Ten years of plausible values for every indicator with a quantified target, in the
    import format (city, indicator_code, period, value, note)."""
    rng = random.Random(seed)
    rows = []
    quantified = Indicator.objects.filter(targets__in=Target.objects.exclude(kind="qualitative")).distinct()
    for code, city in quantified.order_by("pk").values_list("code", "city__code"):
        level = rng.uniform(10, 1000)
        for year in YEARS:
            level *= 1 + rng.uniform(-0.03, 0.08)
            rows.append([city, code, str(year), f"{level:.3f}", ""])
    return pd.DataFrame(rows, columns=imports.COLUMNS)


@dataclass
class _Paired:
    """A page's request times and those of the login page requested right after each."""

    page_ms: list[float]
    login_ms: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.page_ms)

    @property
    def ratio(self) -> float:
        return self.median / statistics.median(self.login_ms)


def _timed(
    client: Client, url: str, runs: int, change: Callable[[], None] | None = None, reference: Client | None = None
) -> _Paired:
    """`runs` requests, each after `change` (if any) was made, each followed by one of the login
    page (with `reference`, a signed-out client)."""
    reference = reference or Client()
    client.get(url)  # warm caches and template loading once
    reference.get(LOGIN_URL)
    paired = _Paired([], [])
    for _ in range(runs):
        if change is not None:
            change()
        paired.page_ms.append(_request_ms(client, url))
        paired.login_ms.append(_request_ms(reference, LOGIN_URL))
    return paired


def _request_ms(client: Client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return elapsed


def _uncached_cost(client: Client, url: str) -> tuple[int, float]:
    progress_changed()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return len(queries), len(response.content) / 1000


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


def _user(username: str, group: str, bureau: Bureau | None = None) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"bureau": bureau})
    user.groups.add(Group.objects.get(name=group))
    return user


def bench_urls() -> dict[str, str]:
    """One page of each kind, all in Zibo (the first city) whatever the number of cities."""
    target = (
        Target.objects.exclude(kind="qualitative")
        .filter(plan__city__code="zibo", indicator__observations__isnull=False)
        .order_by("pk")[0]
    )
    bureau = Bureau.objects.get(city__code="zibo", name="市发展改革委")
    return {
        "overview": "/",
        "city": "/cities/zibo/",
        "sector": f"/sectors/{Sector.objects.get(code='energy').code}/",
        "target": f"/targets/{target.pk}/",
        "measures": "/measures/",
        "plan": f"/plans/{Plan.objects.filter(city__code='zibo').order_by('issued')[0].code}/",
        "bureau": f"/bureaus/{bureau.pk}/",
        "my-bureau": "/my-bureau/",
    }


@override_settings(ALLOWED_HOSTS=["testserver"])
def measure_pages(runs: int = 7) -> PageTimes:
    urls = bench_urls()
    leader = Client()
    leader.force_login(_user("bench-leader", LEADER))
    staff = Client()
    staff.force_login(_user("bench-staff", BUREAU_STAFF, Bureau.objects.get(city__code="zibo", name="市发展改革委")))
    clients = {name: staff if name == "my-bureau" else leader for name in urls}
    other = City.objects.exclude(code="zibo").order_by("code").values_list("pk", flat=True).first()
    if other is None:
        raise RuntimeError("the benchmark needs a second city")

    reference = Client()

    def timed(change: Callable[[], None] | None) -> dict[str, _Paired]:
        return {name: _timed(clients[name], url, runs, change, reference) for name, url in urls.items()}

    modes = {
        "pages": timed(None),
        "pages_uncached": timed(progress_changed),  # what a full recompute that moved every city's results does
        "pages_plan_changed": timed(data_changed),  # what loading plan files does
        "pages_other_city": timed(lambda: progress_changed([other])),  # what saving a value there does
    }
    costs = {name: _uncached_cost(clients[name], url) for name, url in urls.items()}
    logins = [ms for paired in modes.values() for page in paired.values() for ms in page.login_ms]
    js = script_bytes_gzipped(leader.get(urls["target"]).content.decode())
    exports = {name: _export_cost(leader, url, min(runs, 3)) for name, url in EXPORT_URLS.items()}
    medians = {mode: {name: paired.median for name, paired in pages.items()} for mode, pages in modes.items()}
    return PageTimes(
        login_ms=statistics.median(logins),
        pages=medians["pages"],
        pages_uncached=medians["pages_uncached"],
        pages_plan_changed=medians["pages_plan_changed"],
        pages_other_city=medians["pages_other_city"],
        ratios={mode: {name: paired.ratio for name, paired in pages.items()} for mode, pages in modes.items()},
        queries={name: cost[0] for name, cost in costs.items()},
        html_kb={name: cost[1] for name, cost in costs.items()},
        js_kb_gz=js / 1000,
        exports_ms={name: cost[0] for name, cost in exports.items()},
        export_queries={name: cost[1] for name, cost in exports.items()},
    )


EXPORT_URLS = {
    "sector workbook": "/reports/export/sectors/energy.xlsx",
    "sector targets CSV": "/reports/export/sectors/energy/targets.csv",
    "measures workbook": "/reports/export/measures.xlsx",
}


def _export_cost(client: Client, url: str, runs: int) -> tuple[float, int]:
    """Median time of making and downloading an export, and its query count. A large export is
    a background job (run in-process here) whose file is handed out again while the data is
    unchanged, so each run starts a new data version to time the making, not the reuse."""
    timings, queries = [], 0
    for _ in range(runs):
        data_changed()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url, follow=True)
            timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        queries = len(captured)
    return statistics.median(timings), queries
