from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from targets.city_setup import default_setup_paths, read_setup_paths, setups_load


class Command(BaseCommand):
    help = "Validate and load city set-up files (all of fixtures/cities/ when none is named), all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path, help="city set-up files (YAML)")
        parser.add_argument("--dry-run", action="store_true", help="validate only, store nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = options["files"] or default_setup_paths()
        if not paths:
            raise CommandError("No set-up files given and none in fixtures/cities/.")
        files, problems = read_setup_paths(paths)
        if not problems:
            report = setups_load(files, dry_run=bool(options["dry_run"]))
            problems = report.problems
        if problems:
            lines = [f"{len(problems)} problem(s) found; nothing was loaded:"] + [f"  {p}" for p in problems]
            raise CommandError("\n".join(lines))
        verb = "Would load" if options["dry_run"] else "Loaded"
        self.stdout.write(f"{verb} the reporting set-up of {', '.join(report.cities)}:")
        for basis, count in sorted(report.assigned.items()):
            self.stdout.write(f"  reporting bureau by {basis}: {count} indicator(s)")
