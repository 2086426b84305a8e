"""Current progress per target, as flat records."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from config.numbers import missing_as_none
from reporting.recompute import latest_snapshots
from targets.exports import city_filter
from targets.models import Target

PROGRESS_FIELDS = [
    "target_id", "city", "indicator_code", "target_year", "status", "latest_value", "latest_period",
    "target_level", "projected_value", "progress_pct", "expected_pct", "warning_level",
]  # fmt: skip


def _clean(value: Any) -> Any:
    value = missing_as_none(value)
    return round(value, 6) if isinstance(value, float) else value


def progress_records(city: str | None = None) -> Iterator[dict[str, Any]]:
    """One record per target: its latest snapshot, or no_data if never computed."""
    targets = (
        Target.objects.filter(city_filter(city))
        .select_related("plan__city", "indicator")
        .order_by("plan__city__code", "plan__issued", "position")
    )
    snapshots = latest_snapshots([t.pk for t in targets]).set_index("target_id").to_dict("index")
    for target in targets:
        snap = snapshots.get(target.pk, {})
        warning = _clean(snap.get("warning_level"))
        yield {
            "target_id": target.pk,
            "city": target.plan.city.name,
            "indicator_code": target.indicator.code,
            "target_year": target.target_year,
            "status": _clean(snap.get("status")) or "no_data",
            "latest_value": _clean(snap.get("latest_value")),
            "latest_period": _clean(snap.get("latest_period")) or None,
            "target_level": _clean(snap.get("target_level")),
            "projected_value": _clean(snap.get("projected_value")),
            "progress_pct": _clean(snap.get("progress_pct")),
            "expected_pct": _clean(snap.get("expected_pct")),
            "warning_level": None if warning is None else int(warning),
        }
