"""Small hand-made worlds for the dashboard tests: cities whose targets carry chosen statuses."""

from __future__ import annotations

from decimal import Decimal

from reporting.sector_rankings import sector_rankings_refresh
from reporting.status_counts import status_counts_refresh
from targets.models import City, Indicator
from tests.factories import (
    CityFactory,
    IndicatorFactory,
    ObservationFactory,
    PlanFactory,
    ProgressSnapshotFactory,
    TargetFactory,
)
from tests.factories import sector as sector_named


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
    city = CityFactory(code=code, name=name, name_en=name_en, province=province,
                       province_en="Shandong" if province == "山东省" else "")  # fmt: skip
    plan = PlanFactory(city=city, code=f"{code}-plan", document_number=f"{name}政字〔2024〕1号")
    indicators: dict[str, Indicator] = {}
    for position, (year, indicator_code, status) in enumerate(targets):
        qualitative = indicator_code.endswith("!")
        indicator_code = indicator_code.rstrip("!")
        if indicator_code not in indicators:
            indicators[indicator_code] = IndicatorFactory(city=city, code=indicator_code, sector=sector_named(sector))
        target = TargetFactory(
            plan=plan, code=f"{indicator_code}-{year}-{position}", indicator=indicators[indicator_code],
            position=position, kind="qualitative" if qualitative else "level",
            value=None if qualitative else Decimal("100"), target_year=year, section=f"三（一）{position + 1}",
        )  # fmt: skip
        if status is not None:
            no_data = status == "no_data"
            ProgressSnapshotFactory(target=target, status=status, latest_value=None if no_data else 50.0,
                                    latest_period="" if no_data else "2024")  # fmt: skip
    # Snapshots written here, not by the recompute: keep the city's counts and its sectors'
    # rankings as the recompute would.
    status_counts_refresh([city.pk])
    sector_rankings_refresh(target.pk for target in plan.targets.all())
    return city


def observe(city: City, indicator_code: str, values: dict[int, float]) -> None:
    indicator = Indicator.objects.get(city=city, code=indicator_code)
    for year, value in values.items():
        ObservationFactory(indicator=indicator, period=str(year), value=Decimal(str(value)))


def second_city(world):
    """Another city with its own plan, indicator and target."""
    from targets.models import City, Indicator, Plan, Target

    city = City.objects.create(code="othercity", name="另一市", name_en="Other City")
    plan = Plan.objects.create(
        city=city, code="other-plan", title="另一市碳达峰工作方案", document_number="另政字〔2024〕2号",
        issued="2024-01-01", kind=Plan.Kind.CARBON_PEAKING,
    )  # fmt: skip
    pv = Indicator.objects.create(
        city=city, code="pv_installed_capacity", name="光伏发电装机容量", unit="万千瓦", direction="increase",
        nature="stock", sector=world["pv"].sector,
    )  # fmt: skip
    Target.objects.create(
        plan=plan, code="pv-2025", indicator=pv, kind="level", comparator="at_least", value=500, target_year=2025,
        section="三（一）1", source_text="到2025年，光伏装机达到500万千瓦",
    )  # fmt: skip
    return city, pv
