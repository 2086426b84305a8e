"""Loading plan fixtures into the database: validate everything, then upsert in one transaction.

Rows are matched on natural keys and updated in place, never deleted and re-created, so the
observations, progress and edit history attached to them survive an edited fixture. Rows
that a fixture no longer mentions are reported, not deleted: removing a target is a decision
for an admin in the admin, where its history stays visible.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models, transaction

from measures.models import Measure, MeasureResponsibility, MeasureTarget
from targets.models import Bureau, City, Indicator, Plan, Role, Sector, Target, TargetResponsibility
from targets.plan_validation import Context, PlanFile, Problem, read_plan_file, validate_plans

PLANS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "plans"


@dataclass
class LoadReport:
    problems: list[Problem] = field(default_factory=list)
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    changes: list[str] = field(default_factory=list)  # one line per created or updated row
    not_in_files: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary_lines(self) -> list[str]:
        labels = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return [
            f"{label}: {self.created[label]} created, {self.updated[label]} updated, {self.unchanged[label]} unchanged"
            for label in labels
        ]


def read_plan_paths(paths: list[Path]) -> tuple[list[PlanFile], list[Problem]]:
    files: list[PlanFile] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(str(path), "", f"cannot read the file: {exc.strerror}"))
            continue
        plan_file, read_problems = read_plan_file(raw, str(path))
        problems += read_problems
        if plan_file:
            files.append(plan_file)
    return files, problems


def default_plan_paths() -> list[Path]:
    return sorted(PLANS_DIR.glob("*.yaml"))


def validation_context() -> Context:
    """What the database already holds that a plan file may refer to."""
    ctx = Context(sectors=set(Sector.objects.values_list("code", flat=True)))
    for bureau in Bureau.objects.select_related("city"):
        names = ctx.bureau_names.setdefault(bureau.city.code, {})
        for name in [bureau.name, *bureau.aliases]:
            names[name] = bureau.name
    for indicator in Indicator.objects.select_related("city"):
        ctx.indicators.setdefault(indicator.city.code, {})[indicator.code] = {
            "unit": indicator.unit,
            "direction": indicator.direction,
            "nature": indicator.nature,
        }
    return ctx


def plans_load(files: list[PlanFile], *, user: Any = None, dry_run: bool = False) -> LoadReport:
    """Validate every file, then load them all in one transaction (or none, on any problem).

    With `dry_run`, the load runs and is rolled back, so the report previews the changes.
    """
    report = LoadReport(problems=validate_plans(files, validation_context()))
    if report.problems:
        return report
    with transaction.atomic():
        for plan_file in files:
            _Loader(plan_file.data, report, user).load()
        if dry_run:
            transaction.set_rollback(True)
        else:
            report.applied = True
    return report


class _Loader:
    def __init__(self, data: dict[str, Any], report: LoadReport, user: Any) -> None:
        self.data = data
        self.report = report
        self.user = user if getattr(user, "is_authenticated", False) else None

    def upsert(self, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> Any:
        label = model.__name__
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj._history_user = self.user
            obj.save()
            self.report.created[label] += 1
            self.report.changes.append(f"+ {label} {_key(lookup)}")
            return obj
        changed = [name for name, value in values.items() if _differs(getattr(obj, name), value)]
        if changed:
            details = ", ".join(f"{name}: {_short(getattr(obj, name))} → {_short(values[name])}" for name in changed)
            for name in changed:
                setattr(obj, name, values[name])
            obj._history_user = self.user
            obj.save()
            self.report.updated[label] += 1
            self.report.changes.append(f"~ {label} {_key(lookup)} ({details})")
        else:
            self.report.unchanged[label] += 1
        return obj

    def load(self) -> None:
        data = self.data
        city_data, plan_data = data["city"], data["plan"]
        city = self.upsert(
            City, {"code": city_data["code"]}, {"name": city_data["name"], "name_en": city_data.get("name_en", "")}
        )
        plan = self.upsert(
            Plan,
            {"code": plan_data["code"]},
            {
                "city": city,
                "title": plan_data["title"],
                "title_en": plan_data.get("title_en") or "",
                "document_number": plan_data["document_number"],
                "issuers": list(plan_data.get("issuers") or []),
                "issued": plan_data["issued"],
                "kind": plan_data["kind"],
                "source_file": plan_data.get("source_file") or "",
                "districts_note": plan_data.get("districts_note") or "",
            },
        )
        bureaus = self._load_bureaus(city)
        sectors = {sector.code: sector for sector in Sector.objects.all()}
        indicators = self._load_indicators(city, sectors)
        measures = self._load_measures(plan, sectors, bureaus)
        self._load_targets(plan, indicators, measures, bureaus)

    def _load_bureaus(self, city: City) -> dict[str, Bureau]:
        for item in self.data["bureaus"]:
            existing = Bureau.objects.filter(city=city, name=item["name"]).first()
            aliases = list(existing.aliases) if existing else []
            aliases += [alias for alias in item.get("aliases") or [] if alias not in aliases]
            self.upsert(
                Bureau,
                {"city": city, "name": item["name"]},
                {"name_en": item.get("name_en") or "", "kind": item["kind"], "aliases": aliases},
            )
        names: dict[str, Bureau] = {}
        for bureau in Bureau.objects.filter(city=city):
            for name in [bureau.name, *bureau.aliases]:
                names[name] = bureau
        return names

    def _load_indicators(self, city: City, sectors: dict[str, Sector]) -> dict[str, Indicator]:
        for item in self.data["indicators"]:
            self.upsert(
                Indicator,
                {"city": city, "code": item["code"]},
                {
                    "name": item["name"],
                    "name_en": item.get("name_en") or "",
                    "unit": item.get("unit") or "",
                    "direction": item["direction"],
                    "nature": item["nature"],
                    "sector": sectors[item["sector"]],
                },
            )
        return {indicator.code: indicator for indicator in Indicator.objects.filter(city=city)}

    def _load_measures(self, plan: Plan, sectors: dict[str, Sector], bureaus: dict[str, Bureau]) -> dict[str, Measure]:
        chapters = {c["section"]: c["sector"] for c in self.data.get("chapters") or []}
        measures: dict[str, Measure] = {}
        for position, item in enumerate(self.data["measures"]):
            sector_code = item.get("sector") or _chapter_sector(item["section"], chapters)
            measure = self.upsert(
                Measure,
                {"plan": plan, "section": item["section"]},
                {
                    "title": item["title"],
                    "text": item["text"].strip(),
                    "sector": sectors[sector_code],
                    "deadline": item.get("deadline"),
                    "deadline_source": item.get("deadline_source") or "",
                    "position": position,
                    # validation ensures a parent is printed before its children
                    "parent": measures.get(item.get("parent") or ""),
                },
            )
            measures[item["section"]] = measure
            self._sync_responsibilities(MeasureResponsibility, "measure", measure, item.get("bureaus") or [], bureaus)
        self._report_missing(Measure.objects.filter(plan=plan).exclude(section__in=list(measures)), "Measure")
        return measures

    def _load_targets(
        self, plan: Plan, indicators: dict[str, Indicator], measures: dict[str, Measure], bureaus: dict[str, Bureau]
    ) -> None:
        codes = []
        for position, item in enumerate(self.data["targets"]):
            codes.append(item["code"])
            quantified = item["kind"] != "qualitative"
            target = self.upsert(
                Target,
                {"plan": plan, "code": item["code"]},
                {
                    "indicator": indicators[item["indicator"]],
                    "kind": item["kind"],
                    "comparator": (item.get("comparator") or "") if quantified else "",
                    "value": Decimal(str(item["value"])) if quantified else None,
                    "target_year": item["target_year"],
                    "period_start": item.get("period_start"),
                    "baseline_year": item.get("baseline_year"),
                    "strive": bool(item.get("strive", False)),
                    "section": item["section"],
                    "source_text": item["source"].strip(),
                    "interpretation": str(item.get("interpretation") or "").strip(),
                    "position": position,
                },
            )
            measure = measures.get(item.get("measure") or "")
            names = item.get("bureaus")
            if names is None and measure is not None:
                names = [r.bureau.name for r in measure.responsibilities.select_related("bureau").order_by("position")]
            self._sync_responsibilities(TargetResponsibility, "target", target, names or [], bureaus)
            self._sync_measure_link(target, measure)
        self._report_missing(Target.objects.filter(plan=plan).exclude(code__in=codes), "Target")

    def _sync_responsibilities(
        self, model: type[models.Model], owner_field: str, owner: Any, names: list[str], bureaus: dict[str, Bureau]
    ) -> None:
        """Make the owner's responsibilities match the printed order: first leads, rest support."""
        wanted = [bureaus[name] for name in names]
        keep = []
        for position, bureau in enumerate(wanted):
            role = Role.LEAD if position == 0 else Role.SUPPORT
            # Clear a lead that moves, so the single-lead constraint holds at every step.
            if role == Role.LEAD:
                model.objects.filter(**{owner_field: owner}, role=Role.LEAD).exclude(bureau=bureau).update(
                    role=Role.SUPPORT
                )
            row = self.upsert(model, {owner_field: owner, "bureau": bureau}, {"role": role, "position": position})
            keep.append(row.pk)
        stale = model.objects.filter(**{owner_field: owner}).exclude(pk__in=keep)
        for row in stale:
            self.report.changes.append(f"- {model.__name__} {owner} {row.bureau}")
            self.report.updated[model.__name__] += 1
        stale.delete()

    def _sync_measure_link(self, target: Target, measure: Measure | None) -> None:
        links = MeasureTarget.objects.filter(target=target)
        if measure is None:
            links.delete()
            return
        links.exclude(measure=measure).delete()
        self.upsert(MeasureTarget, {"measure": measure, "target": target}, {})

    def _report_missing(self, queryset: models.QuerySet, label: str) -> None:
        for obj in queryset:
            self.report.not_in_files.append(f"{label} {obj} (plan {obj.plan.code})")


def _chapter_sector(section: str, chapters: dict[str, str]) -> str:
    prefixes = [prefix for prefix in chapters if section.startswith(prefix)]
    return chapters[max(prefixes, key=len)]


def _differs(current: Any, wanted: Any) -> bool:
    if isinstance(current, models.Model) or isinstance(wanted, models.Model):
        return getattr(current, "pk", None) != getattr(wanted, "pk", None)
    if isinstance(current, Decimal) and wanted is not None:
        return current != Decimal(str(wanted))
    return current != wanted


def _key(lookup: dict[str, Any]) -> str:
    return " / ".join(str(value) for value in lookup.values())


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"
