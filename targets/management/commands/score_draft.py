"""Score a draft against a reviewed fixture: python manage.py score_draft DRAFT.yaml FIXTURE.yaml [--json]."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser

from targets.drafting.scoring import score_draft


def _load(path: str) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CommandError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise CommandError(f"{path}: not a plan file")
    return data


class Command(BaseCommand):
    help = "Precision and recall of a drafted fixture against a reviewed one, with every miss."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("draft")
        parser.add_argument("fixture")
        parser.add_argument("--json", action="store_true", help="print the scores as JSON")

    def handle(self, *args, **options) -> None:
        result = score_draft(_load(options["draft"]), _load(options["fixture"])).as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        m, t, q = result["measures"], result["targets"], result["qualitative"]
        self.stdout.write(
            f"measures:    precision {m['precision']:.1%}  recall {m['recall']:.1%}  "
            f"bureau lists exact {m['bureaus_exact']:.1%}"
        )
        self.stdout.write(f"targets:     precision {t['precision']:.1%}  recall {t['recall']:.1%}")
        self.stdout.write(f"qualitative: precision {q['precision']:.1%}  recall {q['recall']:.1%}")
        for what, misses in result["misses"].items():
            for miss in misses:
                self.stdout.write(f"missed {what}: {miss}")
        for what, extras in result["extras"].items():
            for extra in extras:
                self.stdout.write(f"extra {what}: {extra}")
