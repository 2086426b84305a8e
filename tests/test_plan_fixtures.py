"""The four plan fixtures are complete and faithful to the texts they come from.

Counts per plan were taken by reading each text: every numbered task is a measure, every
number tied to a year or period is a quantified target, every dated commitment without a
number is a qualitative one. The other checks hold each record to its source text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from targets.plan_text import occurs_in, split_responsibility, squash, value_printed_in
from targets.plan_validation import Context, PlanFile, bureau_names_by_city, validate_plans

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "fixtures" / "plans"
SOURCES = ROOT / "fixtures" / "sources"

# file stem: (source file, document number, measures, quantified targets, qualitative targets)
EXPECTED = {
    "zibo-carbon-peaking": ("001_27f558fe02dedf99.txt", "淄政字〔2023〕57号", 46, 27, 12),
    "zibo-pollution-carbon-synergy": ("000_98f35a46e05eef23.txt", "淄环发〔2024〕24号", 24, 15, 6),
    "weihai-pollution-carbon-synergy": ("002_b47a062948c16457.txt", "威环发〔2023〕72号", 25, 4, 6),
    "heze-carbon-peaking": ("004_aa64018cf50cbd3c.txt", "菏政字〔2024〕3号", 48, 23, 18),
}


def _plan(stem: str) -> dict:
    return yaml.safe_load((PLANS / f"{stem}.yaml").read_text(encoding="utf-8"))


def _source(stem: str) -> str:
    return (SOURCES / EXPECTED[stem][0]).read_text(encoding="utf-8")


def test_one_fixture_per_plan_and_nothing_else():
    assert sorted(p.stem for p in PLANS.glob("*.yaml")) == sorted(EXPECTED)


def test_all_fixtures_validate_together():
    files = [PlanFile(p.name, _plan(p.stem)) for p in sorted(PLANS.glob("*.yaml"))]
    assert [str(p) for p in validate_plans(files, Context())] == []


def test_totals_match_the_texts():
    plans = [_plan(stem) for stem in EXPECTED]
    assert sum(len(p["measures"]) for p in plans) == 143  # "roughly 140 measures"
    quantified = sum(1 for p in plans for t in p["targets"] if t["kind"] != "qualitative")
    assert quantified == 69  # "well over 50 quantified targets"


@pytest.mark.parametrize("stem", sorted(EXPECTED))
class TestEachPlan:
    def test_metadata(self, stem):
        plan = _plan(stem)["plan"]
        source_file, document_number, *_ = EXPECTED[stem]
        assert plan["source_file"] == source_file
        assert plan["document_number"] == document_number
        text = _source(stem)
        assert occurs_in(plan["title"], text) and occurs_in(document_number, text)
        assert all(occurs_in(issuer, text) for issuer in plan["issuers"])
        assert str(plan["issued"].year) in text

    def test_counts(self, stem):
        data = _plan(stem)
        _, _, measures, quantified, qualitative = EXPECTED[stem]
        assert len(data["measures"]) == measures
        assert sum(t["kind"] != "qualitative" for t in data["targets"]) == quantified
        assert sum(t["kind"] == "qualitative" for t in data["targets"]) == qualitative

    def test_every_clause_quoted_occurs_in_the_text_with_its_value(self, stem):
        text = _source(stem)
        for target in _plan(stem)["targets"]:
            assert occurs_in(target["source"], text), target["code"]
            if target["kind"] != "qualitative":
                assert value_printed_in(target["value"], target["source"]), target["code"]
            assert (
                str(target["target_year"]) in squash(target["source"])
                or re.search("十四五|十五五|“十四五”|现有", target["source"])
                or _year_nearby(target, text)
            ), target["code"]

    def test_every_bureau_in_a_responsibility_clause_resolves(self, stem):
        data = _plan(stem)
        files = [PlanFile(p.name, _plan(p.stem)) for p in PLANS.glob("*.yaml")]
        names, problems = bureau_names_by_city(files, Context())
        assert not problems
        city_names = names[data["city"]["code"]]
        text = _source(stem)
        for measure in data["measures"]:
            clause_names = []
            for clause in measure.get("responsibility_sources") or []:
                assert occurs_in(clause, text), (measure["section"], clause)
                clause_names += [city_names[name] for name in split_responsibility(clause)]
            listed = [city_names[name] for name in measure["bureaus"]]
            # The bureaus are those of the clauses, in printed order (first leads), once each.
            assert listed == list(dict.fromkeys(clause_names)) or not clause_names, measure["section"]

    def test_measure_titles_are_printed_and_texts_are_clean(self, stem):
        text = _fold(_source(stem))
        for measure in _plan(stem)["measures"]:
            assert _fold(measure["title"]) in text, measure["section"]
            assert "\n" not in measure["text"] and "  " not in measure["text"], measure["section"]
            # The cleaned text still stands in the source, sentence by sentence, but for the
            # artefacts removed (a doubled character at a page break, say).
            sentences = [_fold(s) for s in re.split("[。；]", measure["text"]) if len(s) > 8]
            found = sum(len(s) for s in sentences if s in text)
            assert found >= 0.9 * sum(len(s) for s in sentences), measure["section"]


_WIDTHS = str.maketrans({",": "，", "(": "（", ")": "）", ":": "：", ";": "；"})


def _fold(text: str) -> str:
    """Whitespace dropped and ASCII punctuation read as its full-width form."""
    return squash(text).translate(_WIDTHS)


def _year_nearby(target: dict, text: str) -> bool:
    """A clause whose year stands just before it (到2025年，…。X达到Y)."""
    flat = squash(text)
    at = flat.find(squash(target["source"]))
    return str(target["target_year"]) in flat[max(0, at - 200) : at]


def test_zibo_plans_share_indicators_for_the_same_commitments():
    carbon, synergy = _plan("zibo-carbon-peaking"), _plan("zibo-pollution-carbon-synergy")

    def commitments(data):
        return {(t["indicator"], t["target_year"], t["kind"], t.get("value")) for t in data["targets"]}

    shared = commitments(carbon) & commitments(synergy)
    # 光伏发电等新能源装机总容量 (synergy) is not the carbon plan's PV-only capacity.
    assert ("pv_installed_capacity", 2025, "level", 500) not in shared
    assert ("pv_and_other_new_energy_capacity", 2025, "level", 500) in commitments(synergy)
    assert ("integrated_energy_ports", 2025, "level", 90) in shared
    assert ("non_fossil_energy_share", 2025, "level", 10) in shared


def test_relative_targets_sit_on_the_underlying_indicator():
    for stem in ("zibo-carbon-peaking", "heze-carbon-peaking"):
        data = _plan(stem)
        (intensity,) = [t for t in data["targets"] if t["indicator"] == "energy_intensity" and t["target_year"] == 2025]
        assert (intensity["kind"], intensity["baseline_year"], intensity["comparator"]) == (
            "change_vs_baseline",
            2020,
            "at_most",
        )
        assert intensity["value"] < 0
    codes = {i["code"] for stem in EXPECTED for i in _plan(stem)["indicators"]}
    assert not any("reduction" in code or "decrease_rate" in code for code in codes)


def test_loaded_plans_match_the_fixtures(four_plans):
    from measures.models import Measure
    from targets.models import Plan, Target

    for _, document_number, measures, quantified, _ in EXPECTED.values():
        plan = Plan.objects.get(document_number=document_number)
        assert plan.measures.count() == measures
        assert plan.targets.exclude(kind="qualitative").count() == quantified
    # The synergy plan's 光伏发电等新能源装机总容量 (PV and other new energy) is a wider measure than the
    # carbon plan's PV-only capacity: two indicators, so no observation of one serves the other.
    pv = Target.objects.filter(plan__city__code="zibo", target_year=2025, kind="level", value=500)
    assert sorted(pv.values_list("indicator__code", flat=True)) == [
        "pv_and_other_new_energy_capacity",
        "pv_installed_capacity",
    ]
    # The same commitment printed in both Zibo plans sits on one indicator.
    factories = Target.objects.filter(plan__city__code="zibo", indicator__code="green_factories", target_year=2025)
    assert factories.count() == 2 and factories.values("indicator").distinct().count() == 1
    first, second = factories
    assert list(first.counterparts().filter(kind="cumulative")) == [second]
    # Every measure's lead is its first printed bureau.
    for measure in Measure.objects.prefetch_related("responsibilities"):
        roles = [r.role for r in sorted(measure.responsibilities.all(), key=lambda r: r.position)]
        assert roles[:1] in (["lead"], []) and "lead" not in roles[1:]


_DATED_SENTENCE = re.compile(
    r"[^。；]*?(到20[2-6]\d年|20[2-6]\d年前|20[2-6]\d年底|十四五|十五五)[^。；]*?\d[^。；]*[。；]"
)


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_every_number_the_text_ties_to_a_year_is_quoted_by_a_target(stem):
    """Found independently of the fixture: each number in a sentence that names a target year
    or a five-year-plan period stands inside some target's quoted clause."""
    text = squash(_source(stem))
    covered = [False] * len(text)
    for target in _plan(stem)["targets"]:
        quote = squash(target["source"])
        start = text.find(quote)
        while start >= 0:
            covered[start : start + len(quote)] = [True] * len(quote)
            start = text.find(quote, start + 1)
    missing = []
    for sentence in _DATED_SENTENCE.finditer(text):
        begin = sentence.start()
        for number in re.finditer(r"\d+(?:\.\d+)?", sentence.group()):
            if re.fullmatch(r"20[0-6]\d", number.group()):
                continue  # a year, not a value
            if not covered[begin + number.start()]:
                missing.append((number.group(), sentence.group()[:60]))
    assert missing == []


@pytest.mark.parametrize("stem", sorted(p.stem for p in PLANS.glob("*.yaml")))
def test_english_names_are_our_labels_and_no_title_is_invented(stem):
    """Every indicator has an English label (ours, for English pages); the plans print no English
    title, so none is given: English pages show the Chinese title marked as Chinese."""
    data = yaml.safe_load((PLANS / f"{stem}.yaml").read_text(encoding="utf-8"))
    assert not data["plan"].get("title_en")
    for indicator in data["indicators"]:
        english = indicator.get("name_en") or ""
        assert english and not re.search(r"[\u4e00-\u9fff]", english), indicator["code"]
