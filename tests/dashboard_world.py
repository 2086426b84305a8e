"""Small hand-made worlds for the dashboard tests: cities whose targets carry chosen statuses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from reporting.models import Observation, ProgressSnapshot
from targets.models import City, Indicator, Plan, Sector, Target


def city_with_targets(
    code: str,
    name: str,
    province: str,
    targets: list[tuple[int, str, str | None]],
    *,
    sector: str = "energy",
    name_en: str = "",
) -> City:
    """A city with one plan and, per (year, indicator code, status), a level target on its own
    indicator; status None leaves the target without a snapshot (no data). An indicator code
    ending in "!" is qualitative."""
    city = City.objects.create(code=code, name=name, name_en=name_en, province=province,
                               province_en="Shandong" if province == "山东省" else "")  # fmt: skip
    plan = Plan.objects.create(city=city, code=f"{code}-plan", title=f"{name}碳达峰工作方案",
                               document_number=f"{name}政字〔2024〕1号", issued="2024-01-01",
                               kind=Plan.Kind.CARBON_PEAKING)  # fmt: skip
    energy = Sector.objects.get(code=sector)
    indicators: dict[str, Indicator] = {}
    for position, (year, indicator_code, status) in enumerate(targets):
        qualitative = indicator_code.endswith("!")
        indicator_code = indicator_code.rstrip("!")
        indicator = indicators.get(indicator_code)
        if indicator is None:
            indicator = indicators[indicator_code] = Indicator.objects.create(
                city=city, code=indicator_code, name=f"指标{indicator_code}", unit="万千瓦", direction="increase",
                nature="stock", sector=energy,
            )  # fmt: skip
        target = Target.objects.create(
            plan=plan, code=f"{indicator_code}-{year}-{position}", indicator=indicator, position=position,
            kind="qualitative" if qualitative else "level", comparator="at_least",
            value=None if qualitative else Decimal("100"), target_year=year, section=f"三（一）{position + 1}",
            source_text="到2025年……",
        )  # fmt: skip
        if status is not None:
            ProgressSnapshot.objects.create(target=target, computed_at=timezone.now(), status=status,
                                            latest_value=None if status == "no_data" else 50.0,
                                            latest_period="" if status == "no_data" else "2024")  # fmt: skip
    return city


def observe(city: City, indicator_code: str, values: dict[int, float]) -> None:
    indicator = Indicator.objects.get(city=city, code=indicator_code)
    for year, value in values.items():
        Observation.objects.create(indicator=indicator, period=str(year), period_end=dt.date(year, 12, 31),
                                   value=Decimal(str(value)))  # fmt: skip
