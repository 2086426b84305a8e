"""Renamed copies of the real plans, for benchmarks and scale tests only.

A copy keeps every target, measure and bureau of the plan as printed and rewrites only what
must be unique across cities: the city's code and name, the plan's code and document number.
The source clauses stay verbatim, so a copy passes the same validation as the original.
Copies are never written to fixtures/plans/: they stand for a country of cities, not for
plans anyone issued.
"""

from __future__ import annotations

import copy

from targets.plan_loader import default_plan_paths, read_plan_paths
from targets.plan_validation import PlanFile


def plan_copy(plan_file: PlanFile, number: int) -> PlanFile:
    """Copy `number` of a plan file; copy 0 is the plan itself."""
    if number == 0:
        return plan_file
    data = copy.deepcopy(plan_file.data)
    suffix = f"{number:03d}"
    city, plan = data["city"], data["plan"]
    city["code"] = f"{city['code']}-{suffix}"
    city["name"] = f"{city['name']}{suffix}"
    if city.get("name_en"):
        city["name_en"] = f"{city['name_en']} {suffix}"
    plan["code"] = f"{plan['code']}-{suffix}"
    plan["document_number"] = f"{plan['document_number']}-{suffix}"
    return PlanFile(f"{plan_file.name}#{suffix}", data)


def real_plan_copies(copies: int) -> list[PlanFile]:
    """`copies` renamed copies of the four real plans (three cities each), the first being
    the plans themselves."""
    files, problems = read_plan_paths(default_plan_paths())
    if problems:
        raise ValueError("; ".join(map(str, problems)))
    return [plan_copy(plan_file, number) for number in range(copies) for plan_file in files]
