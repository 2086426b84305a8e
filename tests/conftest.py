"""Shared fixtures: reference data, a small world of two bureaus, users for each role."""

from __future__ import annotations

import copy
import functools
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps

from accounts.role_setup import roles_sync
from accounts.roles import ADMIN, BUREAU_STAFF, LEADER
from measures.models import MeasureStatus
from targets.models import Sector
from targets.plan_loader import default_plan_paths, plans_load, read_plan_paths
from targets.plan_validation import PlanFile
from targets.taxonomy import SECTORS
from tests.factories import (
    BureauFactory,
    CityFactory,
    IndicatorFactory,
    MeasureFactory,
    PlanFactory,
    TargetFactory,
    UserFactory,
    sector,
)

DATA = Path(__file__).parent / "data"


@functools.cache
def _redis_missing() -> str:
    """Why the real-worker tests cannot run here, or "" when the broker answers."""
    import redis
    from django.conf import settings

    url = settings.CELERY_WORKER_BROKER_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError as exc:
        return f"Redis is not reachable at {url} ({exc}); these tests start a real Celery worker on it"
    return ""


def pytest_runtest_setup(item: pytest.Item) -> None:
    # CI starts Redis and must run these tests: there a missing Redis fails them, never skips.
    if item.get_closest_marker("celery_worker") and not os.environ.get("CI") and _redis_missing():
        pytest.skip(_redis_missing())


# The longest files, longest first (from `make test`'s slowest durations). `make test` hands
# whole files to two workers in collection order; starting these first lets the many short
# files fill in at the end, so neither worker sits idle while the other finishes a long file.
LONGEST_FIRST = [
    "tests/browser/test_dashboards.py",
    "tests/browser/test_accessibility.py",
    "tests/browser/test_narrow_pages.py",
    "tests/test_import_scale.py",
    "tests/test_type_checks.py",
    "tests/faults/test_worker_killed.py",
    "tests/browser/test_flows.py",
    "tests/browser/test_review_cycle.py",
    "tests/documents/test_annual_summary.py",
    "tests/browser/test_job_progress.py",
    "tests/test_celery_worker.py",
    "tests/browser/test_plan_drafting.py",
    "tests/test_jobs_with_real_services.py",
    "tests/faults/test_redis_down.py",
    "tests/browser/test_content_policy.py",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    missing = [path for path in LONGEST_FIRST if not (DATA.parent.parent / path).exists()]
    assert not missing, f"LONGEST_FIRST names files that are gone: {missing}"
    rank = {path: position for position, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))  # stable: the rest keep their order


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: cached page fragments must not outlive a test's
    data (rolled back without any save signal), and Redis is shared across tests in CI."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in English leaves English active in
    the thread (LocaleMiddleware switches it on and nothing switches it back), so a test that
    renders without a request would otherwise depend on which test ran before it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def reference_data(db):
    """Sectors, statuses and role groups: migrations create them, but a transactional test
    elsewhere in the run may have flushed them, so make sure they are there."""
    for position, (code, name, name_en) in enumerate(SECTORS):
        Sector.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "position": position})
    for code, name, done in [("in_progress", "推进中", False), ("completed", "已完成", True)]:
        MeasureStatus.objects.get_or_create(code=code, defaults={"name": name, "is_completed": done})
    roles_sync(apps)


@pytest.fixture
def world(reference_data):
    """One city, one plan, two bureaus each owning one indicator/target and one measure."""
    city = CityFactory(code="testcity", name="测试市", name_en="Test City")
    plan = PlanFactory(city=city, code="test-plan", title="测试市碳达峰工作方案", document_number="测政字〔2024〕1号")
    ndrc = BureauFactory(city=city, name="市发展改革委", aliases=["市发展和改革局"])
    eco = BureauFactory(city=city, name="市生态环境局")
    pv = IndicatorFactory(city=city, code="pv_installed_capacity", name="光伏发电装机容量")
    pm = IndicatorFactory(
        city=city, code="pm25_concentration", name="PM2.5浓度", unit="微克/立方米", direction="decrease",
        nature="ratio", sector=sector("environment"),
    )  # fmt: skip
    pv_target = TargetFactory(
        plan=plan, code="pv-2025", indicator=pv, value=Decimal("500"), section="三（一）1",
        source_text="到2025年，光伏装机达到500万千瓦", bureaus=[ndrc],
    )  # fmt: skip
    pm_target = TargetFactory(
        plan=plan, code="pm-2025", indicator=pm, comparator="at_most", value=Decimal("35"), section="三（二）1",
        source_text="到2025年，PM2.5浓度降至35微克/立方米", bureaus=[eco],
    )  # fmt: skip
    pv_measure = MeasureFactory(plan=plan, section="三（一）1", title="大力发展新能源", bureaus=[ndrc])
    pm_measure = MeasureFactory(
        plan=plan, section="三（二）1", title="深入打好蓝天保卫战", sector=sector("environment"), bureaus=[eco, ndrc]
    )
    return {
        "city": city,
        "plan": plan,
        "ndrc": ndrc,
        "eco": eco,
        "pv": pv,
        "pm": pm,
        "pv_target": pv_target,
        "pm_target": pm_target,
        "pv_measure": pv_measure,
        "pm_measure": pm_measure,
    }


@pytest.fixture
def users(world):
    return {
        "admin": UserFactory(username="admin", role=ADMIN, is_staff=True),
        "leader": UserFactory(username="leader", role=LEADER),
        "ndrc_staff": UserFactory(username="ndrc", role=BUREAU_STAFF, bureau=world["ndrc"]),
        "eco_staff": UserFactory(username="eco", role=BUREAU_STAFF, bureau=world["eco"]),
        "superuser": UserFactory(username="root", is_staff=True, is_superuser=True),
    }


@functools.cache
def _four_plan_files() -> tuple[PlanFile, ...]:
    """The four plan files, read and parsed once per run; each load still validates them
    against the test's database and writes them through the loader."""
    files, problems = read_plan_paths(default_plan_paths())
    assert not problems, problems
    return tuple(files)


def _load_four_plans():
    report = plans_load(copy.deepcopy(list(_four_plan_files())))
    assert report.ok, report.problems
    return report


@pytest.fixture
def four_plans(reference_data):
    """The four real plans, loaded through the loader as `make run` does."""
    return _load_four_plans()
