"""City and sector dashboards through the client: headlines, filters in the URL, the status and
city colours, charts only with data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.models import Measure, MeasureResponsibility
from reporting.charts import CITY_PALETTE, city_colour
from reporting.statuses import STATUS_COLOURS, STATUSES
from targets.models import Bureau, City, Indicator, Role, Sector
from tests.dashboard_world import city_with_targets, observe

SITE_CSS = Path(__file__).resolve().parent.parent / "dashboard" / "static" / "dashboard" / "statuses.css"

# 甲市: energy 2025 achieved ×2, missed ×1, no data ×1; 2030 off track ×1.
JIA = [(2025, "a", "achieved"), (2025, "b", "achieved"), (2025, "c", "missed"), (2025, "d", None),
       (2030, "a", "off_track")]  # fmt: skip


@pytest.fixture
def jia(reference_data):
    return city_with_targets("jia", "甲市", "山东省", JIA), None


def test_every_status_pill_has_the_chart_colour():
    css = SITE_CSS.read_text()
    for status in STATUSES:
        rule = re.search(rf"\.status-{status} \{{ background: (#[0-9a-f]{{6}}); \}}", css)
        assert rule, status
        assert rule.group(1) == STATUS_COLOURS[status], status
    assert "missed" in STATUSES and STATUSES.index("missed") == 1


def test_city_headlines_are_counted_by_hand_and_do_not_follow_the_filters(client, jia, users):
    city, _other = jia
    client.force_login(users["leader"])
    url = reverse("dashboard:city", args=[city.code])
    for query in ({}, {"status": "missed", "target_year": "2025"}):
        response = client.get(url, query)
        h2025, h2030 = response.context["targets"].headlines
        assert (h2025.total, dict(h2025.counts)) == (4, {"achieved": 2, "missed": 1, "no_data": 1})
        assert (h2030.total, dict(h2030.counts)) == (1, {"off_track": 1})
    rows = response.context["rows"]
    assert [(r.target.target_year, r.status) for r in rows] == [(2025, "missed")]
    page = response.content.decode()
    # a pill in the headline filters by year and status, keeping nothing else; the URL is shareable
    assert 'href="?target_year=2025&amp;status=achieved"' in page
    # the latest value carries the unit
    assert "50 万千瓦" in page


def test_city_targets_grouped_by_sector_worst_first_and_chart_links_filter(client, jia, users):
    city, _other = jia
    client.force_login(users["leader"])
    response = client.get(reverse("dashboard:city", args=[city.code]))
    (group,) = response.context["targets"].groups
    assert [r.status for r in group.rows] == ["missed", "off_track", "no_data", "achieved", "achieved"]
    assert group.open
    figure = response.context["chart"]["figure"]
    bars = {trace["name"]: trace for trace in figure["data"]}
    assert set(bars) == {"已实现", "未完成", "进度滞后", "暂无数据"}
    assert bars["已实现"]["x"] == [2] and bars["已实现"]["customdata"] == ["?sector=energy"]
    assert bars["未完成"]["marker"]["color"] == STATUS_COLOURS["missed"]
    filtered = client.get(reverse("dashboard:city", args=[city.code]), {"target_year": "2030"})
    bars = {trace["name"]: trace for trace in filtered.context["chart"]["figure"]["data"]}
    assert set(bars) == {"进度滞后"} and bars["进度滞后"]["customdata"] == ["?sector=energy&target_year=2030"]


def test_overdue_measures_link_to_their_pages_and_bureaus(client, jia, users):
    city, _other = jia
    plan = city.plans.get()
    bureau = Bureau.objects.create(city=city, name="市发展改革委", name_en="Development and Reform Commission")
    energy = Sector.objects.get(code="energy")
    measure = Measure.objects.create(
        plan=plan, section="三（一）1", title="推进光伏", text="…", deadline="2021-06-30", sector=energy
    )
    MeasureResponsibility.objects.create(measure=measure, bureau=bureau, role=Role.LEAD)
    client.force_login(users["leader"])
    url = reverse("dashboard:city", args=[city.code])
    page = client.get(url).content.decode()
    assert f'href="/measures/{measure.pk}/"' in page and f'href="/bureaus/{bureau.pk}/">市发展改革委</a>：1项' in page
    assert f'href="/measures/?city={city.code}"' in page
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="/bureaus/{bureau.pk}/">Development and Reform Commission</a>' in english


def test_city_palette_is_stable_and_the_same_on_chart_and_swatch(client, reference_data, users):
    assert city_colour("zibo") == city_colour("zibo") and city_colour("zibo") in CITY_PALETTE
    assert len({city_colour(code) for code in ("zibo", "weihai", "heze")}) == 3
    cities = [city_with_targets(code, name, "山东省", [(2025, "pv", "achieved"), (2030, "pv", "on_track")])
              for code, name in (("zibo", "淄博"), ("heze", "菏泽"))]  # fmt: skip
    observe(cities[0], "pv", {2021: 40, 2023: 60})
    observe(cities[1], "pv", {2022: 30})
    client.force_login(users["leader"])
    response = client.get(reverse("dashboard:sector", args=["energy"]))
    (chart,) = [c for c in response.context["charts"] if c["group"].code == "pv"]
    for trace in chart["figure"]["data"]:
        code = "zibo" if trace["name"].startswith("淄博") else "heze"
        colour = trace.get("line", trace.get("marker", {})).get("color")
        assert colour == city_colour(code), trace["name"]
    page = response.content.decode()
    assert f'data-colour="{city_colour("zibo")}"' in page and "style=" not in page.split("<main")[1]


def test_sector_draws_no_empty_chart_and_names_the_cities_without_data(client, reference_data, users):
    for code, name in (("zibo", "淄博"), ("heze", "菏泽"), ("weihai", "威海")):
        city_with_targets(code, name, "山东省", [(2025, "coal", "no_data"), (2025, "pv", "achieved")])
    observe(City.objects.get(code="zibo"), "pv", {2022: 10, 2024: 20})
    client.force_login(users["leader"])
    response = client.get(reverse("dashboard:sector", args=["energy"]))
    charts = {c["group"].code: c for c in response.context["charts"]}
    assert charts["coal"]["figure"] is None
    assert [c.name for c in charts["coal"]["group"].not_reported] == ["菏泽", "威海", "淄博"]
    assert charts["pv"]["figure"] is not None
    page = response.content.decode()
    assert page.count('class="chart"') == 1  # the pv chart only (the spread chart is .chart-bars)
    assert "尚未报送数据的城市：" in page
    spread = {trace["name"]: trace["x"] for trace in response.context["spread"]["figure"]["data"]}
    assert spread["暂无数据"] == [3, 0] and spread["已实现"] == [0, 3]


def test_sector_with_many_cities_shows_leaders_laggards_and_picked_cities(client, reference_data, users):
    cities = [city_with_targets(f"c{n:02d}", f"城{n:02d}", "山东省", [(2025, "pv", "on_track")]) for n in range(10)]
    for number, city in enumerate(cities):
        observe(city, "pv", {2023: 10 + number})
    from reporting.models import ProgressSnapshot
    from reporting.sector_rankings import sector_rankings_refresh

    for number, city in enumerate(cities):  # progress grows with the city number
        ProgressSnapshot.objects.filter(target__plan__city=city).update(progress_pct=10.0 * number, latest_value=number)
    sector_rankings_refresh()  # as the recompute that wrote them would
    client.force_login(users["leader"])
    url = reverse("dashboard:sector", args=["energy"])
    response = client.get(url)
    (chart,) = [c for c in response.context["charts"] if c["group"].code == "pv"]
    group = chart["group"]
    assert [r.city.code for r in group.leading] == ["c09", "c08", "c07"]
    assert [r.city.code for r in group.lagging] == ["c00", "c01", "c02"]
    assert [c.code for c in group.shown] == ["c09", "c08", "c07", "c00", "c01", "c02"]
    assert response.context["columns"] == []  # no per-city table for ten cities unless picked
    picked = client.get(url, {"city": ["c04", "c05"]})
    (chart,) = [c for c in picked.context["charts"] if c["group"].code == "pv"]
    assert sorted(c.code for c in chart["group"].shown) == ["c04", "c05"]
    assert [city.code for city, _rows in picked.context["columns"]] == ["c04", "c05"]
    assert '<option value="c04" selected>' in picked.content.decode()


def test_sector_queries_do_not_grow_with_cities(client, reference_data, users):
    client.force_login(users["leader"])
    url = reverse("dashboard:sector", args=["energy"])

    def queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    def add(numbers: range) -> None:
        for n in numbers:
            city = city_with_targets(f"s{n:02d}", f"市{n:02d}", "山东省", [(2025, "pv", "missed"), (2030, "pv", None)])
            observe(city, "pv", {2022: n, 2024: n + 1})

    add(range(3))
    few = queries()
    add(range(3, 30))
    # Beyond six cities the page reads the stored rankings instead of ranking the few itself
    # (which reads their latest snapshots' ids, then the snapshots): never more queries.
    assert queries() <= few


def test_sector_sections_escape_what_they_show_in_both_languages(client, reference_data, users):
    for code, name in (("zibo", "淄博<市>"), ("heze", "菏泽")):
        city = city_with_targets(code, name, "山东省", [(2025, "pv", "achieved"), (2025, "coal", None)],
                                 name_en=code.title())  # fmt: skip
        observe(city, "pv", {2023: 10, 2024: 20})
    for indicator in Indicator.objects.filter(code="pv"):
        indicator.name, indicator.name_en = "光伏<b>", "PV <b>"
        indicator.save()
    client.force_login(users["leader"])
    url = reverse("dashboard:sector", args=["energy"])
    page = client.get(url).content.decode().split("<main")[1]
    assert '<h2 id="sector-1-h">光伏&lt;b&gt; <span class="meta">2025年目标</span></h2>' in page
    assert 'aria-label="光伏&lt;b&gt;：各市观测值与目标"' in page and "<b>" not in page
    assert '<span class="chip status-achieved">已实现 2</span>' in page and "<h3>领先</h3>" in page
    assert '尚未报送数据的城市：<a href="/cities/heze/?sector=energy">菏泽</a>、' in page
    assert '<a href="/cities/zibo/?sector=energy">淄博&lt;市&gt;</a>' in page
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode().split("<main")[1]
    assert "PV &lt;b&gt; <span" in english and "<h3>Leading</h3>" in english
    assert 'Cities that have not reported: <a href="/cities/heze/?sector=energy">Heze</a>' in english


def test_sector_page_head_is_plan_text_kept_while_only_progress_changes(client, reference_data, users):
    from config.data_version import progress_changed

    for n in range(7):  # more cities than the page shows all of: no columns of targets
        city_with_targets(f"c{n:02d}", f"城{n:02d}", "山东省", [(2025, "pv", "on_track")])
    client.force_login(users["leader"])
    url = reverse("dashboard:sector", args=["energy"])
    client.get(url)
    progress_changed()
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()
    # The title, the sectors and the city picker come from the plan's cache, not the database.
    read = [q["sql"] for q in captured.captured_queries]
    assert not any('FROM "targets_sector"' in sql or 'FROM "targets_city"' in sql for sql in read), read
    assert "对比城市（共8个，可多选）" in page and '<option value="c06">城06</option>' in page  # and 测试市's
    city_with_targets("c07", "城07", "山东省", [(2025, "pv", "on_track")])  # a plan loaded: a new city
    assert '<option value="c07">城07</option>' in client.get(url).content.decode()
    assert client.get(reverse("dashboard:sector", args=["nowhere"])).status_code == 404
