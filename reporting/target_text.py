"""What a target asks for and how far it has come, in words and in the indicator's own unit.

The goal is read from the target itself, so a page shows it before any data arrives (the
engine's target level needs a baseline value for relative targets).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from reporting.templatetags.labels import number
from targets.models import Target
from targets.units import unit_label


def _figure(value: Decimal | float) -> str:
    return number(value, 6)


def target_goal(target: Target) -> str:
    """ "不低于 10 %", "较2020年下降 17.5%", "2021–2025年累计 不低于 400 万千瓦", ...; the
    unit is the indicator's, in the active language."""
    if target.kind == Target.Kind.QUALITATIVE or target.value is None:
        return _("定性目标，由人工评估")
    unit = unit_label(target.indicator.unit)
    value = Decimal(target.value)
    if target.kind == Target.Kind.CHANGE:
        template = _("较%(year)s年下降 %(value)s%%") if value < 0 else _("较%(year)s年上升 %(value)s%%")
        return template % {"year": target.baseline_year, "value": _figure(abs(value))}
    if target.kind == Target.Kind.ANNUAL_GROWTH:
        return _("自%(year)s年起年均增长 %(value)s%%") % {"year": target.baseline_year, "value": _figure(value)}
    goal = f"{target.get_comparator_display()} {_figure(value)} {unit}".strip()
    if target.kind == Target.Kind.CUMULATIVE:
        return _("%(start)s–%(end)s年累计%(goal)s") % {
            "start": target.period_start,
            "end": target.target_year,
            "goal": goal,
        }
    return goal


def progress_text(progress_pct: float | None) -> str:
    """Progress made as a share of the way; below zero the indicator moved away from the target,
    which a minus sign in front of a percentage hides."""
    if progress_pct is None:
        return "—"
    if progress_pct < 0:
        return _("正在远离目标（反向 %(pct)s%%）") % {"pct": f"{-progress_pct:.1f}"}
    return f"{progress_pct:.1f}%"
