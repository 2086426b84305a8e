"""What changed since the report for the year before: the same as-of engine run, one year earlier.

Both years are judged by reports.as_of on the observations cut at each year's end, so "2024"
here is exactly what the 2024 report said, not today's snapshots. Comparisons:

- newly achieved: `achieved` now, anything else a year before;
- newly missed: `missed` now, anything else a year before;
- improved / worsened: both years judged on data (no `no_data`, no `manual`), and the status
  moved up or down the scale below; a move into `achieved` or `missed` counts only above.

A target that had no data a year before and has some now is neither: there is nothing to
compare it with.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reporting.models import ProgressSnapshot
from reporting.progress_selectors import TargetRow
from reporting.statuses import status_label

# Best to worst, for statuses judged on data. no_data and manual are off the scale.
SCALE = ("achieved", "on_track", "needs_acceleration", "off_track", "deteriorating", "missed")
_RANK = {status: rank for rank, status in enumerate(SCALE)}


@dataclass(frozen=True)
class StatusChange:
    row: TargetRow  # this year's row (target and the report year's snapshot)
    before: str  # the status in the previous year's report
    after: str

    @property
    def before_label(self) -> str:
        return status_label(self.before)

    @property
    def after_label(self) -> str:
        return status_label(self.after)


@dataclass(frozen=True)
class YearChange:
    year: int
    previous_year: int
    newly_achieved: list[StatusChange] = field(default_factory=list)
    newly_missed: list[StatusChange] = field(default_factory=list)
    improved: list[StatusChange] = field(default_factory=list)
    worsened: list[StatusChange] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.newly_achieved or self.newly_missed or self.improved or self.worsened)

    def groups(self) -> list[tuple[str, list[StatusChange]]]:
        """(kind, changes) in reading order; kind is one of the field names above."""
        return [
            ("newly_achieved", self.newly_achieved),
            ("newly_missed", self.newly_missed),
            ("improved", self.improved),
            ("worsened", self.worsened),
        ]


def _status(snapshot: ProgressSnapshot | None) -> str:
    return snapshot.status if snapshot else ProgressSnapshot.Status.NO_DATA


def year_change(*, rows: list[TargetRow], previous: dict[int, ProgressSnapshot], year: int) -> YearChange:
    """Compare this year's rows with the previous year's as-of snapshots (by target id)."""
    change = YearChange(year=year, previous_year=year - 1)
    for row in rows:
        before, after = _status(previous.get(row.target.pk)), row.status
        if before == after:
            continue
        item = StatusChange(row=row, before=before, after=after)
        if after == "achieved":
            change.newly_achieved.append(item)
        elif after == "missed":
            change.newly_missed.append(item)
        elif before in _RANK and after in _RANK:
            (change.improved if _RANK[after] < _RANK[before] else change.worsened).append(item)
    return change
