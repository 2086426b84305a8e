from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from reporting.imports import observations_import, read_table


class Command(BaseCommand):
    help = (
        "Import observations from CSV or Excel (columns city, indicator_code, period, value, note): all rows or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", help="username to record as the person who entered the data")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']!r}.")
        try:
            frame = read_table(path.read_bytes(), path.name)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from None
        report = observations_import(frame, user=user)
        if not report.ok:
            lines = [f"{len(report.problems)} bad row(s); nothing was imported:"] + [f"  {p}" for p in report.problems]
            raise CommandError("\n".join(lines))
        counts = report.counts
        self.stdout.write(
            f"Imported {len(report.rows)} row(s): {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged."
        )
