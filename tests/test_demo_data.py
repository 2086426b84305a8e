"""Demo data: yearly values from 2020 for every quantified indicator, marked, removable."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from reporting.models import Observation, ProgressSnapshot
from targets.models import Indicator, Target


def test_demo_data_fills_every_quantified_indicator_and_shows_a_banner(client, four_plans, users):
    call_command("load_demo_data", stdout=StringIO())
    quantified = Indicator.objects.filter(targets__in=Target.objects.exclude(kind="qualitative")).distinct()
    assert quantified.count() > 50
    for indicator in quantified:
        periods = set(indicator.observations.values_list("period", flat=True))
        assert "2020" in periods and len(periods) >= 5, indicator.code
    assert not Observation.objects.filter(is_demo=False).exists()
    # Zibo states 新增400万千瓦 and 总量500万千瓦 for 2025: the demo keeps them consistent.
    pv = ProgressSnapshot.objects.filter(
        target__plan__city__code="zibo", target__indicator__code="pv_installed_capacity"
    )
    assert len({s.status for s in pv}) == 1
    client.force_login(users["leader"])
    assert "演示数据" in client.get(reverse("dashboard:home")).content.decode()
    again = StringIO()
    call_command("load_demo_data", stdout=again)
    assert "Created 0 demo observation(s)" in again.getvalue()
    call_command("load_demo_data", "--remove", stdout=StringIO())
    assert not Observation.objects.exists()
    assert "演示数据" not in client.get(reverse("dashboard:home")).content.decode()


def test_demo_data_never_overwrites_real_values(four_plans, users):
    indicator = Indicator.objects.get(city__code="zibo", code="non_fossil_energy_share")
    Observation.objects.create(
        indicator=indicator, period="2021", period_end="2021-12-31", value=7.1, entered_by=users["admin"]
    )
    call_command("load_demo_data", stdout=StringIO())
    assert list(indicator.observations.values_list("period", "value", "is_demo")) == [("2021", Decimal("7.1"), False)]
