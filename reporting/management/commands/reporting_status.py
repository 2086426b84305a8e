from __future__ import annotations

import datetime as dt
import json
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from reporting.status_selectors import completeness_by_bureau, completeness_totals
from targets.models import City


class Command(BaseCommand):
    help = "Per reporting bureau of a city: periods due, submitted, approved, late and missing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--city", required=True, help="city name or code, e.g. 淄博 or zibo")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
        parser.add_argument("--today", type=dt.date.fromisoformat, help="count as of this date (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        name = str(options["city"])
        city = City.objects.filter(Q(name=name) | Q(code=name) | Q(name_en__iexact=name)).first()
        if city is None:
            raise CommandError(f"Unknown city {name!r}.")
        rows = completeness_by_bureau(city=city, today=options["today"])
        if options["json"]:
            payload = {
                "city": city.name,
                "bureaus": [row.as_dict() for row in rows],
                "total": completeness_totals(rows),
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        header = f"{'bureau':<20} {'due':>5} {'submitted':>9} {'approved':>8} {'late':>5} {'missing':>7} {'open':>5}"
        self.stdout.write(f"{city.name}\n{header}")
        for row in rows:
            self.stdout.write(
                f"{_pad(row.bureau.name, 20)} {row.due:>5} {row.submitted:>9} {row.approved:>8} {row.late:>5} "
                f"{row.missing:>7} {row.open:>5}"
            )
        totals = completeness_totals(rows)
        self.stdout.write(
            f"{'total':<20} {totals.get('due', 0):>5} {totals.get('submitted', 0):>9} {totals.get('approved', 0):>8} "
            f"{totals.get('late', 0):>5} {totals.get('missing', 0):>7} {totals.get('open', 0):>5}"
        )


def _pad(text: str, width: int) -> str:
    """Left-align in a terminal, where a Chinese character takes two columns."""
    shown = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(width - shown, 0)
