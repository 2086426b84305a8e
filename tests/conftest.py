"""Shared fixtures: reference data, a small world of two bureaus, users for each role."""

from __future__ import annotations

import copy
import functools
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.role_setup import roles_sync
from accounts.roles import ADMIN, BUREAU_STAFF, LEADER
from measures.models import Measure, MeasureResponsibility, MeasureStatus
from targets.models import Bureau, City, Indicator, Plan, Role, Sector, Target, TargetResponsibility
from targets.plan_loader import default_plan_paths, plans_load, read_plan_paths
from targets.plan_validation import PlanFile
from targets.taxonomy import SECTORS

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


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: cached page fragments must not outlive a test's
    data (rolled back without any save signal), and Redis is shared across tests in CI."""
    from django.core.cache import cache

    cache.clear()


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
    city = City.objects.create(code="testcity", name="测试市", name_en="Test City")
    plan = Plan.objects.create(
        city=city,
        code="test-plan",
        title="测试市碳达峰工作方案",
        document_number="测政字〔2024〕1号",
        issued="2024-01-01",
        kind=Plan.Kind.CARBON_PEAKING,
    )
    energy = Sector.objects.get(code="energy")
    ndrc = Bureau.objects.create(city=city, name="市发展改革委", aliases=["市发展和改革局"])
    eco = Bureau.objects.create(city=city, name="市生态环境局")
    pv = Indicator.objects.create(
        city=city,
        code="pv_installed_capacity",
        name="光伏发电装机容量",
        unit="万千瓦",
        direction="increase",
        nature="stock",
        sector=energy,
    )
    pm = Indicator.objects.create(
        city=city,
        code="pm25_concentration",
        name="PM2.5浓度",
        unit="微克/立方米",
        direction="decrease",
        nature="ratio",
        sector=Sector.objects.get(code="environment"),
    )
    pv_target = Target.objects.create(
        plan=plan,
        code="pv-2025",
        indicator=pv,
        kind="level",
        comparator="at_least",
        value=Decimal("500"),
        target_year=2025,
        section="三（一）1",
        source_text="到2025年，光伏装机达到500万千瓦",
    )
    pm_target = Target.objects.create(
        plan=plan,
        code="pm-2025",
        indicator=pm,
        kind="level",
        comparator="at_most",
        value=Decimal("35"),
        target_year=2025,
        section="三（二）1",
        source_text="到2025年，PM2.5浓度降至35微克/立方米",
    )
    TargetResponsibility.objects.create(target=pv_target, bureau=ndrc, role=Role.LEAD)
    TargetResponsibility.objects.create(target=pm_target, bureau=eco, role=Role.LEAD)
    pv_measure = Measure.objects.create(plan=plan, section="三（一）1", title="大力发展新能源", text="…", sector=energy)
    pm_measure = Measure.objects.create(
        plan=plan,
        section="三（二）1",
        title="深入打好蓝天保卫战",
        text="…",
        sector=Sector.objects.get(code="environment"),
    )
    MeasureResponsibility.objects.create(measure=pv_measure, bureau=ndrc, role=Role.LEAD)
    MeasureResponsibility.objects.create(measure=pm_measure, bureau=eco, role=Role.LEAD)
    MeasureResponsibility.objects.create(measure=pm_measure, bureau=ndrc, role=Role.SUPPORT, position=1)
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


def _user(username: str, role: str, bureau: Bureau | None = None, **extra) -> User:
    user = User.objects.create_user(username=username, password="pw-for-tests-only", bureau=bureau, **extra)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def users(world):
    return {
        "admin": _user("admin", ADMIN, is_staff=True),
        "leader": _user("leader", LEADER),
        "ndrc_staff": _user("ndrc", BUREAU_STAFF, world["ndrc"]),
        "eco_staff": _user("eco", BUREAU_STAFF, world["eco"]),
        "superuser": User.objects.create_superuser("root", password="pw-for-tests-only"),
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
