from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from targets.plan_loader import default_plan_paths, plans_load, read_plan_paths


class Command(BaseCommand):
    help = "Validate and load plan fixtures (all of fixtures/plans/ when no file is named), all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path, help="plan fixture files (YAML)")
        parser.add_argument("--dry-run", action="store_true", help="validate and report the changes, store nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = options["files"] or default_plan_paths()
        if not paths:
            raise CommandError("No plan files given and none in fixtures/plans/.")
        files, problems = read_plan_paths(paths)
        if problems:
            raise CommandError(self._problem_text(problems))
        report = plans_load(files, dry_run=bool(options["dry_run"]))
        if report.problems:
            raise CommandError(self._problem_text(report.problems))
        verb = "Would load" if options["dry_run"] else "Loaded"
        self.stdout.write(f"{verb} {len(files)} plan file(s):")
        for line in report.summary_lines():
            self.stdout.write(f"  {line}")
        if int(options["verbosity"]) > 1:
            for line in report.changes:
                self.stdout.write(f"  {line}")
        for line in report.not_in_files:
            self.stdout.write(self.style.WARNING(f"  in the database but no longer in the file (kept): {line}"))

    @staticmethod
    def _problem_text(problems: list) -> str:
        lines = [f"{len(problems)} problem(s) found; nothing was loaded:"] + [f"  {p}" for p in problems]
        return "\n".join(lines)
