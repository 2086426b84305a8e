"""The page benchmark's build and measurement still run against today's code: they go through
the public loaders (plan files, the import path, the recompute), so a change to one of them
that the benchmark does not follow would otherwise only show when someone runs it by hand."""

from __future__ import annotations

import pytest

from dashboard.benchmark import bench_data_create, measure_pages
from reporting.models import Observation, ProgressSnapshot
from targets.models import City

pytestmark = pytest.mark.django_db


def test_the_page_benchmark_builds_its_cities_and_measures_every_page(reference_data):
    built = bench_data_create(cities=6)
    assert City.objects.count() == 6 and built.cities == 6
    assert Observation.objects.count() == built.observations > 0
    assert ProgressSnapshot.objects.exists()  # one full recompute after the import
    result = measure_pages(runs=1).as_dict()
    pages = {"overview", "city", "sector", "target", "measures", "plan", "bureau", "my-bureau"}
    for figure in ("pages", "pages_uncached", "pages_plan_changed", "pages_other_city"):
        assert set(result[figure]) == pages, figure
        assert set(result["ratios"][figure]) == pages and all(r > 0 for r in result["ratios"][figure].values())
    assert all(result["html_kb"][page] > 0 and result["queries"][page] > 0 for page in pages)
    assert result["login_ms"] > 0
