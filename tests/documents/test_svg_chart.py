"""The server-side SVG chart: tick arithmetic, coordinates, escaping. No database."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from documents.svg_chart import ChartData, ChartLabels, Point, nice_ticks, target_chart_svg, tick_text, year_ticks

LABELS = ChartLabels(
    title="非化石能源消费比重", x_axis="年份", y_axis="%", observed="观测值", path="直线路径", target="目标"
)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        (6.0, 10.0, [6, 7, 8, 9, 10]),  # range 4 in 4 steps: step 1
        (0.41, 0.5, [0.4, 0.45, 0.5]),  # raw step 0.0225 rounds up to 0.05
        (5.0, 5.0, [4.5, 5.0, 5.5]),  # one value: padded by 10 %
        (0.0, 0.0, [-1.0, -0.5, 0.0, 0.5, 1.0]),  # zero: padded by 1
        (10.0, 6.0, [6, 7, 8, 9, 10]),  # reversed bounds
        (0.0, 1_234_000.0, [0, 500_000, 1_000_000, 1_500_000]),
    ],
)
def test_nice_ticks_cover_the_range_in_round_steps(low, high, ticks):
    assert nice_ticks(low, high) == pytest.approx(ticks)


def test_nice_ticks_refuse_non_finite_bounds():
    with pytest.raises(ValueError, match="finite"):
        nice_ticks(float("nan"), 3.0)


def test_year_ticks_are_whole_years_and_reach_past_the_last_point():
    assert year_ticks(2020, 2025) == [2020, 2021, 2022, 2023, 2024, 2025]
    assert year_ticks(2022.5, 2024) == [2022, 2023, 2024]
    # 25 years in at most 8 labels: every 4 years, and the last tick passes 2030
    assert year_ticks(2005, 2030) == [2005, 2009, 2013, 2017, 2021, 2025, 2029, 2033]
    assert year_ticks(2025, 2025) == [2024, 2025, 2026]


def test_tick_text_shows_as_many_decimals_as_the_step_needs():
    assert tick_text(0.45, [0.4, 0.45, 0.5]) == "0.45"
    assert tick_text(1_000_000, [0, 500_000, 1_000_000]) == "1,000,000"
    assert tick_text(7, [6, 7, 8]) == "7"


def test_points_land_where_the_axes_say():
    data = ChartData(
        observations=[Point(2020, 6.0, "2020: 6"), Point(2023, 8.0, "2023: 8")],
        path=(Point(2020, 6.0), Point(2025, 10.0)),
        targets=[Point(2025, 10.0, "2025: 10")],
    )
    svg = target_chart_svg(data, LABELS, width=560, height=250)
    # x: 2020..2025 over 58..542 px; y: 6..10 over 212..34 px (hand-computed from the frame)
    assert 'points="58.0,212.0 348.4,123.0"' in svg
    assert 'points="58.0,212.0 542.0,34.0"' in svg  # the straight path
    # the target: a star as on the page, its top point 7 px (half of size 14) above (542, 34)
    assert re.search(r'class="marker-star" points="542\.0,27\.0 [^"]*"', svg)
    root = ET.fromstring(svg)  # well-formed XML
    assert len(root.findall(f".//{SVG}circle")) == 2
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"2020", "2025", "6", "10", "年份", "%", "观测值", "直线路径", "目标"} <= set(texts)


def test_every_text_is_escaped():
    hostile = ChartLabels(
        title='<script>alert("t")</script>',
        x_axis="a & b",
        y_axis="<b>unit</b>",
        observed="'quoted'",
        path="</text><script>",
        target='" onload="x',
    )
    data = ChartData(observations=[Point(2020, 1.0, "<img src=x onerror=y>"), Point(2021, 2.0, "2021")])
    data.targets = [Point(2025, 3.0, "</title><script>")]
    data.path = (Point(2020, 1.0), Point(2025, 3.0))
    svg = target_chart_svg(data, hostile)
    assert "<script" not in svg and "<img" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "a &amp; b" in svg and "&lt;img src=x onerror=y&gt;" in svg
    assert 'aria-label="&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;"' in svg
    ET.fromstring(svg)  # still well-formed: nothing broke out of its element


def test_nothing_to_draw_gives_no_svg():
    assert target_chart_svg(ChartData(), LABELS) == ""


def test_legend_names_only_what_is_drawn():
    svg = target_chart_svg(ChartData(observations=[Point(2020, 1.0), Point(2021, 2.0)]), LABELS)
    legend = re.findall(r'<text x="20" y="0">([^<]*)</text>', svg)
    assert legend == ["观测值"]
