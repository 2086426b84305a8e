"""Draft a plan fixture from a plan's text or PDF: python manage.py draft_plan FILE [--out DRAFT.yaml]."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from targets.drafting.draft import draft_plan
from targets.drafting.reading import DraftInputError, plan_text_from_bytes
from targets.drafting.writer import count_reviews, draft_to_yaml
from targets.plan_validation import SOURCES_DIR
from targets.selectors import known_bureau_names


class Command(BaseCommand):
    help = "Draft a plan fixture (fixtures/README.md format) from the plan's text, for review."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the plan: UTF-8 or GB18030 text, or a PDF with a text layer")
        parser.add_argument("--city", default="city", help="city code (ASCII), e.g. rizhao")
        parser.add_argument("--city-name", default="", help="city name in Chinese, e.g. 日照")
        parser.add_argument("--out", help="write the draft here instead of printing it")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"没有这个文件：{path}")
        started = time.perf_counter()
        try:
            text = plan_text_from_bytes(path.read_bytes(), path.name)
        except DraftInputError as exc:
            raise CommandError(str(exc)) from exc
        # Quotes are checked against fixtures/sources/ only when the text is kept there.
        in_sources = (SOURCES_DIR / path.name).is_file() and path.suffix == ".txt"
        draft = draft_plan(
            text,
            city_code=options["city"],
            city_name=options["city_name"],
            known_bureaus=known_bureau_names(options["city"]),
            source_file=path.name if in_sources else "",
        )
        output = draft_to_yaml(draft.data)
        if options["out"]:
            Path(options["out"]).write_text(output, encoding="utf-8")
        else:
            self.stdout.write(output)
        data = draft.data
        self.stderr.write(
            f"{len(data['measures'])} measures, {len(data['targets'])} targets, {len(data['bureaus'])} bureaus; "
            f"{count_reviews(data)} items marked for review; "
            f"drafted in {time.perf_counter() - started:.2f} s"
        )
        if draft.unresolved_bureaus:
            self.stderr.write("Unresolved bureau names: " + "、".join(draft.unresolved_bureaus))
