"""Validation of plan fixture files, before anything touches the database.

Pure Python (no Django), so the same rules serve the loader, the admin upload, the tests and
`python -m targets.plan_validation FILE...` for people writing fixtures. Every problem found is
reported, each with its file, its place in the file and a plain reason.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from targets import taxonomy
from targets.plan_file import FieldChecker, PlanFile, Problem, read_plan_file
from targets.plan_text import occurs_in, split_responsibility, value_printed_in

__all__ = ["Context", "PlanFile", "Problem", "read_plan_file", "validate_plans"]

SOURCES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "sources"


@dataclass
class Context:
    """What validation needs to know about the database: sectors, and each city's bureaus and
    indicators already stored, so a file may name a bureau another plan of its city defined."""

    sectors: set[str] = field(default_factory=lambda: {code for code, _, _ in taxonomy.SECTORS})
    bureau_names: dict[str, dict[str, str]] = field(default_factory=dict)  # city -> name -> canonical
    indicators: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # city -> code -> attrs
    sources_dir: Path | None = SOURCES_DIR
    city_names: dict[str, str] = field(default_factory=dict)  # name -> code of the stored cities
    document_numbers: dict[str, str] = field(default_factory=dict)  # document number -> plan code
    plan_cities: dict[str, str] = field(default_factory=dict)  # plan code -> city code


# What the database stores of each text field (the models' max_length; a test keeps them equal).
MAX_LENGTHS = {
    "city.code": 50, "city.name": 50, "city.name_en": 100,
    "plan.code": 80, "plan.title": 200, "plan.title_en": 300, "plan.document_number": 100, "plan.source_file": 200,
    "bureau.name": 100, "bureau.name_en": 200,
    "indicator.code": 80, "indicator.name": 200, "indicator.name_en": 300, "indicator.unit": 50,
    "measure.section": 50, "measure.title": 300, "measure.deadline_source": 200,
    "target.code": 100, "target.section": 50,
}  # fmt: skip


def _check_file(plan_file: PlanFile, ctx: Context, names: dict[str, str]) -> list[Problem]:
    check = FieldChecker(plan_file.name)
    data = plan_file.data
    if data.get("format") != 1:
        check.add("format", f"unsupported format {data.get('format')!r}; this loader reads format 1")
    city = check.mapping(data.get("city"), "city")
    city_code = check.text(city, "code", "city", max_length=MAX_LENGTHS["city.code"], slug=True)
    city_name = check.text(city, "name", "city", max_length=MAX_LENGTHS["city.name"])
    check.text(city, "name_en", "city", required=False, max_length=MAX_LENGTHS["city.name_en"])
    if city_name and ctx.city_names.get(city_name, city_code) != city_code:
        check.add(
            "city.name", f"{city_name!r} is already the name of city {ctx.city_names[city_name]!r}; use that code"
        )
    plan = check.mapping(data.get("plan"), "plan")
    plan_code = ""
    for key in ("code", "title", "document_number"):
        text = check.text(plan, key, "plan", max_length=MAX_LENGTHS[f"plan.{key}"], slug=key == "code")
        plan_code = text if key == "code" else plan_code
    for key in ("title_en", "source_file"):
        check.text(plan, key, "plan", required=False, max_length=MAX_LENGTHS[f"plan.{key}"])
    check.text(plan, "districts_note", "plan", required=False)
    if plan_code and city_code and ctx.plan_cities.get(plan_code, city_code) != city_code:
        other = ctx.plan_cities[plan_code]
        check.add("plan.code", f"{plan_code!r} is already the code of a plan of city {other!r}; a plan keeps its city")
    number = plan.get("document_number")
    if isinstance(number, str) and ctx.document_numbers.get(number.strip(), plan_code) != plan_code:
        check.add(
            "plan.document_number", f"{number!r} is already the number of plan {ctx.document_numbers[number.strip()]!r}"
        )
    check.choice(plan, "kind", "plan", taxonomy.PLAN_KINDS, what="plan kind")
    check.date(plan, "issued", "plan", required=True)
    if not isinstance(plan.get("issuers", []), list):
        check.add("plan.issuers", "must be a list of issuing bodies")

    _check_review_marks(check, data)
    source_text = _source_text(check, plan, ctx)
    note = plan.get("districts_note")
    if source_text is not None and note and not occurs_in(str(note), source_text):
        check.add("plan.districts_note", "the quoted sentence does not occur in the source text")

    for i, bureau in enumerate(check.items(data, "bureaus")):
        where = f"bureaus[{i}]"
        check.text(bureau, "name", where, max_length=MAX_LENGTHS["bureau.name"])
        check.text(bureau, "name_en", where, required=False, max_length=MAX_LENGTHS["bureau.name_en"])
        check.choice(bureau, "kind", where, taxonomy.BUREAU_KINDS, what="bureau kind")
        if not isinstance(bureau.get("aliases", []) or [], list):
            check.add(f"{where}.aliases", "must be a list of names")

    chapter_sectors: dict[str, str] = {}
    for i, chapter in enumerate(check.items(data, "chapters", required=False)):
        where = f"chapters[{i}]"
        section = check.text(chapter, "section", where)
        sector = check.choice(chapter, "sector", where, ctx.sectors, what="sector")
        if section:
            chapter_sectors[section] = sector

    local_codes: set[str] = set()
    for i, indicator in enumerate(check.items(data, "indicators")):
        where = f"indicators[{i}]"
        code = check.text(indicator, "code", where, max_length=MAX_LENGTHS["indicator.code"], slug=True)
        if code in local_codes:
            check.add(f"{where}.code", f"duplicate indicator code {code!r}")
        local_codes.add(code)
        check.text(indicator, "name", where, max_length=MAX_LENGTHS["indicator.name"])
        check.text(indicator, "name_en", where, required=False, max_length=MAX_LENGTHS["indicator.name_en"])
        if not isinstance(indicator.get("unit", ""), str | None):
            check.add(f"{where}.unit", 'must be text (use "" for none)')
        check.text(indicator, "unit", where, required=False, max_length=MAX_LENGTHS["indicator.unit"])
        check.choice(indicator, "direction", where, taxonomy.DIRECTIONS, what="direction")
        check.choice(indicator, "nature", where, taxonomy.NATURES, what="nature")
        check.choice(indicator, "sector", where, ctx.sectors, what="sector")

    indicator_codes = local_codes | set(ctx.indicators.get(city_code, {}))
    sections: set[str] = set()
    for i, measure in enumerate(check.items(data, "measures")):
        where = f"measures[{i}]"
        section = check.text(measure, "section", where, max_length=MAX_LENGTHS["measure.section"])
        if section in sections:
            check.add(f"{where}.section", f"duplicate section number {section!r}")
        sections.add(section)
        check.text(measure, "title", where, max_length=MAX_LENGTHS["measure.title"])
        check.text(measure, "text", where)
        if measure.get("sector") is not None:
            check.choice(measure, "sector", where, ctx.sectors, what="sector")
        elif section and not _chapter_of(section, chapter_sectors):
            check.add(f"{where}.sector", f"no sector: give one, or a chapter whose section prefixes {section!r}")
        _check_bureau_list(check, measure, where, names)
        clauses = measure.get("responsibility_sources") or []
        if not isinstance(clauses, list):
            check.add(f"{where}.responsibility_sources", "must be a list of quoted clauses")
            clauses = []
        for j, clause in enumerate(clauses):
            cwhere = f"{where}.responsibility_sources[{j}]"
            if source_text is not None and not occurs_in(str(clause), source_text):
                check.add(cwhere, "the clause does not occur in the source text")
            for name in split_responsibility(str(clause)):
                if name not in names:
                    check.add(cwhere, f"unknown bureau {name!r} in the clause")
        if measure.get("deadline") is not None:
            check.date(measure, "deadline", where, required=True)
            check.text(
                measure, "deadline_source", where, required=False, max_length=MAX_LENGTHS["measure.deadline_source"]
            )
            if source_text is not None and not occurs_in(str(measure.get("deadline_source", "")), source_text):
                check.add(f"{where}.deadline_source", "quote the words that set the deadline, as printed")
    earlier: set[str] = set()
    for i, measure in enumerate(data.get("measures") or []):
        if not isinstance(measure, dict):
            continue
        parent = measure.get("parent")
        if parent and str(parent) not in earlier:
            check.add(f"measures[{i}].parent", f"no measure with section {parent!r} printed before this one")
        earlier.add(str(measure.get("section")))

    target_codes: set[str] = set()
    for i, target in enumerate(check.items(data, "targets")):
        where = f"targets[{i}]"
        code = check.text(target, "code", where, max_length=MAX_LENGTHS["target.code"], slug=True)
        if code in target_codes:
            check.add(f"{where}.code", f"duplicate target code {code!r}")
        target_codes.add(code)
        _check_target(check, target, where, indicator_codes, sections, names, source_text)
    return check.problems


def _check_review_marks(check: FieldChecker, data: dict[str, Any]) -> None:
    """A drafted item still marked `review: <why>` is not loaded until a person has resolved it."""
    places = [("plan", data.get("plan"))]
    for key in ("bureaus", "indicators", "measures", "targets"):
        items = data.get(key)
        places += [(f"{key}[{i}]", item) for i, item in enumerate(items if isinstance(items, list) else [])]
    for where, item in places:
        if isinstance(item, dict) and item.get("review"):
            check.add(f"{where}.review", f"marked for review: {item['review']}; resolve it and delete the mark")


def _check_target(
    check: FieldChecker,
    target: dict[str, Any],
    where: str,
    indicator_codes: set[str],
    sections: set[str],
    names: dict[str, str],
    source_text: str | None,
) -> None:
    indicator = target.get("indicator")
    if not isinstance(indicator, str) or indicator not in indicator_codes:
        check.add(f"{where}.indicator", f"unknown indicator {indicator!r}; define it under indicators")
    kind = check.choice(target, "kind", where, taxonomy.TARGET_KINDS, what="target kind")
    year = check.year(target, "target_year", where, required=True)
    baseline = check.year(target, "baseline_year", where, required=kind in ("change_vs_baseline", "annual_growth"))
    start = check.year(target, "period_start", where, required=kind == "cumulative")
    for key, other in (("baseline_year", baseline), ("period_start", start)):
        if year and other and year < other:
            check.add(f"{where}.target_year", f"{year} is before the {key.replace('_', ' ')} {other}")
    value = None
    if kind == "qualitative":
        if target.get("value") is not None:
            check.add(f"{where}.value", "a qualitative target has no value; use a level target for a number")
    elif kind:
        value = check.number(target, "value", where)
        if target.get("comparator") not in taxonomy.COMPARATORS:
            check.choice(target, "comparator", where, taxonomy.COMPARATORS, what="comparator")
    if not isinstance(target.get("strive", False), bool):
        check.add(f"{where}.strive", "must be true or false")
    check.text(target, "section", where, max_length=MAX_LENGTHS["target.section"])
    measure = target.get("measure")
    if measure and str(measure) not in sections:
        check.add(f"{where}.measure", f"no measure with section {measure!r}")
    source = check.text(target, "source", where)
    if source and source_text is not None:
        if not occurs_in(source, source_text):
            check.add(f"{where}.source", "the quoted clause does not occur in the source text")
        elif value is not None and not value_printed_in(value, source):
            check.add(f"{where}.value", f"{value} is not printed in the quoted clause")
    if not isinstance(target.get("interpretation", ""), str):
        check.add(f"{where}.interpretation", "must be text: the reading the clause does not state outright")
    _check_bureau_list(check, target, where, names)


def _check_bureau_list(check: FieldChecker, obj: dict[str, Any], where: str, names: dict[str, str]) -> None:
    bureaus = obj.get("bureaus") or []
    if not isinstance(bureaus, list):
        check.add(f"{where}.bureaus", "must be a list of bureau names, lead first")
        return
    seen: set[str] = set()
    for j, name in enumerate(bureaus):
        canonical = names.get(str(name))
        if canonical is None:
            check.add(f"{where}.bureaus[{j}]", f"unknown bureau {name!r}; add it under bureaus or as an alias")
        elif canonical in seen:
            check.add(f"{where}.bureaus[{j}]", f"bureau {name!r} is listed twice")
        else:
            seen.add(canonical)


def _chapter_of(section: str, chapter_sectors: dict[str, str]) -> str:
    """The sector of the longest chapter section that prefixes a measure's section."""
    best = ""
    for prefix in chapter_sectors:
        if section.startswith(prefix) and len(prefix) > len(best):
            best = prefix
    return chapter_sectors.get(best, "") if best else ""


