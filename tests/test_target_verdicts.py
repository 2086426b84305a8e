"""The target page's verdict, goal and figures, through the client, in Chinese and English.

World: PV capacity ≥ 500 万千瓦 by 2025 (a level target), PM2.5 ≤ 35 微克/立方米 by 2025.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from config.change_sources import ChangeSource
from reporting.models import ProgressSnapshot
from reporting.recompute import progress_recompute
from reporting.services import observation_record
from targets.models import Target


def _observe(indicator, user, values: dict[str, str]) -> None:
    for period, value in values.items():
        observation_record(source=ChangeSource.COMMAND, indicator=indicator, period=period, value=value, user=user)
    progress_recompute()


def _page(client, target, language: str = "zh-hans") -> str:
    """The page's <main>: the head holds every status's colour rule."""
    client.cookies["django_language"] = language
    page = client.get(reverse("dashboard:target", args=[target.pk]), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    return page[page.index("<main") : page.index("</main>")]


def test_a_2025_target_with_2025_data_not_met_is_missed(client, world, users):
    # 450 < 500 in the target year: the verdict is final, whatever the trend said before.
    _observe(world["pv"], users["ndrc_staff"], {"2020": "300", "2024": "420", "2025": "450"})
    snapshot = ProgressSnapshot.objects.filter(target=world["pv_target"]).latest("id")
    assert snapshot.status == "missed"
    # progress (450 − 300)/(500 − 300) = 75 %; a final verdict carries no warning level
    assert snapshot.progress_pct == pytest.approx(75.0) and snapshot.warning_level is None
    client.force_login(users["leader"])
    page = _page(client, world["pv_target"])
    assert "status-missed" in page and "未完成" in page
    assert "进度滞后" not in page and "status-off_track" not in page
    english = _page(client, world["pv_target"], "en")
    assert ">Missed<" in english and "Off track" not in english


def test_a_2025_target_met_in_2025_is_achieved_without_a_warning_level(client, world, users):
    _observe(world["pv"], users["ndrc_staff"], {"2020": "300", "2024": "480", "2025": "520"})
    snapshot = ProgressSnapshot.objects.filter(target=world["pv_target"]).latest("id")
    assert snapshot.status == "achieved" and snapshot.warning_level is None
    client.force_login(users["leader"])
    page = _page(client, world["pv_target"])
    assert "status-achieved" in page and "已实现" in page
    assert "级预警" not in page and "warning-" not in page
    # baseline, latest value and projection carry the unit
    assert "300 万千瓦" in page and "520 万千瓦（2025）" in page


def test_a_target_without_data_shows_its_level_and_unit(client, world, users):
    client.force_login(users["leader"])
    page = _page(client, world["pv_target"])
    assert "不低于 500 万千瓦" in page and "status-no_data" in page
    english = _page(client, world["pv_target"], "en")
    assert "At least 500 ×10⁴ kW" in english


def test_a_relative_target_without_data_states_the_change_and_baseline_year(client, world, users):
    target = Target.objects.create(
        plan=world["plan"], code="pm-2025-change", indicator=world["pm"], kind="change_vs_baseline",
        comparator="at_most", value=Decimal("-10"), target_year=2025, baseline_year=2020, section="三（二）2",
        source_text="到2025年，PM2.5浓度比2020年下降10%",
    )  # fmt: skip
    client.force_login(users["leader"])
    page = _page(client, target)
    assert "较2020年下降 10%" in page and "待基准年数据填报后计算" in page
    assert "down 10% on 2020" in _page(client, target, "en")


def test_progress_below_zero_reads_as_moving_away(client, world, users):
    # PM2.5 ≤ 35 from 40 (2020) to 45 (2023): (45 − 40)/(35 − 40) = −100 %
    _observe(world["pm"], users["eco_staff"], {"2020": "40", "2023": "45"})
    client.force_login(users["leader"])
    page = _page(client, world["pm_target"])
    assert "正在远离目标（反向 100.0%）" in page and "-100" not in page and "−100" not in page
    assert "Moving away from the target (100.0% in the wrong direction)" in _page(client, world["pm_target"], "en")
    # the city page's target table says the same, not "-100%"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    city = client.get(f"/cities/{world['city'].code}/?sector=environment").content.decode()
    assert "正在远离目标（反向 100.0%）" in city and "-100%" not in city and "−100%" not in city


@pytest.mark.parametrize(
    ("user", "shown"), [("ndrc_staff", True), ("eco_staff", False), ("leader", False), ("admin", True)]
)
def test_the_entry_link_shows_to_those_who_may_report(client, world, users, user, shown):
    client.force_login(users[user])
    page = _page(client, world["pv_target"])
    entry = reverse("entry:observation_create", args=[world["pv"].pk])
    assert (entry in page) is shown
    assert ("填报数据" in page) is shown


def test_missed_reaches_the_api_filter_the_exports_and_the_annual_report(client, world, users):
    _observe(world["pv"], users["ndrc_staff"], {"2020": "300", "2025": "450"})
    client.force_login(users["leader"])
    listing = client.get("/api/v1/targets/", {"status": "missed"}).json()
    assert [row["id"] for row in listing["results"]] == [world["pv_target"].pk]
    assert listing["results"][0]["status"] == "missed"
    assert client.get("/api/v1/targets/", {"status": "off_track"}).json()["results"] == []
    csv_text = client.get("/reports/export/plans/test-plan/targets.csv").content.decode("utf-8-sig")
    pv_line = next(line for line in csv_text.splitlines() if "pv-2025" in line)
    assert "未完成" in pv_line
    report = client.get(reverse("documents:annual", args=["testcity", 2025])).content.decode()
    assert 'class="chip status-missed">未完成' in report
