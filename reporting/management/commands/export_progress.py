from __future__ import annotations

from reporting.progress_exports import PROGRESS_FIELDS, progress_records
from targets.export_command import ExportCommand


class Command(ExportCommand):
    help = "Write every target's current progress to stdout as JSON or CSV, one record each."
    fields = PROGRESS_FIELDS
    records = staticmethod(progress_records)
