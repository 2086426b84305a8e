"""factory_boy factories for the tests' objects: each test states only what matters to it.

Every factory gives a valid row with nothing else passed: a plan gets a city, a target its plan
and an indicator of the plan's city, a user no role. Responsibilities are passed as `bureaus`
(lead first), as the plan files list them. Sectors and measure statuses are reference data
(the `reference_data` fixture makes sure they exist) and are looked up by code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory, Password

from accounts.models import User
from measures.models import Measure, MeasureResponsibility, MeasureStatus, MeasureUpdate
from reporting.models import Observation, ProgressSnapshot
from targets.models import Bureau, City, Indicator, Plan, Role, Sector, Target, TargetResponsibility

PASSWORD = "pw-for-tests-only"


def sector(code: str = "energy") -> Sector:
    return Sector.objects.get(code=code)


def _responsibilities(model: type, owner: str) -> Any:
    """A post-generation hook: `bureaus=[lead, support, ...]` creates the responsibility rows."""

    def make(obj: Any, create: bool, extracted: Sequence[Bureau] | None, **kwargs: Any) -> None:
        for position, bureau in enumerate(extracted or []):
            role = Role.LEAD if position == 0 else Role.SUPPORT
            model.objects.create(**{owner: obj}, bureau=bureau, role=role, position=position)

    return factory.PostGeneration(make)


class CityFactory(DjangoModelFactory):
    class Meta:
        model = City

    code = factory.Sequence(lambda n: f"city{n}")
    name = factory.Sequence(lambda n: f"城市{n}")


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan

    city = factory.SubFactory(CityFactory)
    code = factory.Sequence(lambda n: f"plan-{n}")
    title = factory.LazyAttribute(lambda plan: f"{plan.city.name}碳达峰工作方案")
    document_number = factory.Sequence(lambda n: f"测政字〔2024〕{n}号")
    issued = dt.date(2024, 1, 1)
    kind = Plan.Kind.CARBON_PEAKING


class BureauFactory(DjangoModelFactory):
    class Meta:
        model = Bureau

    city = factory.SubFactory(CityFactory)
    name = factory.Sequence(lambda n: f"市测试局{n}")


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    city = factory.SubFactory(CityFactory)
    code = factory.Sequence(lambda n: f"indicator_{n}")
    name = factory.LazyAttribute(lambda indicator: f"指标{indicator.code}")
    unit = "万千瓦"
    direction = "increase"
    nature = "stock"
    sector = factory.LazyFunction(sector)


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = Target
        skip_postgeneration_save = True  # the responsibilities are rows of their own

    plan = factory.SubFactory(PlanFactory)
    indicator = factory.SubFactory(IndicatorFactory, city=factory.SelfAttribute("..plan.city"))
    code = factory.Sequence(lambda n: f"target-{n}")
    kind = "level"
    comparator = "at_least"
    value = Decimal("100")
    target_year = 2025
    section = factory.Sequence(lambda n: f"三（一）{n + 1}")
    # The plan loader numbers a plan's rows in their printed order; ties would leave
    # the pages' and exports' order to the database.
    position = factory.Sequence(lambda n: n)
    source_text = "到2025年……"
    bureaus = _responsibilities(TargetResponsibility, "target")


class MeasureFactory(DjangoModelFactory):
    class Meta:
        model = Measure
        skip_postgeneration_save = True  # the responsibilities are rows of their own

    plan = factory.SubFactory(PlanFactory)
    section = factory.Sequence(lambda n: f"一（{n + 1}）")
    title = factory.Sequence(lambda n: f"任务{n}")
    position = factory.Sequence(lambda n: n)
    text = "…"
    sector = factory.LazyFunction(sector)
    bureaus = _responsibilities(MeasureResponsibility, "measure")


class UserFactory(DjangoModelFactory):
    """A user; `role=ADMIN | LEADER | BUREAU_STAFF` puts it in that role's group."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = Password(PASSWORD)

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))


class ObservationFactory(DjangoModelFactory):
    """A yearly value: `period` "2023" ends on 2023-12-31."""

    class Meta:
        model = Observation

    indicator = factory.SubFactory(IndicatorFactory)
    period = "2024"
    period_end = factory.LazyAttribute(lambda observation: dt.date(int(observation.period[:4]), 12, 31))
    value = Decimal("100")


class ProgressSnapshotFactory(DjangoModelFactory):
    class Meta:
        model = ProgressSnapshot

    target = factory.SubFactory(TargetFactory)
    computed_at = factory.LazyFunction(timezone.now)
    status = "on_track"


class MeasureUpdateFactory(DjangoModelFactory):
    """An update with status `status` (a code: "in_progress", "completed")."""

    class Meta:
        model = MeasureUpdate
        exclude = ("status_code",)

    measure = factory.SubFactory(MeasureFactory)
    status_code = "in_progress"
    status = factory.LazyAttribute(lambda update: MeasureStatus.objects.get(code=update.status_code))
