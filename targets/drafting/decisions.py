"""A reviewer's decisions on drafted items: accept one (drop its review mark) or drop it.

Items are named by what identifies them in the file (a target's code, a measure's section, a
bureau's name), not by position, so decisions still apply after the YAML was edited by hand.
"""

from __future__ import annotations

from typing import Any

_KEYS = {"bureaus": "name", "indicators": "code", "measures": "section", "targets": "code"}


def item_key(section: str, item: dict[str, Any]) -> str:
    return f"{section}:{item.get(_KEYS[section], '')}"


def review_rows(data: dict[str, Any]) -> list[dict[str, str]]:
    """Every item still marked for review, with the key a decision names it by."""
    rows = []
    plan = data.get("plan")
    if isinstance(plan, dict) and plan.get("review"):
        rows.append({"key": "plan", "label": str(plan.get("title") or "plan"), "why": str(plan["review"])})
    for section, field in _KEYS.items():
        for item in data.get(section) or []:
            if isinstance(item, dict) and item.get("review"):
                label = str(item.get(field, ""))
                # What a reviewer recognises the item by: its clause, or a measure's title.
                detail = str(item.get("source") or item.get("title") or "")
                rows.append(
                    {"key": item_key(section, item), "label": label, "detail": detail, "why": str(item["review"])}
                )
    return rows


def apply_decisions(data: dict[str, Any], *, accept: list[str], drop: list[str]) -> bool:
    """Apply the decisions in place; True when anything changed. Dropping wins over accepting."""
    changed = False
    plan = data.get("plan")
    if "plan" in accept and isinstance(plan, dict) and plan.pop("review", None) is not None:
        changed = True
    for section in _KEYS:
        items = data.get(section)
        if not isinstance(items, list):
            continue
        kept = []
        for item in items:
            key = item_key(section, item) if isinstance(item, dict) else ""
            if key in drop:
                changed = True
                continue
            if key in accept and item.pop("review", None) is not None:
                changed = True
            kept.append(item)
        data[section] = kept
    return changed