def _source_text(check: FieldChecker, plan: dict[str, Any], ctx: Context) -> str | None:
    name = plan.get("source_file") or ""
    if not name or ctx.sources_dir is None:
        return None
    path = ctx.sources_dir / Path(str(name)).name
    if not path.is_file():
        check.add("plan.source_file", f"no source text {name!r} in {ctx.sources_dir}")
        return None
    return path.read_text(encoding="utf-8")


def bureau_names_by_city(files: list[PlanFile], ctx: Context) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """Every name and alias of every city's bureaus, from the database and these files.

    A name that two different bureaus of one city claim is an error: clauses would be ambiguous.
    """
    problems: list[Problem] = []
    names = {city: dict(known) for city, known in ctx.bureau_names.items()}
    for plan_file in files:
        city = str((plan_file.data.get("city") or {}).get("code", ""))
        city_names = names.setdefault(city, {})
        for i, bureau in enumerate(plan_file.data.get("bureaus") or []):
            if not isinstance(bureau, dict) or not bureau.get("name"):
                continue
            canonical = str(bureau["name"])
            aliases = bureau.get("aliases") or []
            for alias in [canonical, *(aliases if isinstance(aliases, list) else [])]:
                claimed = city_names.get(str(alias))
                if claimed is not None and claimed != canonical:
                    problems.append(
                        Problem(plan_file.name, f"bureaus[{i}]", f"{alias!r} already names {claimed!r} in this city")
                    )
                else:
                    city_names[str(alias)] = canonical
    return names, problems


