"""The base of the export commands (`export_targets`, `export_measures`, `export_progress`):
their options, the city check and the rendering."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from config.table_files import records_text
from targets.exports import known_city


class ExportCommand(BaseCommand):
    fields: list[str] = []
    records: Callable[..., Iterator[dict[str, Any]]]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--city", help="Chinese name (淄博), English name or code of one city")

    def handle(self, *args: object, **options: Any) -> None:
        city = options.get("city")
        if city and not known_city(city):
            raise CommandError(f"Unknown city {city!r}.")
        self.stdout.write(records_text(type(self).records(city), self.fields, options["format"]), ending="")
