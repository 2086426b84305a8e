"""The drafter on the four shipped plans (aims of issue 15) and on plans in other layouts."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from pypdf import PdfWriter

from targets.drafting.draft import draft_plan
from targets.drafting.numbers import find_numbers, plain
from targets.drafting.reading import DraftInputError, plan_text_from_bytes
from targets.drafting.scoring import score_draft
from targets.plan_file import PlanFile
from targets.plan_validation import SOURCES_DIR, validate_plans

ROOT = Path(__file__).resolve().parents[2]
PLANS = Path(__file__).parent / "plans"
SHIPPED = [
    ("001_27f558fe02dedf99.txt", "zibo-carbon-peaking.yaml"),
    ("000_98f35a46e05eef23.txt", "zibo-pollution-carbon-synergy.yaml"),
    ("002_b47a062948c16457.txt", "weihai-pollution-carbon-synergy.yaml"),
    ("004_aa64018cf50cbd3c.txt", "heze-carbon-peaking.yaml"),
]


def _draft(source: str) -> dict:
    text = (SOURCES_DIR / source).read_text(encoding="utf-8")
    return draft_plan(text, city_code="testcity", city_name="测试", source_file=source).data


@pytest.mark.parametrize(("source", "fixture"), SHIPPED)
def test_shipped_plans_meet_the_aims(source, fixture):
    expected = yaml.safe_load((ROOT / "fixtures" / "plans" / fixture).read_text(encoding="utf-8"))
    score = score_draft(_draft(source), expected)
    assert score.measures.recall >= 0.95, score.measures.misses
    assert score.bureaus_exact >= 0.90, score.bureau_misses
    assert score.targets.recall >= 0.90, score.targets.misses
    assert score.targets.precision >= 0.90, score.targets.extras


@pytest.mark.parametrize(("source", "fixture"), SHIPPED)
def test_drafts_pass_the_validator_except_items_marked_for_review(source, fixture):
    data = _draft(source)
    problems = validate_plans([PlanFile("draft.yaml", data)])
    assert problems, "a draft with review marks must not load as it is"
    for problem in problems:
        section, _, rest = problem.where.partition("[")
        item = data["plan"] if problem.where.startswith("plan.") else data[section][int(rest.split("]")[0])]
        assert item.get("review"), str(problem)


def _plan(name: str, **kwargs) -> dict:
    return draft_plan((PLANS / name).read_text(encoding="utf-8"), city_code="x", **kwargs).data


def test_indicator_table_rows_become_targets_for_each_target_year():
    data = _plan("table_plan.txt")
    table = [t for t in data["targets"] if t["section"] == "指标表"]
    got = {(t["value"], t["target_year"], t["kind"], t["comparator"]) for t in table}
    assert got == {(13, 2025, "level", "at_least"), (20, 2030, "level", "at_least"),
                   (23, 2025, "level", "at_least"), (25, 2030, "level", "at_least")}  # fmt: skip
    assert all(t["review"] for t in table)


def test_lead_and_support_units_in_labelled_clauses():
    data = _plan("table_plan.txt")
    measures = {m["section"]: m for m in data["measures"]}
    assert measures["二（一）"]["bureaus"] == ["市发展改革委", "市自然资源和规划局", "市财政局"]
    assert measures["二（一）"]["responsibility_sources"] == [
        "牵头单位：市发展和改革委员会",
        "配合单位：市自然资源和规划局、市财政局",
    ]
    assert measures["二（二）"]["bureaus"] == ["市交通运输局", "市公安局", "市城市管理局"]
    aliases = {b["name"]: b.get("aliases", []) for b in data["bureaus"]}
    assert "市发展和改革委员会" in aliases["市发展改革委"]
    assert data["plan"]["document_number"] == "日政发〔2024〕8号"
    assert str(data["plan"]["issued"]) == "2024-03-05"
    assert data["plan"]["title"] == "日照市碳达峰实施方案"


def test_lead_then_support_sentence_own_line_clause_and_chinese_numerals():
    data = _plan("lead_support_plan.txt")
    measures = {m["section"]: m for m in data["measures"]}
    assert measures["二1"]["bureaus"] == ["市工业和信息化局", "市发展改革委", "市生态环境局"]
    assert measures["二2"]["bureaus"] == ["市住房城乡建设局", "市发展改革委"]
    assert measures["二3"]["bureaus"] == ["市发展改革委", "市统计局"]
    targets = {(t["section"], t["value"]): t for t in data["targets"]}
    factories = targets[("二1", 20)]
    assert (factories["kind"], factories["comparator"], factories["period_start"]) == ("cumulative", "at_least", 2021)
    assert factories["interpretation"]
    share = targets[("二2", 100)]
    assert share["review"]  # 百分之百: written in Chinese numerals, the validator cannot check it
    coal = targets[("二3", 2000)]
    assert (coal["kind"], coal["comparator"]) == ("level", "at_most")
    intensity = targets[("二3", -14.5)]
    assert intensity["kind"] == "change_vs_baseline"
    assert (intensity["comparator"], intensity["baseline_year"]) == ("at_most", 2020)
    assert data["plan"]["kind"] == "pollution_carbon_synergy"


def test_provincial_plan_with_cities_as_responsible_units():
    data = _plan("province_plan.txt")
    measures = {m["section"]: m for m in data["measures"]}
    assert measures["二（一）"]["bureaus"] == ["省发展改革委", "省能源局", "各市政府"]
    assert measures["二（二）"]["bureaus"] == ["省工业和信息化厅", "各市"]
    assert str(measures["二（二）"]["deadline"]) == "2024-12-31"
    kinds = {b["name"]: b["kind"] for b in data["bureaus"]}
    assert kinds["各市政府"] == kinds["各市"] == "district_government"
    targets = {(t["value"], t["target_year"]): t for t in data["targets"] if t["kind"] != "qualitative"}
    assert targets[(-14, 2025)]["kind"] == "change_vs_baseline"
    assert targets[(18, 2025)]["comparator"] == "at_least"
    assert targets[(2600, 2025)]["strive"] is False
    assert any(t["kind"] == "qualitative" and t["target_year"] == 2030 for t in data["targets"])


def test_chinese_and_mixed_numerals():
    values = [(plain(n.value), n.chinese, n.percent) for n in find_numbers("两千、1.2万、百分之十、五个百分点")]
    assert (2000, True, False) in values
    assert (1.2, False, False) in values  # 1.2 with 万 read as part of the unit (万辆, 万千瓦)
    assert (10, True, True) in values
    assert (5, True, False) in values


def test_reading_gb18030_and_refusing_a_scanned_pdf():
    assert plan_text_from_bytes("淄博市碳达峰工作方案".encode("gb18030")) == "淄博市碳达峰工作方案"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(DraftInputError, match="扫描件"):
        plan_text_from_bytes(buffer.getvalue(), "scan.pdf")


def test_commands_draft_then_score_as_json(tmp_path, capsys, db):
    out = tmp_path / "draft.yaml"
    call_command("draft_plan", str(SOURCES_DIR / SHIPPED[2][0]), "--city", "weihai", "--out", str(out))
    call_command("score_draft", str(out), str(ROOT / "fixtures/plans" / SHIPPED[2][1]), "--json")
    result = json.loads(capsys.readouterr().out)
    assert set(result) >= {"measures", "targets", "qualitative"}
    assert result["measures"]["recall"] >= 0.95 and result["measures"]["bureaus_exact"] >= 0.9


def test_chapters_chinese_years_and_provincial_departments():
    text = (
        "某省碳达峰实施方案\n第一章 总体目标\n到二〇二五年，全省非化石能源消费比重达到百分之二十左右。\n"
        "第二章 重点任务\n一、能源转型\n（一）发展风电。到二〇二五年，风电装机容量达到1200万千瓦以上。"
        "（责任单位：省发展改革委、省住房和城乡建设厅、省生态环境厅）\n"
    )
    data = draft_plan(text, city_code="x").data
    (measure,) = data["measures"]
    assert measure["section"] == "第二章一（一）"
    assert measure["bureaus"] == ["省发展改革委", "省住房城乡建设厅", "省生态环境厅"]
    assert not any(b.get("review") for b in data["bureaus"])
    got = {(t["section"], t["value"], t["target_year"], t["comparator"]) for t in data["targets"]}
    assert got == {("第一章", 20, 2025, "about"), ("第二章一（一）", 1200, 2025, "at_least")}
    # Quotes keep the year as printed, so they are found in the text.
    assert all(t["source"].startswith("到二〇二五年") for t in data["targets"])


def test_a_pdf_with_a_text_layer_is_drafted():
    from weasyprint import HTML

    pdf = HTML(
        string="<p>日照市碳达峰工作方案</p><p>一、重点任务</p>"
        "<p>（一）发展风电。到2025年，风电装机容量达到1200万千瓦以上。（责任单位：市发展改革委、市生态环境局）</p>"
    ).write_pdf()
    data = draft_plan(plan_text_from_bytes(pdf, "plan.pdf"), city_code="x").data
    (measure,) = data["measures"]
    assert measure["bureaus"] == ["市发展改革委", "市生态环境局"]
    assert [(t["value"], t["target_year"]) for t in data["targets"]] == [(1200, 2025)]


def test_respectively_and_figures_without_units_are_marked_for_review():
    from targets.drafting.quantified import find_quantified

    energy, carbon = find_quantified("到2025年，单位地区生产总值能耗和二氧化碳排放分别比2020年下降14.5%、20.5%。")
    assert (energy.value, energy.indicator_name, energy.baseline_year) == (-14.5, "单位地区生产总值能耗", 2020)
    assert (carbon.value, carbon.indicator_name) == (-20.5, "二氧化碳排放")
    assert energy.reviews and carbon.reviews
    (unitless,) = find_quantified("到2025年，综合能耗降低到0.45，PM2.5浓度持续下降。")
    assert (unitless.value, unitless.unit, unitless.comparator) == (Decimal("0.45"), "", "at_most")
    assert any("单位" in why for why in unitless.reviews)


def test_indicator_table_with_bars_and_change_cells():
    text = (
        "某市碳达峰实施方案\n一、主要目标\n附表 主要指标\n"
        "指标 | 单位 | 2020年 | 2025年 | 属性\n"
        "单位地区生产总值能源消耗 | 吨标准煤/万元 | 0.62 | 下降14.5% | 约束性\n"
        "城市生活垃圾资源化利用率 | % | 55 | 80 | 预期性\n"
    )
    data = draft_plan(text, city_code="x").data
    got = {
        (t["value"], t["target_year"], t["kind"], t["comparator"], t.get("baseline_year"))
        for t in data["targets"]
        if t["section"] == "指标表"
    }
    assert got == {(-14.5, 2025, "change_vs_baseline", "at_most", 2020), (80, 2025, "level", "at_least", None)}


def test_binary_and_empty_files_are_refused_with_their_reason():
    with pytest.raises(DraftInputError) as empty:
        plan_text_from_bytes(b"  \n ")
    assert empty.value.code == "empty"
    with pytest.raises(DraftInputError) as binary:
        plan_text_from_bytes(bytes(range(256)) * 4, "plan.xlsx")
    assert binary.value.code == "encoding"
