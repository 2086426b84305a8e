from targets.export_command import ExportCommand
from targets.exports import TARGET_FIELDS, target_records


class Command(ExportCommand):
    help = "Write every target to stdout as JSON or CSV, one record each."
    fields = TARGET_FIELDS
    records = staticmethod(target_records)