_SHARED_ATTRS = {
    "indicators": ("code", ("name", "name_en", "unit", "direction", "nature", "sector")),
    "bureaus": ("name", ("name_en", "kind")),
}
# What a stored indicator must keep: changing these would change the meaning of its data.
_STORED_INDICATOR_ATTRS = ("unit", "direction", "nature")


def _shared_definition_conflicts(files: list[PlanFile], ctx: Context) -> list[Problem]:
    """Plans of one city share its indicators and bureaus, so each file must define a shared
    one the same way; otherwise loading the files in turn would flip the row back and forth."""
    problems: list[Problem] = []
    for section, (key_field, attrs) in _SHARED_ATTRS.items():
        seen: dict[tuple[str, str], tuple[str, dict[str, str]]] = {}
        if section == "indicators":
            for city, codes in ctx.indicators.items():
                for code, stored in codes.items():
                    seen[(city, code)] = ("the database", {a: stored.get(a, "") for a in _STORED_INDICATOR_ATTRS})
        for plan_file in files:
            city = str((plan_file.data.get("city") or {}).get("code", ""))
            for i, item in enumerate(plan_file.data.get(section) or []):
                if not isinstance(item, dict):
                    continue
                key = (city, str(item.get(key_field)))
                mine = {a: str(item.get(a) or "") for a in attrs}
                if key in seen and seen[key][0] != plan_file.name:
                    other, theirs = seen[key]
                    differing = [a for a in theirs if theirs[a] != mine.get(a)]
                    if differing:
                        detail = "; ".join(f"{a} {theirs[a]!r} there, {mine.get(a)!r} here" for a in differing)
                        problems.append(
                            Problem(
                                plan_file.name,
                                f"{section}[{i}]",
                                f"{key[1]!r} is defined differently in {other}: {detail}",
                            )
                        )
                seen.setdefault(key, (plan_file.name, mine))
    return problems


