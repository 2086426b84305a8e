"""City set-up files (fixtures/cities/<city>.yaml): who reports each indicator, who reviews,
and when values are due. This is a city's own decision, not plan text, so it lives apart from
the plan fixtures. Loading validates every file first and then stores all of them in one
transaction, or nothing; every problem names its file and place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import models, transaction

from targets.models import Bureau, City, CitySetup, Frequency, Indicator, IndicatorReporting, Role, Target
from targets.plan_file import FieldChecker, Problem

CITIES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "cities"


@dataclass
class SetupFile:
    name: str
    data: dict[str, Any]


@dataclass
class SetupReport:
    problems: list[Problem] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    assigned: dict[str, int] = field(default_factory=dict)  # basis -> indicators

    @property
    def ok(self) -> bool:
        return not self.problems


def default_setup_paths() -> list[Path]:
    return sorted(CITIES_DIR.glob("*.yaml"))


def read_setup_paths(paths: list[Path]) -> tuple[list[SetupFile], list[Problem]]:
    files: list[SetupFile] = []
    problems: list[Problem] = []
    for path in paths:
        name = str(path)
        try:
            data = yaml.safe_load(path.read_bytes().decode("utf-8"))
        except OSError as exc:
            problems.append(Problem(name, "", f"cannot read the file: {exc.strerror}"))
            continue
        except UnicodeDecodeError:
            problems.append(Problem(name, "", "the file is not UTF-8 text; save it as UTF-8 and try again"))
            continue
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            place = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problems.append(Problem(name, "", f"the file is not valid YAML{place}: {getattr(exc, 'problem', exc)}"))
            continue
        if not isinstance(data, dict) or "coordinating_bureau" not in data:
            problems.append(
                Problem(name, "", "this is not a city set-up file: expected city, coordinating_bureau and indicators")
            )
            continue
        files.append(SetupFile(name, data))
    return files, problems


def plan_lead_bureaus(city: City) -> dict[int, Bureau]:
    """Each indicator's reporting bureau by default: the lead bureau of its targets, taking the
    first target (plans by issue date, targets in printed order) that names one."""
    leads: dict[int, Bureau] = {}
    rows = (
        Target.objects.filter(plan__city=city, responsibilities__role=Role.LEAD)
        .order_by("plan__issued", "position")
        .values_list("indicator_id", "responsibilities__bureau_id")
    )
    bureaus = Bureau.objects.in_bulk([bureau_id for _, bureau_id in rows])
    for indicator_id, bureau_id in rows:
        leads.setdefault(indicator_id, bureaus[bureau_id])
    return leads


def quantified_indicators(city: City) -> dict[str, Indicator]:
    queryset = Indicator.objects.filter(city=city).quantified()
    return {indicator.code: indicator for indicator in queryset.distinct()}


@dataclass
class _Plan:
    """What one valid file will store."""

    city: City
    values: dict[str, Any]
    assignments: dict[int, tuple[Bureau, str, str, str]]  # indicator id -> bureau, frequency, basis, reason


def _validate(setup_file: SetupFile) -> tuple[_Plan | None, list[Problem]]:
    check = FieldChecker(setup_file.name)
    data = setup_file.data
    if data.get("format") != 1:
        check.add("format", f"unsupported format {data.get('format')!r}; this loader reads format 1")
    city_code = check.text(data, "city", "file")
    city = City.objects.filter(code=city_code).first() if city_code else None
    if city_code and city is None:
        check.add("city", f"unknown city {city_code!r}: load its plans first")
        return None, check.problems
    if city is None:
        return None, check.problems
    bureaus: dict[str, Bureau] = {}
    for listed in Bureau.objects.filter(city=city):
        for name in [listed.name, *listed.aliases]:
            bureaus[name] = listed

    def bureau_named(obj: dict[str, Any], key: str, where: str) -> Bureau | None:
        name = check.text(obj, key, where)
        if name and name not in bureaus:
            check.add(f"{where}.{key}", f"{name!r} is not a bureau of {city.name} in its plan fixtures")
        return bureaus.get(name)

    coordinating = bureau_named(data, "coordinating_bureau", "file")
    check.text(data, "coordinating_reason", "file")
    review = data.get("review_required")
    if not isinstance(review, bool):
        check.add("review_required", f"must be true or false, not {review!r}")
    first_year = check.year(data, "first_year", "file", required=True)
    due = check.mapping(data.get("due", {}), "due")
    annual = str(due.get("annual", "03-31"))
    month, day = _month_day(annual)
    if month is None:
        check.add("due.annual", f"must be a day of the year written MM-DD, such as 03-31, not {annual!r}")
    days = due.get("subannual_days", 30)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
        check.add("due.subannual_days", f"must be a number of days from 1 to 365, not {days!r}")
    default_frequency = data.get("default_frequency", Frequency.ANNUAL)
    if default_frequency not in Frequency.values:
        check.add(
            "default_frequency", f"unknown frequency {default_frequency!r}; expected one of annual, monthly, quarterly"
        )

    quantified = quantified_indicators(city)
    known = {indicator.code: indicator for indicator in Indicator.objects.filter(city=city)}
    leads = plan_lead_bureaus(city)
    chosen: dict[int, tuple[Bureau, str, str, str]] = {}
    seen: set[str] = set()
    for i, item in enumerate(check.items(data, "indicators", required=False)):
        where = f"indicators[{i}]"
        code = check.text(item, "indicator", where)
        if not code:
            continue
        if code in seen:
            check.add(f"{where}.indicator", f"indicator {code!r} is listed twice")
        seen.add(code)
        indicator = known.get(code)
        if indicator is None:
            check.add(f"{where}.indicator", f"{code!r} is not an indicator of {city.name} in its plan fixtures")
            continue
        frequency = item.get("frequency", default_frequency)
        if frequency not in Frequency.values:
            check.add(
                f"{where}.frequency", f"unknown frequency {frequency!r}; expected one of annual, monthly, quarterly"
            )
        bureau: Bureau | None = leads.get(indicator.pk)
        basis: str = IndicatorReporting.Basis.PLAN
        reason = ""
        if "bureau" in item:
            bureau = bureau_named(item, "bureau", where)
            basis = item.get("basis", "")  # missing: not "setup", reported below
            if basis != IndicatorReporting.Basis.SETUP:
                check.add(f"{where}.basis", "a reporting bureau chosen here is a set-up decision: write basis: setup")
            reason = check.text(item, "reason", where)
        elif bureau is None:
            check.add(f"{where}.bureau", f"the plans name no lead bureau for {code!r}: choose one (basis: setup)")
        if bureau is not None:
            chosen[indicator.pk] = (bureau, frequency, basis, reason)
    for code, indicator in sorted(quantified.items()):
        if indicator.pk not in chosen and indicator.pk not in leads and code not in seen:
            check.add("indicators", f"{code!r} ({indicator.name}) has no lead bureau in the plans: give it a bureau")
    for indicator_id, bureau in leads.items():
        chosen.setdefault(indicator_id, (bureau, default_frequency, IndicatorReporting.Basis.PLAN, ""))
    if check.problems:
        return None, check.problems
    values = {
        "coordinating_bureau": coordinating,
        "review_required": review,
        "first_year": first_year,
        "annual_due_month": month,
        "annual_due_day": day,
        "subannual_due_days": days,
        "source_file": Path(setup_file.name).name,
    }
    return _Plan(city, values, chosen), []


def _month_day(text: str) -> tuple[int | None, int | None]:
    parts = text.split("-")
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        return None, None
    month, day = int(parts[0]), int(parts[1])
    if not 1 <= month <= 12 or not 1 <= day <= (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31):
        return None, None
    return month, day


def setups_load(files: list[SetupFile], *, dry_run: bool = False) -> SetupReport:
    """Validate every file, then store them all in one transaction, or none on any problem.
    Rows are updated in place so their history survives."""
    report = SetupReport()
    plans: list[_Plan] = []
    for setup_file in files:
        plan, problems = _validate(setup_file)
        report.problems += problems
        if plan:
            plans.append(plan)
    cities = [plan.city.code for plan in plans]
    for code in {code for code in cities if cities.count(code) > 1}:
        report.problems.append(Problem("", "city", f"two files set up the city {code!r}"))
    if report.problems:
        return report
    with transaction.atomic():
        for plan in plans:
            _upsert(CitySetup, {"city": plan.city}, plan.values)
            for indicator_id, (bureau, frequency, basis, reason) in plan.assignments.items():
                _upsert(
                    IndicatorReporting,
                    {"indicator_id": indicator_id},
                    {"bureau": bureau, "frequency": frequency, "basis": basis, "reason": reason},
                )
                report.assigned[basis] = report.assigned.get(basis, 0) + 1
            report.cities.append(plan.city.name)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _upsert(model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> None:
    """Create, or update in place only what changed, so history rows mean real changes."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        model._default_manager.create(**lookup, **values)
        return
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
