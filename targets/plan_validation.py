"""Validation of plan fixture files, before anything touches the database.

Pure Python (no Django), so the same rules serve the loader, the admin upload, the tests and
`python -m targets.plan_validation FILE...` for people writing fixtures. Every problem found is
reported, each with its file, its place in the file and a plain reason.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from targets import taxonomy
from targets.plan_file import PlanFile, Problem, read_plan_file
from targets.plan_schema import MAX_LENGTHS, kind_of, structure_problems
from targets.plan_text import occurs_in, split_responsibility, value_printed_in

__all__ = ["MAX_LENGTHS", "Context", "PlanFile", "Problem", "read_plan_file", "validate_plans"]

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


class _Checks:
    """The problems of one file: first the schema's (types, required fields, lengths, codes,
    vocabularies, years, dates), then the rules that need more than one field, the database or
    the source text, which read a field only when the schema accepted it."""

    def __init__(self, plan_file: PlanFile) -> None:
        self.name = plan_file.name
        self.found = structure_problems(plan_file.data)

    def add(self, where: str, reason: str) -> None:
        self.found.setdefault(where, reason)

    def ok(self, where: str) -> bool:
        return where not in self.found

    def text(self, obj: dict[str, Any], key: str, where: str) -> str:
        """The field's text, stripped; empty when missing or refused by the schema."""
        value = obj.get(key)
        return value.strip() if isinstance(value, str) and self.ok(f"{where}.{key}") else ""

    def choice(self, obj: dict[str, Any], key: str, where: str, options: set[str], *, what: str) -> str:
        value = obj.get(key)
        if not isinstance(value, str) or value not in options:
            shown = repr(value) if isinstance(value, str | int | float | type(None)) else kind_of(value)
            self.add(f"{where}.{key}", f"unknown {what} {shown[:60]}; expected one of {', '.join(sorted(options))}")
            return ""
        return value

    def problems(self) -> list[Problem]:
        return [Problem(self.name, where, reason) for where, reason in self.found.items()]


