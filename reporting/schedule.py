"""The reporting calendar: which periods an indicator owes and when each is due.

Pure rules on dates (no queries): a city's set-up says when values are due (annual values by
a day of the following year, quarters and months some days after they end); an indicator's
frequency says which periods it owes, from the city's first reporting year up to the last
period that has ended.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reporting.periods import parse_period


@dataclass(frozen=True)
class DueRule:
    first_year: int
    annual_due_month: int = 3
    annual_due_day: int = 31
    subannual_due_days: int = 30


def period_labels(frequency: str, *, first_year: int, today: dt.date) -> list[str]:
    """Every period of `frequency` from `first_year` that has ended by `today`, oldest first."""
    labels: list[str] = []
    for year in range(first_year, today.year + 1):
        if frequency == "annual":
            candidates = [str(year)]
        elif frequency == "quarterly":
            candidates = [f"{year}-Q{quarter}" for quarter in range(1, 5)]
        else:
            candidates = [f"{year}-{month:02d}" for month in range(1, 13)]
        labels += [label for label in candidates if period_end(label) < today]
    return labels


def period_end(label: str) -> dt.date:
    # Periods built here are never in the future, so the future check of parse_period passes.
    return parse_period(label, today=dt.date.max)[1]


def due_date(label: str, rule: DueRule) -> dt.date:
    """The last day a period's value is on time."""
    end = period_end(label)
    if len(label) == 4:
        return dt.date(end.year + 1, rule.annual_due_month, rule.annual_due_day)
    return end + dt.timedelta(days=rule.subannual_due_days)
