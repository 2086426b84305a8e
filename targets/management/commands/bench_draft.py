"""Time the drafter on a long plan: python manage.py bench_draft [--chars 50000] [--repeat 5].

The long plan is the shipped plan texts concatenated until it reaches the length asked for;
the figure printed is the median of the runs, with the aim (10 s) beside it.
"""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand, CommandParser

from targets.drafting.draft import draft_plan
from targets.plan_validation import SOURCES_DIR

AIM_SECONDS = 10.0


class Command(BaseCommand):
    help = "Median time to draft a plan of N characters."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chars", type=int, default=50_000)
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, **options) -> None:
        sources = [p.read_text(encoding="utf-8") for p in sorted(SOURCES_DIR.glob("*.txt"))]
        text, i = "", 0
        while len(text) < options["chars"]:
            text += sources[i % len(sources)] + "\n"
            i += 1
        text = text[: options["chars"]]
        times = []
        for _ in range(options["repeat"]):
            started = time.perf_counter()
            draft = draft_plan(text, city_code="bench")
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        self.stdout.write(
            f"draft_plan on {len(text)} characters: median {median:.3f} s over {len(times)} runs "
            f"(min {min(times):.3f} s, max {max(times):.3f} s); aim {AIM_SECONDS:.0f} s, "
            f"ratio {median / AIM_SECONDS:.3f} of the aim; "
            f"{len(draft.data['measures'])} measures, {len(draft.data['targets'])} targets"
        )
