"""Loading plan fixtures into the database: validate everything, then upsert in one transaction.

Rows are matched on natural keys and updated in place, never deleted and re-created, so the
observations, progress and edit history attached to them survive an edited fixture. Rows
that a fixture no longer mentions are reported, not deleted: removing a target is a decision
for an admin in the admin, where its history stays visible.

A plan file also holds measures, which the measures app owns and this app may not import (the
apps import one way, README "Layers"). Measures load them through a part registered here
(`plan_part_register`, from MeasuresConfig.ready), called in the same transaction after the
targets, like the job kinds apps register with jobs.registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol, cast

from django.db import models, transaction

from config.data_version import data_changed
from targets.bulk_upsert import Tally, Wanted, upsert_many
from targets.models import Bureau, City, Indicator, Plan, Responsibility, Role, Sector, Target, TargetResponsibility
from targets.plan_validation import Context, PlanFile, Problem, read_plan_file, validate_plans

PLANS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "plans"

# What apps above this one load from the same files, in registration order.
PlanPart = Callable[["PlanLoader"], None]
_PARTS: list[PlanPart] = []


def plan_part_register(part: PlanPart) -> None:
    """Load `part(loader)` with every plan load, after the targets (once, however often an
    app's ready() runs)."""
    if part not in _PARTS:
        _PARTS.append(part)


class _InPlan(Protocol):
    """A row of a plan (a target, a measure), as the missing-row report reads it."""

    plan: Plan


@dataclass
class LoadReport(Tally):
    problems: list[Problem] = field(default_factory=list)
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
    ctx = Context(
        sectors=set(Sector.objects.values_list("code", flat=True)),
        city_names={name: code for code, name in City.objects.values_list("code", "name")},
        document_numbers={number: code for code, number in Plan.objects.values_list("code", "document_number")},
        plan_cities=dict(Plan.objects.values_list("code", "city__code")),
    )
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
        PlanLoader([plan_file.data for plan_file in files], report, user).load()
        if dry_run:
            transaction.set_rollback(True)
        else:
            report.applied = True
            data_changed()  # bulk writes send no save signals
    return report


class PlanLoader:
    """Loads all files together, one model at a time: each model's stored rows are read in one
    query, so the cost grows with the rows loaded, not with queries per row."""

    def __init__(self, files: list[dict[str, Any]], report: LoadReport, user: Any) -> None:
        self.files = files
        self.report = report
        self.user = user if getattr(user, "is_authenticated", False) else None

    def upsert(self, model: type[models.Model], wanted: list[Wanted], existing: models.QuerySet) -> dict[tuple, Any]:
        return upsert_many(model, wanted, existing, tally=self.report, user=self.user)

    def load(self) -> None:
        cities = self.upsert(
            City,
            [
                Wanted(
                    {"code": d["city"]["code"]},
                    {
                        "name": d["city"]["name"],
                        "name_en": d["city"].get("name_en", ""),
                        # a province set elsewhere (the admin) stays when a file does not name one
                        **{key: d["city"][key] for key in ("province", "province_en") if d["city"].get(key)},
                    },
                )
                for d in self.files
            ],
            City.objects.filter(code__in=[d["city"]["code"] for d in self.files]),
        )
        self.city = {code: city for (code,), city in cities.items()}
        plans = self.upsert(
            Plan,
            [
                Wanted({"code": d["plan"]["code"]}, self._plan_values(d, self.city[d["city"]["code"]]))
                for d in self.files
            ],
            Plan.objects.filter(code__in=[d["plan"]["code"] for d in self.files]),
        )
        self.plan = {code: plan for (code,), plan in plans.items()}
        self.bureaus = self._load_bureaus()
        self.sectors = {sector.code: sector for sector in Sector.objects.all()}
        indicators = self._load_indicators(self.sectors)
        self.targets = self._load_targets(indicators, self.bureaus)
        for part in _PARTS:
            part(self)

    @staticmethod
    def _plan_values(data: dict[str, Any], city: City) -> dict[str, Any]:
        plan = data["plan"]
        return {
            "city": city,
            "title": plan["title"],
            "title_en": plan.get("title_en") or "",
            "document_number": plan["document_number"],
            "issuers": list(plan.get("issuers") or []),
            "issued": plan["issued"],
            "kind": plan["kind"],
            "source_file": plan.get("source_file") or "",
            "districts_note": plan.get("districts_note") or "",
        }

    def _city_rows(self, model: type[models.Model]) -> models.QuerySet:
        return model._default_manager.filter(city__in=list(self.city.values()))

    def _load_bureaus(self) -> dict[str, dict[str, Bureau]]:
        """Bureaus by city code, under their names and aliases. Aliases only grow."""
        stored = {(b.city_id, b.name): list(b.aliases) for b in self._city_rows(Bureau)}
        wanted = []
        for data in self.files:
            city = self.city[data["city"]["code"]]
            for item in data["bureaus"]:
                aliases = stored.setdefault((city.pk, item["name"]), [])
                aliases += [alias for alias in item.get("aliases") or [] if alias not in aliases]
                values = {"name_en": item.get("name_en") or "", "kind": item["kind"], "aliases": aliases}
                wanted.append(Wanted({"city": city, "name": item["name"]}, values))
        saved = self.upsert(Bureau, wanted, self._city_rows(Bureau))
        codes = {city.pk: code for code, city in self.city.items()}
        names: dict[str, dict[str, Bureau]] = {}
        # Every bureau of the cities, also those the files no longer list, as the old rows may name them.
        for bureau in saved.values():
            for name in [bureau.name, *bureau.aliases]:
                names.setdefault(codes[bureau.city_id], {}).setdefault(name, bureau)
        return names

    def _load_indicators(self, sectors: dict[str, Sector]) -> dict[tuple[str, str], Indicator]:
        wanted = [
            Wanted(
                {"city": self.city[data["city"]["code"]], "code": item["code"]},
                {
                    "name": item["name"],
                    "name_en": item.get("name_en") or "",
                    "unit": item.get("unit") or "",
                    "direction": item["direction"],
                    "nature": item["nature"],
                    "sector": sectors[item["sector"]],
                },
            )
            for data in self.files
            for item in data["indicators"]
        ]
        saved = self.upsert(Indicator, wanted, self._city_rows(Indicator))
        codes = {city.pk: code for code, city in self.city.items()}
        return {(codes[city_id], code): indicator for (city_id, code), indicator in saved.items()}

    def bureau_list(self, data: dict, item: dict, bureaus: dict[str, dict[str, Bureau]]) -> list[Bureau]:
        return [bureaus[data["city"]["code"]][name] for name in item.get("bureaus") or []]

    def _load_targets(
        self, indicators: dict[tuple[str, str], Indicator], bureaus: dict[str, dict[str, Bureau]]
    ) -> dict[tuple[int, str], Target]:
        """Targets by (plan id, code), with their bureaus."""
        wanted = []
        for data in self.files:
            plan_code, city_code = data["plan"]["code"], data["city"]["code"]
            for position, item in enumerate(data["targets"]):
                quantified = item["kind"] != "qualitative"
                wanted.append(
                    Wanted(
                        {"plan": self.plan[plan_code], "code": item["code"]},
                        {
                            "indicator": indicators[(city_code, item["indicator"])],
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
                )
        stored = Target.objects.filter(plan__in=list(self.plan.values()))
        targets = self.upsert(Target, wanted, stored)
        owners = []
        for data in self.files:
            plan = self.plan[data["plan"]["code"]]
            sections = {m["section"]: m for m in data["measures"]}
            for item in data["targets"]:
                target = targets[(plan.pk, item["code"])]
                measure_item = sections.get(item.get("measure") or "")
                # A target without its own bureaus takes its measure's, in the printed order.
                listed = item if item.get("bureaus") is not None or measure_item is None else measure_item
                owners.append((target, self.bureau_list(data, listed, bureaus)))
        self.sync_responsibilities(TargetResponsibility, "target", owners)
        self.report_missing(Target, [target for target, _ in owners])
        return targets

    def sync_responsibilities(
        self, model: type[Responsibility], owner_field: str, owners: list[tuple[Any, list[Bureau]]]
    ) -> None:
        """Make each owner's responsibilities match the printed order: first leads, rest support.

        A bureau no longer listed loses its responsibility (the link, not the bureau)."""
        owner_ids = [owner.pk for owner, _ in owners]
        stored = model._default_manager.filter(**{f"{owner_field}__in": owner_ids})
        wanted_keys = {(owner.pk, bureau.pk) for owner, listed in owners for bureau in listed}
        stale = [
            row
            for row in stored.select_related("bureau")
            if (getattr(row, f"{owner_field}_id"), row.bureau_id) not in wanted_keys
        ]
        for row in stale:
            self.report.changes.append(f"- {model.__name__} {getattr(row, f'{owner_field}_id')} {row.bureau}")
            self.report.updated[model.__name__] += 1
        model._default_manager.filter(pk__in=[row.pk for row in stale]).delete()
        # Demote every lead that moves first, so the single-lead constraint holds at every step.
        new_leads = {owner.pk: listed[0].pk for owner, listed in owners if listed}
        stored.filter(role=Role.LEAD).exclude(
            pk__in=[row.pk for row in stored if new_leads.get(getattr(row, f"{owner_field}_id")) == row.bureau_id]
        ).update(role=Role.SUPPORT)
        wanted = [
            Wanted(
                {owner_field: owner, "bureau": bureau},
                {"role": Role.LEAD if position == 0 else Role.SUPPORT, "position": position},
            )
            for owner, listed in owners
            for position, bureau in enumerate(listed)
        ]
        self.upsert(model, wanted, stored)

    def report_missing(self, model: type[models.Model], loaded: list[Any]) -> None:
        """`model` is one whose rows belong to a plan (Target, Measure)."""
        stored = set(model._default_manager.filter(plan__in=list(self.plan.values())).values_list("pk", flat=True))
        missing = model._default_manager.filter(pk__in=stored - {obj.pk for obj in loaded})
        rows = missing.select_related("plan__city", *(["indicator"] if model is Target else []))
        for obj in cast("Iterable[_InPlan]", rows):  # the rows of such a model have a plan
            self.report.not_in_files.append(f"{model.__name__} {obj} (plan {obj.plan.code})")
