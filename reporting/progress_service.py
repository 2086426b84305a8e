"""Progress recompute services (the engine itself comes with the progress-engine issue)."""

from __future__ import annotations

from targets.models import Target


def progress_recompute_indicator(*, indicator_id: int) -> int:
    return Target.objects.filter(indicator_id=indicator_id).count()
