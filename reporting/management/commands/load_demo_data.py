from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reporting.demo_data import demo_observations_create, demo_observations_remove
from reporting.recompute import progress_recompute


class Command(BaseCommand):
    help = "Fill plausible yearly demo observations from 2020 for every quantified indicator (marked as demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--remove", action="store_true", help="delete all demo observations instead")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["remove"]:
            self.stdout.write(f"Removed {demo_observations_remove()} demo observation(s).")
        else:
            self.stdout.write(f"Created {demo_observations_create()} demo observation(s).")
        result = progress_recompute()
        self.stdout.write(f"Recomputed {result.targets} target(s): {result.written} changed.")
