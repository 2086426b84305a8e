"""Table rows built in Python (dashboard_tags): each cell as the page's table shows it, in both
languages, with what a row's values hold escaped."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter

from django.template.defaultfilters import floatformat
from django.utils import translation

from dashboard.progress_slots import MeasureProgress, PageProgress, TargetProgress, TargetRowProgress, slots_fill
from dashboard.sector_selectors import IndicatorGroup, RankedRow
from dashboard.templatetags.dashboard_tags import city_row_texts, measure_table_rows, target_table_rows
from dashboard.templatetags.sector_sections import _whole, sector_sections
from measures.models import Measure, MeasureResponsibility, MeasureStatus, MeasureUpdate
from measures.selectors import with_deadline_state
from reporting.charts import city_colour
from reporting.models import ProgressSnapshot
from reporting.progress_selectors import TargetRow, target_rows
from reporting.sector_rankings import CityName, Label
from targets.models import Indicator, Plan, Target
from targets.querysets import lead_first

LINKS = {"achieved": "status=achieved", "off_track": "plan=p%26q&status=off_track", "no_data": "status=no_data"}


def _row(
    pk: int, *, kind: str = "level", value: str | None = None, strive: bool = False, **snapshot: object
) -> TargetRow:
    indicator = Indicator(name="光伏装机<容量>", name_en="PV capacity", unit="万千瓦")
    plan = Plan(document_number="测政字〔2024〕1号")
    target = Target(pk=pk, indicator=indicator, plan=plan, kind=kind, value=value, strive=strive,
                    target_year=2025, section="三（一）")  # fmt: skip
    return TargetRow(target, ProgressSnapshot(**snapshot) if snapshot else None, [1.0, 2.0, 4.0])


def city_target_rows(rows: list[TargetRow], links: dict[str, str]) -> str:
    """A city's target rows as its page shows them: their plan text, their progress filled in."""
    texts = city_row_texts([row.target for row in rows])
    return slots_fill("\n".join(texts[row.target.pk] for row in rows), TargetRowProgress.of(rows, links))


def _cells(html: str) -> list[list[str]]:
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)]


def test_each_cell_shows_what_the_table_shows():
    reached = _row(1, strive=True, status="achieved", latest_value=12345.678, latest_period="2024",
                   target_level=20000, progress_pct=61.7)  # fmt: skip
    away = _row(2, status="off_track", latest_value=3, latest_period="2024-Q2", progress_pct=-12.34)
    qualitative = _row(3, kind="qualitative")
    level_only = _row(4, value="500")
    with translation.override("zh-hans"):
        html = city_target_rows([reached, away, qualitative, level_only], LINKS)
    first, second, third, fourth = _cells(html)
    assert first[0] == (
        '<a href="/targets/1/">光伏装机&lt;容量&gt;</a> <span class="tag">力争</span>'
        '<div class="meta">测政字〔2024〕1号 三（一）</div>'
    )
    assert first[1:4] == ["2025", '12346 万千瓦 <span class="meta">2024</span>', "20000 万千瓦"]
    assert first[4] == '<span class="bar" role="img" aria-label="已完成62%"><span data-width="61.7"></span></span>62%'
    assert first[5] == '<a class="chip status-achieved" href="?status=achieved">已实现</a>'
    assert 'points="0.0,20.0 40.0,13.3 80.0,0.0"' in first[6]
    # a status link keeps the page's other filters, escaped as the template escaped them
    assert 'href="?plan=p%26q&amp;status=off_track"' in second[5]
    assert second[4] == '<span class="meta">正在远离目标（反向 12.3%）</span>'
    assert third[2:5] == ["—", "定性", "—"] and "no_data" in third[5]
    assert fourth[3] == "500 万千瓦"
    assert 'data-label="目标年"' in html and html.count("<tr>") == 4


def test_english_labels_and_names():
    with translation.override("en"):
        html = city_target_rows([_row(1, strive=True, status="achieved", progress_pct=50.0)], LINKS)
    assert ">PV capacity</a>" in html and "Strive for" in html and "50% complete" in html
    assert 'data-label="Target year"' in html


