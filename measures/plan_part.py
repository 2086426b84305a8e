"""The measures of a plan file: their responsibilities and their links to targets.

targets.plan_loader loads a plan file's cities, plans, bureaus, indicators and targets, then
calls this part (registered in MeasuresConfig.ready) in the same transaction, with the rows it
loaded.
"""

from __future__ import annotations

from typing import Any

from measures.models import Measure, MeasureResponsibility, MeasureTarget
from targets.bulk_upsert import Wanted
from targets.plan_loader import PlanLoader


def plan_measures_load(loader: PlanLoader) -> None:
    measures = _load_measures(loader)
    _sync_measure_links(loader, measures)


def _load_measures(loader: PlanLoader) -> dict[tuple[str, str], Measure]:
    """Measures by (plan code, section), a level of the outline at a time so that every
    parent is saved before its children (validation ensures a parent is printed first)."""
    levels: list[list[tuple[dict, int, dict]]] = []
    for data in loader.files:
        chapters = {c["section"]: c["sector"] for c in data.get("chapters") or []}
        depth: dict[str, int] = {}
        for position, item in enumerate(data["measures"]):
            depth[item["section"]] = depth.get(item.get("parent") or "", -1) + 1
            while len(levels) <= depth[item["section"]]:
                levels.append([])
            levels[depth[item["section"]]].append((data, position, chapters))
    measures: dict[tuple[str, str], Measure] = {}
    stored = Measure.objects.filter(plan__in=list(loader.plan.values()))
    plan_codes = {plan.pk: code for code, plan in loader.plan.items()}
    for level in levels:
        wanted = []
        for data, position, chapters in level:
            item = data["measures"][position]
            plan_code = data["plan"]["code"]
            parent = item.get("parent") or ""
            wanted.append(
                Wanted(
                    {"plan": loader.plan[plan_code], "section": item["section"]},
                    {
                        "title": item["title"],
                        "text": item["text"].strip(),
                        "sector": loader.sectors[item.get("sector") or _chapter_sector(item["section"], chapters)],
                        "deadline": item.get("deadline"),
                        "deadline_source": item.get("deadline_source") or "",
                        "position": position,
                        "parent": measures[(plan_code, parent)] if parent else None,
                    },
                )
            )
        saved = loader.upsert(Measure, wanted, stored.filter(section__in={w.lookup["section"] for w in wanted}))
        measures.update({(plan_codes[plan_id], section): m for (plan_id, section), m in saved.items()})
    owners = [
        (measures[(data["plan"]["code"], item["section"])], loader.bureau_list(data, item, loader.bureaus))
        for data in loader.files
        for item in data["measures"]
    ]
    loader.sync_responsibilities(MeasureResponsibility, "measure", owners)
    loader.report_missing(Measure, [measure for measure, _ in owners])
    return measures


def _sync_measure_links(loader: PlanLoader, measures: dict[tuple[str, str], Measure]) -> None:
    """Each target's link to the measure the file names for it (none when it names none)."""
    links: list[tuple[Any, Measure | None]] = []
    for data in loader.files:
        plan = loader.plan[data["plan"]["code"]]
        for item in data["targets"]:
            section = item.get("measure") or ""
            links.append((loader.targets[(plan.pk, item["code"])], measures.get((plan.code, section))))
    stored = MeasureTarget.objects.filter(target__in=[target for target, _ in links])
    wanted = {(target.pk, measure.pk) for target, measure in links if measure is not None}
    stored.exclude(pk__in=[link.pk for link in stored if (link.target_id, link.measure_id) in wanted]).delete()
    loader.upsert(
        MeasureTarget,
        [Wanted({"measure": measure, "target": target}, {}) for target, measure in links if measure],
        stored,
    )


def _chapter_sector(section: str, chapters: dict[str, str]) -> str:
    prefixes = [prefix for prefix in chapters if section.startswith(prefix)]
    return chapters[max(prefixes, key=len)]
