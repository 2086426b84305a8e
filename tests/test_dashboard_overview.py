"""The overview through the client: headlines counted by hand, provinces, search, pagination."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboard.overview_selectors import CITIES_PER_PAGE
from reporting.models import Observation
from tests.dashboard_world import city_with_targets
from tests.factories import IndicatorFactory, ObservationFactory

# 甲市 (Shandong), 2025: achieved ×2, missed ×1, one without a snapshot (no data) and one
# qualitative target (assessed by a person, not counted); 2030: on track, off track.
# 乙市 (Henan), 2025: missed ×2.
JIA = [
    (2025, "a", "achieved"), (2025, "b", "achieved"), (2025, "c", "missed"), (2025, "d", None),
    (2025, "e!", "manual"), (2030, "a", "on_track"), (2030, "b", "off_track"),
]  # fmt: skip
YI = [(2025, "a", "missed"), (2025, "b", "missed")]


@pytest.fixture
def two_provinces(reference_data):
    return {
        "jia": city_with_targets("jia", "甲市", "山东省", JIA, name_en="Jia"),
        "yi": city_with_targets("yi", "乙市", "河南省", YI, name_en="Yi"),
    }


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_headline_per_city_and_year_counts_quantified_targets_by_status(client, two_provinces, users):
    client.force_login(users["leader"])
    response = client.get(reverse("dashboard:home"))
    summaries = {s.city.code: s for s in response.context["overview"].cities}
    jia_2025, jia_2030 = summaries["jia"].headlines
    assert (jia_2025.year, jia_2025.total) == (2025, 4)
    assert dict(jia_2025.counts) == {"achieved": 2, "missed": 1, "no_data": 1}
    assert dict(jia_2030.counts) == {"on_track": 1, "off_track": 1}
    page = response.content.decode()
    # each count is a link to the city's list filtered by year and status
    assert 'href="/cities/jia/?target_year=2025&amp;status=missed">未完成 1</a>' in page
    assert 'href="/cities/jia/?target_year=2025&amp;status=achieved">已实现 2</a>' in page
    assert 'href="/cities/jia/?target_year=2025&amp;status=no_data">暂无数据 1</a>' in page
    assert "2025年：4项量化目标中" in _text(page)  # the attention list names the year


def test_province_summary_attention_order_and_chart_colours(client, two_provinces, users):
    client.force_login(users["leader"])
    response = client.get(reverse("dashboard:home"))
    data = response.context["overview"]
    provinces = {p.province: p for p in data.provinces}
    assert provinces["山东省"].cities == 1 and dict(provinces["山东省"].headlines[0].counts) == {
        "achieved": 2, "missed": 1, "no_data": 1,
    }  # fmt: skip
    assert dict(provinces["河南省"].headlines[0].counts) == {"missed": 2}
    # 乙 missed two 2025 targets, 甲 one: 乙 comes first
    assert [s.city.code for s in data.attention] == ["yi", "jia"]
    chart = response.context["charts"][0]
    bars = {trace["name"]: trace for trace in chart["figure"]["data"]}
    assert bars["未完成"]["marker"]["color"] == "#cf222e" and bars["已实现"]["marker"]["color"] == "#1a7f37"
    # cities by province (as stored), the test city of the `users` fixture, without one, last
    assert bars["未完成"]["y"] == ["甲市", "乙市", "测试市"] and bars["未完成"]["x"] == [1, 2, 0]
    assert bars["暂无数据"]["x"] == [1, 0, 2]
    assert bars["未完成"]["customdata"][:2] == ["/cities/jia/?target_year=2025", "/cities/yi/?target_year=2025"]
    page = response.content.decode()
    assert 'id="overview-0-figure"' in page and "plotly-basic.min.js" in page and "<script>" not in page


def test_english_overview_names_cities_and_provinces_in_english(client, two_provinces, users):
    client.force_login(users["leader"])
    page = client.get(reverse("dashboard:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Jia</a>" in page and "Shandong" in page


def test_search_and_province_filter_and_two_clicks_to_any_city(client, reference_data, users):
    for number in range(CITIES_PER_PAGE + 5):
        province = "山东省" if number % 2 else "江苏省"
        city_with_targets(f"c{number:03d}", f"城{number:03d}", province, [(2025, "a", "achieved")])
    client.force_login(users["leader"])
    first = client.get(reverse("dashboard:home"))
    assert len(first.context["overview"].cities) == CITIES_PER_PAGE
    assert first.context["overview"].page.paginator.num_pages == 2
    second = client.get(reverse("dashboard:home"), {"page": "2"})
    assert len(second.context["overview"].cities) == 6  # and the `users` fixture's test city
    found = client.get(reverse("dashboard:home"), {"q": "城017"})
    assert [s.city.code for s in found.context["overview"].cities] == ["c017"]
    shandong = client.get(reverse("dashboard:home"), {"province": "山东省"})
    codes = [s.city.code for s in shandong.context["overview"].cities]
    assert len(codes) == 12 and all(int(code[1:]) % 2 for code in codes)
    # click 1: the province in the summary; click 2: the city in the province's list
    page = first.content.decode()
    assert 'href="?province=%E5%B1%B1%E4%B8%9C%E7%9C%81"' in page
    assert 'href="/cities/c017/"' in shandong.content.decode()
    nothing = client.get(reverse("dashboard:home"), {"q": "不存在"}).content.decode()
    assert "没有找到符合条件的城市。" in nothing


def test_overview_queries_do_not_grow_with_cities(client, reference_data, users):
    client.force_login(users["leader"])

    def queries() -> int:
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("dashboard:home"))
        return len(captured)

    for number in range(3):
        city_with_targets(f"a{number}", f"甲{number}", "山东省", [(2025, "a", "missed"), (2030, "b", None)])
    few = queries()
    for number in range(3, 45):
        city_with_targets(f"a{number}", f"甲{number}", f"省{number % 4}", [(2025, "a", "missed"), (2030, "b", None)])
    assert queries() == few


def test_any_city_is_two_clicks_from_the_overview_however_many_share_a_province(client, reference_data, users):
    # more cities in one province than a page of the city list holds
    codes = [f"d{number:03d}" for number in range(2 * CITIES_PER_PAGE + 5)]
    for code in codes:
        city_with_targets(code, f"城{code}", "山东省", [(2025, "a", "achieved")])
    city_with_targets("e001", "另城", "河南省", [(2025, "a", "missed")])
    client.force_login(users["leader"])
    page = client.get(reverse("dashboard:home")).content.decode()
    directory = page[page.index('class="city-directory"') :]
    directory = directory[: directory.index("</section>")]
    # click 1 opens a province (a closed <details>); click 2 is the city's link inside it
    provinces = re.findall(r"<details>\s*<summary>(.*?)</summary>(.*?)</details>", directory, re.S)
    links = {summary.split("（")[0]: set(re.findall(r'href="/cities/([^/"]+)/"', body)) for summary, body in provinces}
    assert links["山东省"] == set(codes) and links["河南省"] == {"e001"}
    assert "测试市" not in links["山东省"]  # the `users` fixture's city, without a province, is listed apart
    assert any(summary.startswith("未注明省份") for summary, _body in provinces)
    english = client.get(reverse("dashboard:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "All cities" in english and "<summary>Shandong（" in english


def test_names_people_typed_are_escaped_in_the_city_rows(client, reference_data, users):
    """The city rows are built in Python (dashboard/templatetags/overview_rows.py): what an admin
    typed as a city or province name reaches the page as text, never as markup."""
    city_with_targets("mark", "<b>标记</b>市", "<i>省</i>", [(2025, "a", "missed")], name_en="<b>M</b>")
    client.force_login(users["leader"])
    page = client.get(reverse("dashboard:home")).content.decode()
    assert "<b>标记</b>" not in page and "<i>省</i>" not in page
    assert '<a href="/cities/mark/">&lt;b&gt;标记&lt;/b&gt;市</a>' in page
    assert '<th colspan="5" scope="rowgroup">&lt;i&gt;省&lt;/i&gt;</th>' in page


def test_latest_data_is_the_latest_counted_period_of_any_indicator_of_the_city(client, two_provinces, users):
    jia = two_provinces["jia"]
    ObservationFactory(indicator=jia.indicators.get(code="a"), period="2023")
    ObservationFactory(indicator=jia.indicators.get(code="b"), period="2024")
    # waiting for review: not counted, so not the latest data yet
    ObservationFactory(indicator=jia.indicators.get(code="a"), period="2025", status="submitted")
    # an indicator without a target counts too: the city reported it
    ObservationFactory(indicator=IndicatorFactory(city=two_provinces["yi"]), period="2022")
    client.force_login(users["leader"])
    response = client.get(reverse("dashboard:home"))
    latest = {s.city.code: s.latest_data for s in response.context["overview"].cities}
    assert (latest["jia"], latest["yi"]) == (dt.date(2024, 12, 31), dt.date(2022, 12, 31))
    text = _text(response.content.decode())
    assert "最新数据：2024年12月" in text and "最新数据：2022年12月" in text
    ObservationFactory(indicator=two_provinces["yi"].indicators.first(), period="2021", status="returned")
    Observation.objects.filter(indicator__city=two_provinces["yi"], status="approved").delete()
    response = client.get(reverse("dashboard:home"))
    assert {s.city.code: s.latest_data for s in response.context["overview"].cities}["yi"] is None
    assert "最新数据：暂无" in _text(response.content.decode())
