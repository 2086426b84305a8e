"""The plan loader: validate all, load all or nothing, update in place, report what changed."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from accounts.models import User
from measures.models import Measure, MeasureTarget
from reporting.models import Observation
from targets.models import Bureau, City, Indicator, Plan, Target, TargetResponsibility
from targets.plan_copies import real_plan_copies
from targets.plan_loader import plans_load
from targets.plan_validation import Context, PlanFile, read_plan_file, validate_plans

ROOT = Path(__file__).resolve().parent.parent


def readme_example() -> dict:
    """The complete example in fixtures/README.md: the test uses the documentation itself."""
    text = (ROOT / "fixtures" / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert block, "fixtures/README.md lost its example"
    return yaml.safe_load(block.group(1))


def _load(data: dict, name: str = "example.yaml", **kwargs):
    return plans_load([PlanFile(name, data)], **kwargs)


def _row_counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (City, Plan, Bureau, Indicator, Measure, Target))


def test_readme_example_loads_a_new_city(reference_data):
    report = _load(readme_example())
    assert report.ok, report.problems
    city = City.objects.get(code="rizhao")
    assert city.name == "日照"
    plan = Plan.objects.get(code="rizhao-carbon-peaking")
    assert plan.measures.count() == 1 and plan.targets.count() == 3
    measure = plan.measures.get()
    assert [r.bureau.name for r in measure.responsibilities.order_by("position")] == ["市发展改革委", "市生态环境局"]
    assert measure.responsibilities.get(role="lead").bureau.name == "市发展改革委"
    pv = plan.targets.get(code="pv-capacity-2025")
    # A target without bureaus inherits the measure's, lead first, and is linked to it.
    assert [r.bureau.name for r in pv.responsibilities.order_by("position")] == ["市发展改革委", "市生态环境局"]
    assert list(pv.measures.all()) == [measure]
    assert plan.targets.get(code="carbon-peak-2030").value is None


def test_loading_twice_changes_nothing(reference_data):
    _load(readme_example())
    second = _load(readme_example())
    assert second.ok and not second.created and not second.updated and not second.changes
    assert sum(second.unchanged.values()) > 0


def test_edited_fixture_updates_in_place_and_keeps_observations(reference_data, users):
    _load(readme_example())
    target = Target.objects.get(code="pv-capacity-2025")
    Observation.objects.create(indicator=target.indicator, period="2023", period_end="2023-12-31", value=150)
    edited = readme_example()
    edited["targets"][1]["value"] = 250
    edited["targets"][1]["source"] = "到2025年，全市光伏发电装机容量达到250万千瓦"
    report = _load(edited, user=users["superuser"])
    assert report.ok, report.problems
    assert report.updated["Target"] == 1 and report.created["Target"] == 0
    assert any("value: 200" in line and "250" in line for line in report.changes)
    same = Target.objects.get(code="pv-capacity-2025")
    assert same.pk == target.pk and same.value == Decimal("250")
    assert Observation.objects.get(indicator=same.indicator).value == 150
    assert [h.value for h in same.history.order_by("history_date")] == [Decimal("200"), Decimal("250")]
    assert same.history.latest("history_date").history_user == users["superuser"]


def test_removed_items_are_reported_not_deleted(reference_data):
    _load(readme_example())
    trimmed = readme_example()
    trimmed["targets"] = trimmed["targets"][:2]
    report = _load(trimmed)
    assert Target.objects.filter(code="carbon-peak-2030").exists()
    assert any("carbon" in line or "碳" in line for line in report.not_in_files)


def test_lead_bureau_can_change_without_breaking_the_single_lead_rule(reference_data):
    _load(readme_example())
    swapped = readme_example()
    swapped["measures"][0]["bureaus"] = ["市生态环境局", "市发展改革委"]
    swapped["measures"][0]["responsibility_sources"] = []
    assert _load(swapped).ok
    measure = Measure.objects.get(section="三（一）1")
    assert measure.responsibilities.get(role="lead").bureau.name == "市生态环境局"


def test_a_bad_file_reports_every_problem_and_changes_nothing(reference_data):
    _load(readme_example())
    before = _row_counts()
    bad = copy.deepcopy(readme_example())
    bad["plan"]["title"] = "改过的标题"  # valid on its own: must not be stored either
    bad["measures"][0]["bureaus"] = ["市不存在局"]
    bad["targets"][0]["value"] = "十"
    bad["targets"][1]["target_year"] = 2099
    bad["measures"].append(dict(bad["measures"][0]))
    bad["chapters"][1]["sector"] = "space"
    report = _load(bad)
    reasons = "\n".join(str(p) for p in report.problems)
    assert "unknown bureau '市不存在局'" in reasons
    assert "targets[0].value: value is not a number: '十'" in reasons
    assert "targets[1].target_year: year 2099 is outside 2020–2060" in reasons
    assert "measures[1].section: duplicate section number" in reasons
    assert "chapters[1].sector: unknown sector 'space'" in reasons
    assert all(p.file == "example.yaml" for p in report.problems)
    assert _row_counts() == before
    assert Plan.objects.get(code="rizhao-carbon-peaking").title == "日照市碳达峰工作方案"


def test_a_failure_while_loading_rolls_everything_back(reference_data, monkeypatch):
    # The last step, the measures app's target links: every row written before it goes too.
    from measures import plan_part

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(plan_part, "_sync_measure_links", explode)
    with pytest.raises(RuntimeError):
        _load(readme_example())
    assert _row_counts() == (0, 0, 0, 0, 0, 0)


def test_not_utf8_and_not_yaml_get_one_clear_line():
    plan_file, problems = read_plan_file("城市: 淄博".encode("gbk"), "gbk.yaml")
    assert plan_file is None and [str(p) for p in problems] == [
        "gbk.yaml: the file is not UTF-8 text; save it as UTF-8 and try again"
    ]
    plan_file, problems = read_plan_file(b"plan: [unclosed", "broken.yaml")
    assert plan_file is None and len(problems) == 1 and "not valid YAML at line 1" in str(problems[0])
    plan_file, problems = read_plan_file(b"PK\x03\x04 binary spreadsheet", "plan.xlsx")
    assert plan_file is None and len(problems) == 1


def test_clauses_are_checked_against_the_source_text(tmp_path):
    (tmp_path / "src.txt").write_text("到 2025 年，全市光伏发电装机\n容量达到 200 万千瓦。", encoding="utf-8")
    data = readme_example()
    data["plan"]["source_file"] = "src.txt"
    data["targets"] = [data["targets"][1]]
    data["measures"][0].update(responsibility_sources=[], deadline=None)
    data["plan"]["districts_note"] = None
    assert validate_plans([PlanFile("f.yaml", data)], Context(sources_dir=tmp_path)) == []
    data["targets"][0]["value"] = 300
    problems = validate_plans([PlanFile("f.yaml", data)], Context(sources_dir=tmp_path))
    assert [str(p) for p in problems] == ["f.yaml: targets[0].value: 300 is not printed in the quoted clause"]
    data["targets"][0]["source"] = "到2025年，光伏装机达到300万千瓦"
    problems = validate_plans([PlanFile("f.yaml", data)], Context(sources_dir=tmp_path))
    assert [p.reason for p in problems] == ["the quoted clause does not occur in the source text"]


def test_two_plans_of_a_city_must_define_shared_items_alike(reference_data):
    first, second = readme_example(), readme_example()
    second["plan"].update(
        code="rizhao-synergy", title="日照市减污降碳协同增效实施方案", document_number="日环发〔2024〕1号"
    )
    second["indicators"][1]["unit"] = "千瓦"
    problems = validate_plans([PlanFile("a.yaml", first), PlanFile("b.yaml", second)])
    assert len(
        problems
    ) == 1 and "'pv_installed_capacity' is defined differently in a.yaml: unit '万千瓦' there, '千瓦' here" in str(
        problems[0]
    )


def test_load_plans_command_prints_counts_and_fails_with_all_problems(reference_data, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(readme_example(), allow_unicode=True), encoding="utf-8")
    out = StringIO()
    call_command("load_plans", str(good), stdout=out)
    assert "Target: 3 created, 0 updated, 0 unchanged" in out.getvalue()
    out = StringIO()
    call_command("load_plans", str(good), stdout=out)
    assert "Target: 0 created, 0 updated, 3 unchanged" in out.getvalue()
    bad = tmp_path / "bad.yaml"
    data = readme_example()
    data["targets"][0]["value"] = "many"
    data["targets"][2]["kind"] = "vague"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("load_plans", str(bad))
    message = str(error.value)
    assert "2 problem(s) found; nothing was loaded" in message
    assert (
        "bad.yaml: targets[0].value" in message and "bad.yaml: targets[2].kind: unknown target kind 'vague'" in message
    )


def test_many_renamed_copies_load_in_bulk_and_again_change_nothing(reference_data):
    loader = User.objects.create_superuser("loader", password="pw-for-tests-only")
    files = real_plan_copies(5)  # the four plans and four renamed copies of each: 15 cities
    first = plans_load(files, user=loader)
    assert first.ok, first.problems
    assert City.objects.count() == 15 and Plan.objects.count() == 20
    assert first.created["City"] == 15 and first.created["Plan"] == 20
    one_copy = plans_load(files[:4]).unchanged  # the real plans alone, loaded again
    assert first.created["Target"] == 5 * one_copy["Target"] == Target.objects.count()
    assert first.created["Measure"] == 5 * one_copy["Measure"] == Measure.objects.count()
    assert not first.updated and not first.unchanged
    copy_city = City.objects.get(code="zibo-004")
    assert copy_city.name == "淄博004"
    # Every created target and measure has its history row, by the loading user.
    target = Target.objects.filter(plan__city=copy_city).first()
    assert target.history.get().history_user == loader
    assert Measure.history.count() == Measure.objects.count()
    # Links made in bulk point inside the copy: its targets to its own measures and bureaus.
    linked = MeasureTarget.objects.filter(target__plan__city=copy_city).select_related("measure__plan")
    assert linked.count() == MeasureTarget.objects.filter(target__plan__city__code="zibo").count() > 0
    assert {link.measure.plan.city_id for link in linked} == {copy_city.pk}
    bureaus = TargetResponsibility.objects.filter(target__plan__city=copy_city).values_list("bureau__city", flat=True)
    assert set(bureaus) == {copy_city.pk}

    again = plans_load(files)
    assert again.ok and not again.created and not again.updated and not again.changes
    assert again.unchanged["Target"] == Target.objects.count()
    assert Target.history.count() == Target.objects.count()

    edited = real_plan_copies(5)
    edited[-1].data["measures"][0]["title"] = "改过的任务标题"
    third = plans_load(edited)
    assert third.updated == {"Measure": 1} and not third.created
    renamed = Measure.objects.get(title="改过的任务标题")
    assert renamed.plan.code.endswith("-004") and renamed.history.count() == 2


def test_nested_measures_are_created_parents_first_and_can_move(reference_data):
    data = readme_example()
    child = dict(data["measures"][0], section="三（一）1（1）", title="子任务", parent="三（一）1")
    grandchild = dict(child, section="三（一）1（1）①", title="孙任务", parent="三（一）1（1）")
    data["measures"] += [child, grandchild]
    report = _load(data)
    assert report.ok, report.problems
    assert report.created["Measure"] == 3
    loaded = {m.section: m for m in Measure.objects.select_related("parent")}
    assert loaded["三（一）1（1）"].parent == loaded["三（一）1"]
    assert loaded["三（一）1（1）①"].parent == loaded["三（一）1（1）"]
    assert loaded["三（一）1（1）①"].responsibilities.get(role="lead").bureau.name == "市发展改革委"
    assert not _load(data).updated
    data["measures"][2]["parent"] = "三（一）1"  # the grandchild moves up a level
    moved = _load(data)
    assert moved.updated == {"Measure": 1}
    assert Measure.objects.get(section="三（一）1（1）①").parent == loaded["三（一）1"]
