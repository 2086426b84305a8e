"""Reporting periods: a year (2023), a quarter (2023-Q2) or a month (2023-06)."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST_YEAR = 2005  # baselines of the plans go back to 2005 at the earliest
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_period(raw: object, *, today: dt.date | None = None) -> tuple[str, dt.date]:
    """The canonical period label and the period's last day, or a ValidationError that says
    what is wrong with it."""
    text = str(raw).strip() if raw is not None else ""
    if text.endswith(".0") and _YEAR.match(text[:-2]):  # spreadsheets turn 2023 into 2023.0
        text = text[:-2]
    today = today or timezone.localdate()
    if match := _YEAR.match(text):
        year, label = int(match[1]), match[1]
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    elif match := _QUARTER.match(text):
        year, quarter = int(match[1]), int(match[2])
        label = f"{year}-Q{quarter}"
        last_month = quarter * 3
        start = dt.date(year, last_month - 2, 1)
        end = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
    elif (match := _MONTH.match(text)) and 1 <= int(match[2]) <= 12:
        year, month = int(match[1]), int(match[2])
        label = f"{year}-{month:02d}"
        start, end = dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    else:
        raise ValidationError(
            _("期间“%(period)s”格式不正确：请填写年份（2023）、季度（2023-Q2）或月份（2023-06）。"),
            code="bad_period",
            params={"period": text},
        )
    if year < EARLIEST_YEAR:
        raise ValidationError(
            _("期间“%(period)s”早于%(year)s年，超出规划的统计范围。"),
            code="period_too_early",
            params={"period": label, "year": EARLIEST_YEAR},
        )
    if start > today:
        raise ValidationError(
            _("期间“%(period)s”尚未开始，不能填报未来的数据。"), code="period_in_future", params={"period": label}
        )
    return label, end
