from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reporting.recompute import progress_recompute_city
from targets.exports import known_city


class Command(BaseCommand):
    help = "Recompute the progress of every target (or one city's); writes snapshots only where a result changed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--city", help="Chinese name (淄博), English name or code of one city")

    def handle(self, *args: Any, **options: Any) -> None:
        city = options.get("city")
        if city and not known_city(city):
            raise CommandError(f"Unknown city {city!r}.")
        result = progress_recompute_city(city=city)
        self.stdout.write(
            f"Recomputed {result.targets} target(s): {result.written} changed, {result.unchanged} unchanged."
        )
