"""The plan file's schema (targets/plan_schema.py): each kind of structural error becomes a line
that names the file, the item and the field, as the hand-written checks it replaced did."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from targets.plan_validation import Context, PlanFile, validate_plans
from tests.test_plan_loader import readme_example


def _problems(change) -> list[str]:
    data = copy.deepcopy(readme_example())
    change(data)
    # No source texts: the structure alone is under test.
    return [str(p) for p in validate_plans([PlanFile("f.yaml", data)], Context(sources_dir=None))]


def test_the_documented_example_has_no_problems():
    assert _problems(lambda data: None) == []


@pytest.mark.parametrize(
    ("change", "line"),
    [
        (lambda d: d["plan"].pop("title"), "f.yaml: plan.title: is missing"),
        (lambda d: d["plan"].update(title="  "), "f.yaml: plan.title: is missing"),
        (lambda d: d["city"].update(name=5), "f.yaml: city.name: must be text, not 5"),
        (lambda d: d.update(format=2), "f.yaml: format: unsupported format 2; this loader reads format 1"),
        (lambda d: d.pop("format"), "f.yaml: format: unsupported format None; this loader reads format 1"),
        (
            lambda d: d["plan"].update(kind="carbon"),
            "f.yaml: plan.kind: unknown plan kind 'carbon'; expected one of carbon_peaking, pollution_carbon_synergy",
        ),
        (
            lambda d: d["targets"][0].update(comparator=["at_least"]),
            "f.yaml: targets[0].comparator: unknown comparator a list; expected one of about, at_least, at_most",
        ),
        (lambda d: d["targets"][0].update(target_year="2025"), "targets[0].target_year: must be a year such as 2025"),
        (lambda d: d["targets"][0].update(target_year=True), "targets[0].target_year: must be a year such as 2025"),
        (lambda d: d["targets"][0].update(target_year=2019), "targets[0].target_year: year 2019 is outside 2020–2060"),
        (lambda d: d["targets"][0].update(value=float("nan")), "targets[0].value: value is not a finite number"),
        (lambda d: d["targets"][0].update(value=True), "targets[0].value: value is not a number: True"),
        (lambda d: d["targets"][0].update(strive="yes"), "f.yaml: targets[0].strive: must be true or false"),
        (
            lambda d: d["plan"].update(issued=dt.datetime(2023, 1, 5, 9, 30)),
            "plan.issued: must be a date written YYYY-MM-DD, without a time",
        ),
        (lambda d: d["plan"].update(issued=20230105), "plan.issued: must be a date written YYYY-MM-DD, not 20230105"),
        (lambda d: d["measures"][0].update(deadline="2024-13-01"), "measures[0].deadline: '2024-13-01' is not a date"),
        (lambda d: d["bureaus"].append("市发展改革委"), "f.yaml: bureaus[2]: must be a mapping of fields"),
        (lambda d: d["plan"].update(issuers="市政府"), "f.yaml: plan.issuers: must be a list of issuing bodies"),
        (lambda d: d["indicators"][0].update(unit=3), 'indicators[0].unit: must be text (use "" for none)'),
        (lambda d: d["targets"][0].update(code="光伏 1"), "targets[0].code: '光伏 1' is not a code"),
    ],
)
def test_a_structural_error_is_one_plain_line(change, line):
    problems = _problems(change)
    assert len(problems) == 1 and line in problems[0], problems


def test_rules_between_fields_still_apply():
    def change(data):
        target = data["targets"][0]
        target.update(kind="change_vs_baseline")
        target.pop("baseline_year", None)
        target.pop("comparator")

    problems = _problems(change)
    assert "f.yaml: targets[0].baseline_year: is missing" in problems
    assert any(p.startswith("f.yaml: targets[0].comparator: unknown comparator None") for p in problems)


def test_every_problem_of_a_file_is_reported_at_once():
    def change(data):
        data["plan"]["kind"] = "x"
        data["city"]["code"] = "日 照"
        data["targets"][1]["target_year"] = 2099
        data["measures"][0]["title"] = "长" * 301

    places = {p.split(": ")[1] for p in _problems(change)}
    assert places == {"plan.kind", "city.code", "targets[1].target_year", "measures[0].title"}