def _items(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """A section's items, each a mapping (the schema has reported any that is not)."""
    items = data.get(key)
    return [item if isinstance(item, dict) else {} for item in items] if isinstance(items, list) else []


def _mapping(data: dict[str, Any], key: str) -> dict[str, Any]:
    """A section that is one mapping, or {} (the schema has reported one that is not)."""
    section = data.get(key)
    return section if isinstance(section, dict) else {}


def _check_file(plan_file: PlanFile, ctx: Context, names: dict[str, str]) -> list[Problem]:
    check = _Checks(plan_file)
    data = plan_file.data
    city = _mapping(data, "city")
    city_code = check.text(city, "code", "city")
    city_name = check.text(city, "name", "city")
    if city_name and ctx.city_names.get(city_name, city_code) != city_code:
        check.add(
            "city.name", f"{city_name!r} is already the name of city {ctx.city_names[city_name]!r}; use that code"
        )
    plan = _mapping(data, "plan")
    plan_code = check.text(plan, "code", "plan")
    if plan_code and city_code and ctx.plan_cities.get(plan_code, city_code) != city_code:
        other = ctx.plan_cities[plan_code]
        check.add("plan.code", f"{plan_code!r} is already the code of a plan of city {other!r}; a plan keeps its city")
    number = plan.get("document_number")
    if isinstance(number, str) and ctx.document_numbers.get(number.strip(), plan_code) != plan_code:
        check.add(
            "plan.document_number", f"{number!r} is already the number of plan {ctx.document_numbers[number.strip()]!r}"
        )

    _check_review_marks(check, data)
    source_text = _source_text(check, plan, ctx)
    note = plan.get("districts_note")
    if source_text is not None and note and not occurs_in(str(note), source_text):
        check.add("plan.districts_note", "the quoted sentence does not occur in the source text")

    chapter_sectors: dict[str, str] = {}
    for i, chapter in enumerate(_items(data, "chapters")):
        where = f"chapters[{i}]"
        section = check.text(chapter, "section", where)
        sector = check.choice(chapter, "sector", where, ctx.sectors, what="sector")
        if section:
            chapter_sectors[section] = sector

    local_codes: set[str] = set()
    for i, indicator in enumerate(_items(data, "indicators")):
        where = f"indicators[{i}]"
        code = check.text(indicator, "code", where)
        if code in local_codes:
            check.add(f"{where}.code", f"duplicate indicator code {code!r}")
        local_codes.add(code)
        check.choice(indicator, "sector", where, ctx.sectors, what="sector")

    indicator_codes = local_codes | set(ctx.indicators.get(city_code, {}))
    sections: set[str] = set()
    for i, measure in enumerate(_items(data, "measures")):
        where = f"measures[{i}]"
        section = check.text(measure, "section", where)
        if section in sections:
            check.add(f"{where}.section", f"duplicate section number {section!r}")
        sections.add(section)
        if measure.get("sector") is not None:
            check.choice(measure, "sector", where, ctx.sectors, what="sector")
        elif section and not _chapter_of(section, chapter_sectors):
            check.add(f"{where}.sector", f"no sector: give one, or a chapter whose section prefixes {section!r}")
        _check_bureau_list(check, measure, where, names)
        clauses = measure.get("responsibility_sources") or []
        for j, clause in enumerate(clauses if isinstance(clauses, list) else []):
            cwhere = f"{where}.responsibility_sources[{j}]"
            if source_text is not None and not occurs_in(str(clause), source_text):
                check.add(cwhere, "the clause does not occur in the source text")
            for name in split_responsibility(str(clause)):
                if name not in names:
                    check.add(cwhere, f"unknown bureau {name!r} in the clause")
        deadline_source = str(measure.get("deadline_source", ""))
        if (
            measure.get("deadline") is not None
            and source_text is not None
            and not occurs_in(deadline_source, source_text)
        ):
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
    for i, target in enumerate(_items(data, "targets")):
        where = f"targets[{i}]"
        code = check.text(target, "code", where)
        if code in target_codes:
            check.add(f"{where}.code", f"duplicate target code {code!r}")
        target_codes.add(code)
        _check_target(check, target, where, indicator_codes, sections, names, source_text)
    return check.problems()


def _check_review_marks(check: _Checks, data: dict[str, Any]) -> None:
    """A drafted item still marked `review: <why>` is not loaded until a person has resolved it."""
    places = [("plan", data.get("plan"))]
    for key in ("bureaus", "indicators", "measures", "targets"):
        items = data.get(key)
        places += [(f"{key}[{i}]", item) for i, item in enumerate(items if isinstance(items, list) else [])]
    for where, item in places:
        if isinstance(item, dict) and item.get("review"):
            check.add(f"{where}.review", f"marked for review: {item['review']}; resolve it and delete the mark")


def _check_target(
    check: _Checks,
    target: dict[str, Any],
    where: str,
    indicator_codes: set[str],
    sections: set[str],
    names: dict[str, str],
    source_text: str | None,
) -> None:
    """The rules between a target's fields; the schema has checked each field on its own."""
    indicator = target.get("indicator")
    if not isinstance(indicator, str) or indicator not in indicator_codes:
        check.add(f"{where}.indicator", f"unknown indicator {indicator!r}; define it under indicators")
    kind = target.get("kind") if check.ok(f"{where}.kind") else ""
    years = {key: target.get(key) if check.ok(f"{where}.{key}") else None for key in _YEARS}
    for key, kinds in (("baseline_year", ("change_vs_baseline", "annual_growth")), ("period_start", ("cumulative",))):
        if kind in kinds and target.get(key) is None:
            check.add(f"{where}.{key}", "is missing")
    year = years["target_year"]
    for key in ("baseline_year", "period_start"):
        if year and years[key] and year < years[key]:
            check.add(f"{where}.target_year", f"{year} is before the {key.replace('_', ' ')} {years[key]}")
    value = None
    if kind == "qualitative":
        if target.get("value") is not None:
            check.add(f"{where}.value", "a qualitative target has no value; use a level target for a number")
    elif kind:
        if target.get("value") is None:
            check.add(f"{where}.value", "value is not a number: None")
        elif check.ok(f"{where}.value"):
            value = Decimal(str(target["value"]).strip())
        if target.get("comparator") is None:
            check.add(
                f"{where}.comparator",
                f"unknown comparator None; expected one of {', '.join(sorted(taxonomy.COMPARATORS))}",
            )
    measure = target.get("measure")
    if measure and str(measure) not in sections:
        check.add(f"{where}.measure", f"no measure with section {measure!r}")
    source = check.text(target, "source", where)
    if source and source_text is not None:
        if not occurs_in(source, source_text):
            check.add(f"{where}.source", "the quoted clause does not occur in the source text")
        elif value is not None and not value_printed_in(value, source):
            check.add(f"{where}.value", f"{value} is not printed in the quoted clause")
    _check_bureau_list(check, target, where, names)


_YEARS = ("target_year", "baseline_year", "period_start")


def _check_bureau_list(check: _Checks, obj: dict[str, Any], where: str, names: dict[str, str]) -> None:
    bureaus = obj.get("bureaus") or []
    if not isinstance(bureaus, list):
        return  # the schema has said what the field must be
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


def _source_text(check: _Checks, plan: dict[str, Any], ctx: Context) -> str | None:
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