def test_bureau_tables_rows_name_bureaus_deadlines_progress_and_entry_links(world, users):
    """dashboard/_target_rows.html and _measure_rows.html (a bureau's pages, my bureau, the
    measures list, a sector's columns) through their tags."""
    pm = world["pm_measure"]
    pm.deadline = dt.date(2020, 1, 31)
    pm.save()
    MeasureUpdate.objects.create(
        measure=world["pv_measure"], status=MeasureStatus.objects.get(code="in_progress"), percent_complete=40,
        created_by=users["admin"],
    )  # fmt: skip
    measures = with_deadline_state(
        Measure.objects.select_related("plan__city").prefetch_related(lead_first(MeasureResponsibility)).order_by("pk"),
        today=dt.date(2025, 6, 30),
    )
    rows = target_rows([world["pv_target"]])
    # the progress cells are slots, filled by the page (dashboard/progress_slots.py)
    progress = PageProgress(
        TargetProgress.of_rows(rows), MeasureProgress.of(Measure.objects.all(), today=dt.date(2025, 6, 30))
    )
    with translation.override("zh-hans"):
        html = slots_fill(measure_table_rows(measures, True, True, "/my-bureau/"), progress)
        targets = slots_fill(target_table_rows(rows, True, "/my-bureau/"), progress)
        empty = measure_table_rows([], False, True), target_table_rows([])
    pv_row, pm_row = _cells(html)
    assert pv_row[0] == "测试市" and pv_row[4] == "推进中 · 40%"
    assert f'<a href="/entry/measures/{world["pv_measure"].pk}/updates/?next=/my-bureau/">更新进展</a>' in pv_row[5]
    ndrc, eco = world["ndrc"].pk, world["eco"].pk
    assert (
        f'<a href="/bureaus/{eco}/">市生态环境局</a>（牵头）、<a href="/bureaus/{ndrc}/">市发展改革委</a>' in pm_row[2]
    )
    assert pm_row[3] == '2020年1月31日 <span class="chip status-missed">逾期</span>' and pm_row[4] == "未报告"
    assert f'href="/entry/indicators/{world["pv"].pk}/observations/?next=/my-bureau/"' in targets
    assert f'<a href="/targets/{world["pv_target"].pk}/">光伏发电装机容量</a>' in targets
    assert '<td class="inline"><span class="chip status-no_data">暂无数据</span></td>' in targets
    assert empty == ('<tr><td colspan="6">没有任务。</td></tr>', '<tr><td colspan="5">没有目标。</td></tr>')


def test_sector_sections_rank_cities_and_link_those_without_data():
    jinan, zibo = CityName(1, "jinan", "济南", "Jinan"), CityName(2, "zibo", "淄博<市>", "")
    label = Label("光伏", "", "万千瓦")
    rows = [
        RankedRow(position, pk, jinan, 3, label, *standing)
        for position, (pk, standing) in enumerate([
            (7, ("on_track", 120.0, "2024", 66.6)),
            (8, ("off_track", 80.0, "", -5.0)),
            (9, ("no_data", None, "", None)),
        ])
    ]  # fmt: skip
    group = IndicatorGroup("pv", "光伏", "", "万千瓦", 2025, Counter(on_track=1, off_track=1, no_data=1),
                           leading=rows, not_reported=[jinan, zibo])  # fmt: skip
    chart = {"group": group, "id": "sector-0", "figure_id": "sector-0-figure", "title": "光伏", "figure": None}
    with translation.override("zh-hans"):
        section = sector_sections([chart], "?sector=energy")
    ranked = re.search(r'<ol class="ranked">.*?</ol>', section, re.S).group(0)
    items = re.findall(r"<li>(.*?)</li>", ranked, re.S)
    assert len(items) == 3 and "<h3>领先</h3>" in section and "落后" not in section
    assert f'data-colour="{city_colour("jinan")}"' in items[0] and '<a href="/targets/7/">济南</a>' in items[0]
    assert '<span class="value">120 万千瓦</span> <span class="meta">2024</span>' in items[0]
    assert '<span class="meta">进度67%</span>' in items[0] and "status-on_track" in items[0]
    assert '<span class="meta">正在远离目标（反向 5.0%）</span>' in items[1] and '"meta">2024' not in items[1]
    assert '<span class="value">— 万千瓦</span>' in items[2] and "进度" not in items[2]
    assert (
        '<p class="meta">尚未报送数据的城市：<a href="/cities/jinan/?sector=energy">济南</a>、'
        '<a href="/cities/zibo/?sector=energy">淄博&lt;市&gt;</a></p>'
    ) in section


def test_whole_percent_is_floatformat_without_its_parsing():
    for value in [0.0, 0.5, 1.5, 2.5, 66.6, 99.5, 556.7, 999.49, 999.5, 1234.5, 1e20, math.inf]:
        assert _whole(value) == floatformat(value, 0), value
