"""What the observation form shows around the entry, and the checks that ask for a second
look before a value is stored: an existing value for the period, and implausible values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from config.numbers import plain_text
from reporting.models import Observation
from reporting.values import ObservationInput
from targets.models import Indicator, Target

JUMP = Decimal("0.5")  # a change of more than half against the previous period


def observation_warnings(*, indicator: Indicator, entry: ObservationInput, existing: Observation | None) -> list[str]:
    """Reasons to confirm before saving an entry the service has already checked (`existing`
    is the value stored for its period, if any); empty when nothing looks odd."""
    label, end, number = entry.period, entry.period_end, entry.value
    warnings = []
    if existing is not None and existing.value != number:
        warnings.append(
            _("%(period)s已有数值%(old)s（%(status)s），保存将改为%(new)s。")
            % {
                "period": label,
                "old": plain_text(existing.value),
                "status": existing.get_status_display(),
                "new": plain_text(number),
            }
        )
    if number is None:
        return warnings
    if number < 0 and indicator.nature in (Indicator.Nature.STOCK, Indicator.Nature.FLOW):
        warnings.append(_("数值为负数，而该指标是存量或流量（如装机容量、产量），通常不会小于0。"))
    if indicator.unit.strip() == "%" and number > 100:
        warnings.append(_("数值超过100%。"))
    previous = (
        Observation.objects.filter(indicator=indicator, period_end__lt=end, value__isnull=False)
        .order_by("-period_end")
        .first()
    )
    if previous is not None and previous.value:
        change = (number - previous.value) / abs(previous.value)
        if abs(change) > JUMP:
            warnings.append(
                _("与上期（%(period)s：%(old)s）相比变化%(pct)s%%，超过一半。")
                % {"period": previous.period, "old": plain_text(previous.value), "pct": f"{change * 100:+.0f}"}
            )
        cumulative = indicator.targets.filter(kind=Target.Kind.CUMULATIVE).exists()
        if cumulative and indicator.nature == Indicator.Nature.STOCK and number < previous.value:
            warnings.append(
                _("该指标按期间累计考核，数值通常逐期增加，但本期低于上期（%(period)s：%(old)s）。")
                % {"period": previous.period, "old": plain_text(previous.value)}
            )
    return warnings


def observation_entry_context(*, indicator: Indicator) -> dict[str, Any]:
    """The indicator's recent values (any review status), its target levels, and a sparkline."""
    recent = list(
        Observation.objects.filter(indicator=indicator).select_related("entered_by").order_by("-period_end")[:8]
    )
    targets = list(
        indicator.targets.exclude(kind=Target.Kind.QUALITATIVE).select_related("plan").order_by("target_year")
    )
    return {
        "recent": recent,
        "targets": targets,
        "spark": _spark([(o.period, float(o.value)) for o in reversed(recent) if o.value is not None]),
    }


def _spark(series: list[tuple[str, float]], width: int = 240, height: int = 60) -> dict[str, Any] | None:
    """A sparkline of (period, value) points, oldest first."""
    if len(series) < 2:
        return None
    values = [value for _period, value in series]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = width / (len(values) - 1)
    points = " ".join(
        f"{i * step:.1f},{height - 4 - (v - low) / span * (height - 8):.1f}" for i, v in enumerate(values)
    )
    return {
        "points": points,
        "width": width,
        "height": height,
        "first": series[0][0],
        "last": series[-1][0],
    }