def validate_plans(files: list[PlanFile], ctx: Context | None = None) -> list[Problem]:
    """All problems in a set of plan files, checked together so plans of one city may share
    bureaus and indicators."""
    ctx = replace(ctx or Context())
    ctx.city_names, ctx.document_numbers = dict(ctx.city_names), dict(ctx.document_numbers)
    names, problems = bureau_names_by_city(files, ctx)
    problems += _shared_definition_conflicts(files, ctx)
    plan_codes: dict[str, str] = {}
    for plan_file in files:
        code = str((plan_file.data.get("plan") or {}).get("code", ""))
        if code in plan_codes:
            problems.append(
                Problem(plan_file.name, "plan.code", f"plan code {code!r} is also used by {plan_codes[code]}")
            )
        plan_codes[code] = plan_file.name
        city = str((plan_file.data.get("city") or {}).get("code", ""))
        problems += _check_file(plan_file, ctx, names.get(city, {}))
        # Later files of the same upload must agree with this one too.
        city_name = (plan_file.data.get("city") or {}).get("name")
        if isinstance(city_name, str):
            ctx.city_names.setdefault(city_name.strip(), city)
        number = (plan_file.data.get("plan") or {}).get("document_number")
        if isinstance(number, str):
            ctx.document_numbers.setdefault(number.strip(), code)
    return problems


def main(argv: list[str]) -> int:
    files, problems = [], []
    for arg in argv:
        plan_file, read_problems = read_plan_file(Path(arg).read_bytes(), arg)
        problems += read_problems
        if plan_file:
            files.append(plan_file)
    problems += validate_plans(files)
    for problem in problems:
        print(problem)
    counts = ", ".join(
        f"{f.name}: {len(f.data.get('measures') or [])} measures, {len(f.data.get('targets') or [])} targets"
        for f in files
    )
    print(f"{len(problems)} problems. {counts}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
