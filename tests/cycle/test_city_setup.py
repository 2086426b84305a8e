"""City set-up files: who reports each indicator, loaded all or nothing, and the promise that
every quantified indicator of the four plans can be reported by a demo staff account."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from targets.city_setup import default_setup_paths, read_setup_paths, setups_load
from targets.demo_accounts import demo_accounts_create
from targets.models import CitySetup, Indicator, IndicatorReporting, Target


def _load_setups():
    files, problems = read_setup_paths(default_setup_paths())
    assert not problems, problems
    report = setups_load(files)
    assert report.ok, report.problems
    return report


@pytest.fixture
def four_plans_and_setups(four_plans):
    return _load_setups()


def test_every_quantified_indicator_has_a_reporting_bureau_with_a_demo_account(four_plans_and_setups):
    demo_accounts_create()
    quantified = Indicator.objects.quantified()
    assert quantified.count() > 40
    for indicator in quantified.select_related("city"):
        reporting = IndicatorReporting.objects.select_related("bureau").get(indicator=indicator)
        assert reporting.bureau.city_id == indicator.city_id
        staff = User.objects.filter(bureau=reporting.bureau, username__startswith="demo-", groups__name="bureau_staff")
        assert any(Indicator.objects.editable_by(user).filter(pk=indicator.pk).exists() for user in staff), (
            f"nobody can report {indicator}"
        )


def test_plan_leads_are_the_default_and_setup_choices_are_marked(four_plans_and_setups):
    zibo_energy = IndicatorReporting.objects.get(indicator__city__code="zibo", indicator__code="energy_intensity")
    assert zibo_energy.basis == "setup" and zibo_energy.reason
    assert zibo_energy.bureau.name == "市发展改革委"
    # The plan's responsible bureaus stay as printed: the target still names none.
    assert not Target.objects.filter(indicator=zibo_energy.indicator, responsibilities__isnull=False).exists()
    for reporting in IndicatorReporting.objects.filter(basis="plan").select_related("indicator")[:20]:
        leads = set(
            Target.objects.filter(indicator=reporting.indicator, responsibilities__role="lead").values_list(
                "responsibilities__bureau_id", flat=True
            )
        )
        assert reporting.bureau_id in leads
    setup = CitySetup.objects.get(city__code="weihai")
    assert setup.coordinating_bureau.name == "市生态环境局" and setup.review_required is False
    assert CitySetup.objects.get(city__code="zibo").review_required is True


def test_a_reporting_bureau_may_report_an_indicator_without_a_plan_responsibility(four_plans_and_setups):
    demo_accounts_create()
    staff = User.objects.get(username="demo-zibo-ndrc")
    assert Indicator.objects.editable_by(staff).filter(city__code="zibo", code="carbon_intensity").exists()
    other = User.objects.get(username="demo-zibo-eco")
    assert not Indicator.objects.editable_by(other).filter(city__code="zibo", code="carbon_intensity").exists()


def test_bad_file_is_refused_whole_with_file_and_place(four_plans, tmp_path: Path):
    broken = tmp_path / "heze.yaml"
    broken.write_text(
        "format: 1\ncity: heze\ncoordinating_bureau: 市发展改革委\ncoordinating_reason: x\nreview_required: yes-ish\n"
        "first_year: 2021\nindicators:\n  - indicator: energy_intensity\n    bureau: 市发展改革委\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as exc:
        call_command("load_city_setup", str(broken))
    text = str(exc.value)
    assert "heze.yaml: review_required: must be true or false" in text
    assert "indicators[0].basis: a reporting bureau chosen here is a set-up decision" in text
    assert "indicators[0].reason: is missing" in text
    assert "'non_fossil_energy_share'" in text  # the plan names no lead for it and the file gives none
    assert not CitySetup.objects.exists() and not IndicatorReporting.objects.exists()


def test_unknown_bureau_names_the_file_and_place(four_plans, tmp_path: Path):
    path = tmp_path / "weihai.yaml"
    text = (Path(default_setup_paths()[0]).parent / "weihai.yaml").read_text(encoding="utf-8")
    path.write_text(
        text.replace("coordinating_bureau: 市生态环境局", "coordinating_bureau: 市不存在局"), encoding="utf-8"
    )
    files, _ = read_setup_paths([path])
    report = setups_load(files)
    assert [str(p) for p in report.problems] == [
        f"{path}: file.coordinating_bureau: '市不存在局' is not a bureau of 威海 in its plan fixtures"
    ]
    assert not CitySetup.objects.exists()


def test_command_loads_all_and_is_idempotent(four_plans):
    call_command("load_city_setup")
    first = dict(IndicatorReporting.objects.values_list("indicator_id", "bureau_id"))
    history = IndicatorReporting.history.count()
    call_command("load_city_setup")
    assert dict(IndicatorReporting.objects.values_list("indicator_id", "bureau_id")) == first
    assert CitySetup.objects.count() == 3
    assert IndicatorReporting.history.count() == history  # nothing changed: no new history rows
