"""Write a draft as fixture YAML: readable, one line per text, review marks kept."""

from __future__ import annotations

from typing import Any

import yaml

_HEADER = (
    "# Draft written by `python manage.py draft_plan` from the plan's text. Review every item marked\n"
    "# `review:`, fix or drop it and delete the mark; `interpretation:` notes record readings the text\n"
    "# does not state outright. Then upload it (Plans → Upload a plan file) or run load_plans.\n"
)


def draft_to_yaml(data: dict[str, Any]) -> str:
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6, default_flow_style=False)
    return _HEADER + body


def count_reviews(data: dict[str, Any]) -> int:
    sections = ("bureaus", "indicators", "measures", "targets")
    count = 1 if (data.get("plan") or {}).get("review") else 0
    return count + sum(1 for key in sections for item in data.get(key) or [] if item.get("review"))
