"""Reporting periods: a year (2023), a quarter (2023-Q2) or a month (2023-06)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST_YEAR = 2005  # baselines of the plans go back to 2005 at the earliest
# ASCII digits only: \d would also match ２０２２ and ٢٠٢٢ and store them as other periods.
_YEAR = re.compile(r"([0-9]{4})", re.ASCII)
_QUARTER = re.compile(r"([0-9]{4})-?Q([1-4])", re.ASCII | re.IGNORECASE)
_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})", re.ASCII)
# The stored labels, which the database also checks (reporting.models.Observation).
CANONICAL_PERIOD = r"^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$"


def ascii_digits(text: str) -> str:
    """Text with full-width forms folded (NFKC: ２０２２－Ｑ１ → 2022-Q1) and every other
    decimal digit (Arabic-Indic ٢, Devanagari २, ...) written as its ASCII digit."""
    folded = unicodedata.normalize("NFKC", text)
    if folded.isascii():
        return folded
    return "".join(
        str(unicodedata.decimal(char)) if not char.isascii() and unicodedata.decimal(char, None) is not None else char
        for char in folded
    )


def parse_period(raw: object, *, today: dt.date | None = None) -> tuple[str, dt.date]:
    """The canonical period label and the period's last day, or a ValidationError that says
    what is wrong with it."""
    text = ascii_digits(str(raw)).strip() if raw is not None else ""
    if text.endswith(".0") and _YEAR.fullmatch(text[:-2]):  # spreadsheets turn 2023 into 2023.0
        text = text[:-2]
    today = today or timezone.localdate()
    quarter = month = None
    if match := _YEAR.fullmatch(text):
        year = int(match[1])
    elif match := _QUARTER.fullmatch(text):
        year, quarter = int(match[1]), int(match[2])
    elif (match := _MONTH.fullmatch(text)) and 1 <= int(match[2]) <= 12:
        year, month = int(match[1]), int(match[2])
    else:
        raise ValidationError(
            _("期间“%(period)s”格式不正确：请填写年份（2023）、季度（2023-Q2）或月份（2023-06）。"),
            code="bad_period",
            params={"period": text[:20]},
        )
    label = f"{year:04d}" + (f"-Q{quarter}" if quarter else f"-{month:02d}" if month else "")
    # Checked before any date is built: year 0 has no date at all.
    if year < EARLIEST_YEAR:
        raise ValidationError(
            _("期间“%(period)s”早于%(year)s年，超出规划的统计范围。"),
            code="period_too_early",
            params={"period": label, "year": EARLIEST_YEAR},
        )
    if year > today.year:
        raise ValidationError(
            _("期间“%(period)s”尚未开始，不能填报未来的数据。"), code="period_in_future", params={"period": label}
        )
    first_month, last_month = (quarter * 3 - 2, quarter * 3) if quarter else (month, month) if month else (1, 12)
    start = dt.date(year, first_month, 1)
    end = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
    if start > today:
        raise ValidationError(
            _("期间“%(period)s”尚未开始，不能填报未来的数据。"), code="period_in_future", params={"period": label}
        )
    return label, end
