"""Assemble a draft fixture (the format of fixtures/README.md) from a plan's text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from targets.drafting.bureau_names import bureau_kind, canonical_name
from targets.drafting.cleaning import clean_lines
from targets.drafting.indicators import guess_indicator
from targets.drafting.measures import MeasureDraft, find_measures
from targets.drafting.metadata import read_metadata
from targets.drafting.numbers import plain
from targets.drafting.qualitative import find_qualitative
from targets.drafting.quantified import find_quantified
from targets.drafting.sectors import sector_of
from targets.drafting.structure import Node, parse_outline
from targets.drafting.tables import find_table_targets
from targets.plan_text import squash


@dataclass
class Draft:
    data: dict[str, Any]
    unresolved_bureaus: list[str] = field(default_factory=list)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "plan"


def draft_plan(
    text: str,
    *,
    city_code: str = "city",
    city_name: str = "",
    known_bureaus: dict[str, str] | None = None,
    source_file: str = "",
) -> Draft:
    lines = clean_lines(text)
    outline = parse_outline(lines)
    meta = read_metadata(outline.preamble)
    measures = find_measures(outline)
    measure_of = {id(m.node): m for m in measures}
    draft = Draft({})
    bureaus = _bureaus(measures, known_bureaus or {}, draft)
    chapters = [
        {"section": node.section, "title": node.title, "sector": _sector(node)}
        for node in outline.nodes()
        if id(node) not in measure_of
    ]
    indicators: dict[str, dict[str, Any]] = {}
    targets: list[dict[str, Any]] = []
    for node in outline.nodes():
        measure = measure_of.get(id(node))
        _targets_of(node, measure, indicators, targets)
    for table_target in find_table_targets(text):
        _add_target(table_target, "指标表", None, sector_of(table_target.indicator_name), indicators, targets)
    plan_code = (
        f"{_slug(city_code)}-{'pollution-carbon-synergy' if meta.kind != 'carbon_peaking' else 'carbon-peaking'}"
    )
    plan: dict[str, Any] = {
        "code": plan_code,
        "title": meta.title,
        "document_number": meta.document_number,
        "issuers": meta.issuers,
        "issued": meta.issued,
        "kind": meta.kind,
        "source_file": source_file,
    }
    if meta.reviews:
        plan["review"] = "；".join(meta.reviews)
    draft.data = {
        "format": 1,
        "city": {"code": city_code, "name": city_name or city_code, "name_en": ""},
        "plan": plan,
        "bureaus": bureaus,
        "chapters": chapters,
        "indicators": list(indicators.values()),
        "measures": [_measure_dict(m, known_bureaus or {}, targets) for m in measures],
        "targets": targets,
    }
    _check_quotes(draft, text)
    return draft


def _sector(node: Node | None) -> str:
    chain = []
    while node is not None:
        chain.append(node.title)
        node = node.parent
    for title in chain:
        sector = sector_of(title, default="")
        if sector:
            return sector
    return "overall"


def _canonical_in_clause(printed: list[str], i: int, known: dict[str, str]) -> str:
    """A bare 单位/部门 after 各有关部门 shares its qualifier: （各有关部门、单位） names 各有关单位."""
    name = printed[i]
    if name in ("单位", "部门") and i and printed[i - 1].startswith("各有关"):
        return known.get(name) or known.get(f"各有关{name}") or f"各有关{name}"
    return canonical_name(name, known)[0]


def _bureaus(measures: list[MeasureDraft], known: dict[str, str], draft: Draft) -> list[dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    for measure in measures:
        for i, printed in enumerate(measure.printed_names):
            canonical = _canonical_in_clause(measure.printed_names, i, known)
            recognised = canonical != printed or canonical_name(printed, known)[1]
            entry = entries.setdefault(
                canonical, {"name": canonical, "name_en": "", "kind": bureau_kind(canonical), "aliases": []}
            )
            if printed != canonical and printed not in entry["aliases"]:
                entry["aliases"].append(printed)
            if not recognised and "review" not in entry:
                entry["review"] = "不在常用部门名称词典中：请确认名称，或把它并入已有部门的别名"
                draft.unresolved_bureaus.append(canonical)
    for entry in entries.values():
        if not entry["aliases"]:
            del entry["aliases"]
    return list(entries.values())


def _measure_dict(measure: MeasureDraft, known: dict[str, str], targets: list[dict[str, Any]]) -> dict[str, Any]:
    node = measure.node
    names = list(
        dict.fromkeys(_canonical_in_clause(measure.printed_names, i, known) for i in range(len(measure.printed_names)))
    )
    item: dict[str, Any] = {
        "section": node.section,
        "title": node.title,
        "text": measure.text,
        "bureaus": names,
        "responsibility_sources": measure.quotes,
    }
    # 2025年底前，X达到20%: the words date a quantified target, not the task itself.
    dates_a_number = any(
        t["measure"] == node.section and t["kind"] != "qualitative" and t["source"].startswith(measure.deadline_source)
        for t in targets
    )
    if measure.deadline and not dates_a_number:
        item["deadline"] = measure.deadline
        item["deadline_source"] = measure.deadline_source
    if measure.reviews:
        item["review"] = "；".join(measure.reviews)
    return item


def _targets_of(node, measure, indicators, targets) -> None:
    body = node.body
    quantified = find_quantified(body)
    sector = _sector(node)
    measure_section = node.section if measure else None
    for target in quantified:
        _add_target(target, node.section, measure_section, sector, indicators, targets)
    spans = [(t.clause_start, t.end) for t in quantified]
    for qual in find_qualitative(body, spans):
        if any(t.get("source") == qual.source for t in targets):
            continue
        for name in qual.indicator_names:
            _add_qualitative(qual, name, node.section, measure_section, sector, indicators, targets)


def _add_qualitative(qual, name, section, measure_section, sector, indicators, targets) -> None:
    indicator = _indicator(name, "", "increase", "qualitative", sector, indicators)
    item = {
        "code": _unique_code(f"{indicator}-{qual.target_year}", targets),
        "indicator": indicator,
        "kind": "qualitative",
        "comparator": None,
        "value": None,
        "target_year": qual.target_year,
        "strive": qual.strive,
        "section": section,
        "measure": measure_section,
        "source": qual.source,
    }
    targets.append(item)


def _add_target(target, section, measure_section, sector, indicators, targets) -> None:
    unit = target.unit if target.kind in ("level", "cumulative") else ""
    indicator = _indicator(target.indicator_name, unit, target.direction, target.nature, sector, indicators)
    item: dict[str, Any] = {
        "code": _unique_code(f"{indicator}-{target.target_year}", targets),
        "indicator": indicator,
        "kind": target.kind,
        "comparator": target.comparator,
        "value": plain(target.value),
        "target_year": target.target_year,
    }
    if target.baseline_year is not None:
        item["baseline_year"] = target.baseline_year
    if target.period_start is not None:
        item["period_start"] = target.period_start
    item.update({"strive": target.strive, "section": section, "measure": measure_section, "source": target.source})
    if target.interpretations:
        item["interpretation"] = "；".join(target.interpretations)
    if target.reviews:
        item["review"] = "；".join(target.reviews)
    targets.append(item)


def _indicator(name, unit, direction, nature, sector, indicators) -> str:
    for code, existing in indicators.items():
        if existing["name"] == name and (existing["unit"] == unit or not unit):
            return code
    code = guess_indicator(name, unit, "").code or f"indicator_{len(indicators) + 1}"
    while code in indicators:
        code = f"{code}_{len(indicators) + 1}"
    indicators[code] = {
        "code": code,
        "name": name,
        "name_en": "",
        "unit": unit,
        "direction": direction,
        "nature": nature,
        "sector": sector,
    }
    return code


def _unique_code(base: str, targets: list[dict[str, Any]]) -> str:
    base = base.replace("_", "-")
    codes = {t["code"] for t in targets}
    code, n = base, 2
    while code in codes:
        code, n = f"{base}-{n}", n + 1
    return code


def _check_quotes(draft: Draft, text: str) -> None:
    """A quote the cleaning stitched across a page number or header would fail the validator."""
    flat = squash(text)  # once: squashing the whole text per quote made long plans quadratic
    why = "引文跨越了页码或页眉，请按原文重新摘录"
    for item in draft.data["targets"]:
        if squash(item["source"]) not in flat:
            item["review"] = "；".join(filter(None, [item.get("review"), why]))
    for item in draft.data["measures"]:
        if any(squash(q) not in flat for q in item["responsibility_sources"]):
            item["review"] = "；".join(filter(None, [item.get("review"), "责任单位" + why]))
