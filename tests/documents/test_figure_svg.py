"""One figure spec, two renderers: the dashboard's Plotly specs drawn as SVG for the reports,
and serialised for plotly.js by plotly's encoder. No database."""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import numpy as np
import plotly.io as pio

from dashboard.templatetags.dashboard_tags import figure_script
from documents.figure_svg import figure_svg
from reporting.charts import TEMPLATE_NAME, site_template, status_bars, target_figure
from reporting.models import ProgressSnapshot
from reporting.statuses import STATUS_COLOURS, status_label
from targets.models import Indicator, Target

SVG = "{http://www.w3.org/2000/svg}"


def _bars() -> ET.Element:
    spec = status_bars(
        ["能源", "工业领域节能降碳与绿色转型"],
        {"achieved": [2, 0], "missed": [1, 3], "no_data": [0, 1]},
        x_title="目标数",
    )
    return ET.fromstring(figure_svg(spec, title="分领域"))


def test_status_bars_are_drawn_from_the_spec_in_the_status_colours():
    root = _bars()
    rects = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    # one bar piece per non-zero count, filled in the status's colour
    drawn = {(r.find(f"{SVG}title").text, r.get("fill")) for r in rects}
    assert drawn == {
        (f"能源: 2 {status_label('achieved')}", STATUS_COLOURS["achieved"]),
        (f"能源: 1 {status_label('missed')}", STATUS_COLOURS["missed"]),
        (f"工业领域节能降碳与绿色转型: 3 {status_label('missed')}", STATUS_COLOURS["missed"]),
        (f"工业领域节能降碳与绿色转型: 1 {status_label('no_data')}", STATUS_COLOURS["no_data"]),
    }
    by_title = {r.find(f"{SVG}title").text.split(":")[0]: r for r in rects}
    # the first category on top, as the page's reversed axis shows it
    assert float(by_title["能源"].get("y")) < float(by_title["工业领域节能降碳与绿色转型"].get("y"))
    # stacked: the missed piece starts where achieved ends, and widths follow the counts (2:1)
    energy = sorted(
        (r for r in rects if r.find(f"{SVG}title").text.startswith("能源")), key=lambda r: float(r.get("x"))
    )
    assert float(energy[0].get("x")) + float(energy[0].get("width")) == float(energy[1].get("x"))
    assert math.isclose(float(energy[0].get("width")), 2 * float(energy[1].get("width")), rel_tol=0.02)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    # the legend names the drawn statuses in display order; the wrapped label is two lines
    legend = [t for t in texts if t in {status_label(s) for s in STATUS_COLOURS}]
    assert legend == [status_label("achieved"), status_label("missed"), status_label("no_data")]
    assert {"工业领域节能降碳与", "绿色转型", "目标数"} <= set(texts)


def test_the_target_chart_draws_the_dashboards_spec():
    indicator = Indicator(unit="%", nature="ratio")
    target = Target(pk=1, indicator=indicator, kind="level", value=Decimal(10), target_year=2025, baseline_year=2020)
    snapshot = ProgressSnapshot(status="off_track", target_level=10.0, baseline_value=6.0, projected_value=8.5)
    spec = target_figure(target, snapshot, [(2020.0, 6.0, "2020"), (2023.0, 7.0, "2023")], [target])
    svg = figure_svg(spec, title="非化石能源消费比重")
    root = ET.fromstring(svg)
    colours = [(t.get("line") or t.get("marker"))["color"] for t in spec["data"]]
    assert colours[2] == STATUS_COLOURS["off_track"]  # the projection in its status's colour
    for index, colour in enumerate(colours):
        group = root.find(f".//{SVG}g[@class='trace trace-{index}']")
        painted = {e.get("stroke") or e.get("fill") for e in group}
        assert painted == {colour}
    legend = [g.find(f"{SVG}text").text for g in root.findall(f"{SVG}g") if g.get("transform")]
    assert legend == [trace["name"] for trace in spec["data"]]
    assert 'stroke-dasharray="2 3"' in svg and 'stroke-dasharray="6 4"' in svg  # dot path, dashed projection
    assert [c.find(f"{SVG}title").text for c in root.iter(f"{SVG}circle")] == ["2020: 6", "2023: 7"]
    assert root.find(f".//{SVG}polygon[@class='marker-star']") is not None


def test_a_spec_without_a_point_draws_nothing():
    assert figure_svg({"data": [{"type": "scatter", "x": [2020], "y": [None]}], "layout": {}}) == ""
    assert figure_svg(status_bars(["能源"], {"achieved": [0]})) == ""


def test_every_spec_carries_the_sites_plotly_template():
    spec = status_bars(["能源"], {"achieved": [1]})
    assert spec["layout"]["template"] == site_template() == pio.templates[TEMPLATE_NAME].to_plotly_json()
    assert "WenQuanYi" not in json.dumps(site_template()) and "PingFang SC" in json.dumps(site_template())


def test_figure_script_uses_plotlys_encoder_and_cannot_close_the_script():
    spec = {"data": [{"type": "scatter", "x": np.array([2020, 2021]), "y": [Decimal("1.5"), float("nan")],
                      "name": "</script><script>alert(1)</script>"}], "layout": {}}  # fmt: skip
    html = str(figure_script(spec, "x-figure"))
    assert html.startswith('<script id="x-figure" type="application/json">') and html.count("</script>") == 1
    body = re.fullmatch(r'<script id="x-figure" type="application/json">(.*)</script>', html).group(1)
    data = json.loads(body)["data"][0]
    assert data["x"] == [2020, 2021] and data["y"] == [1.5, None]
    assert data["name"] == "</script><script>alert(1)</script>"


def test_a_long_unit_moves_the_legend_to_a_row_of_its_own():
    indicator = Indicator(unit="tCO2/万元", nature="ratio")
    target = Target(pk=1, indicator=indicator, kind="level", value=Decimal(10), target_year=2025, baseline_year=2020)
    snapshot = ProgressSnapshot(status="off_track", target_level=10.0, baseline_value=6.0, projected_value=8.5)
    spec = target_figure(target, snapshot, [(2020.0, 6.0, "2020"), (2023.0, 7.0, "2023")], [target])
    spec["layout"]["yaxis"]["title"]["text"] = "吨二氧化碳/万元"  # the plan's unit, as unit_label shows it
    root = ET.fromstring(figure_svg(spec))
    y_title = root.find(f"{SVG}text[@class='y-title']")
    legend_rows = {g.get("transform").split(",")[1] for g in root.findall(f"{SVG}g") if g.get("transform")}
    assert legend_rows == {"26)"} and float(y_title.get("y")) >= 26 + 14  # a line lower: they cannot overlap
