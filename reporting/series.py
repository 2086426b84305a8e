"""Approved observations as plain lists, for the pages' charts: a chart draws tens or hundreds of
values, which a DataFrame (reporting.frames, the engine's input) costs more to build than to read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from reporting.frames import decimal_year
from reporting.models import Observation


@dataclass
class Series:
    """An indicator's approved observations in time order; `t` on the engine's time axis
    (2023 for the year 2023, 2022.5 for June 2023), `value` None where none was given."""

    t: list[float] = field(default_factory=list)
    value: list[float | None] = field(default_factory=list)
    period: list[str] = field(default_factory=list)


def observation_series(indicator_ids: Iterable[int]) -> dict[int, Series]:
    """indicator id → its Series, in one query (values pending review do not count)."""
    series: dict[int, Series] = {}
    ids = set(indicator_ids)
    if not ids:
        return series
    observed = Observation.objects.counted().filter(indicator_id__in=ids).order_by("period_end", "period")
    for indicator_id, period_end, value, period in observed.values_list(
        "indicator_id", "period_end", "value", "period"
    ):
        line = series.get(indicator_id)
        if line is None:  # not setdefault: it would make a Series for every value it is given
            line = series[indicator_id] = Series()
        line.t.append(decimal_year(period_end.year, period_end.month))
        line.value.append(None if value is None else float(value))
        line.period.append(period)
    return series
