from measures.exports import MEASURE_FIELDS, measure_records
from targets.export_command import ExportCommand


class Command(ExportCommand):
    help = "Write every measure to stdout as JSON or CSV, one record each."
    fields = MEASURE_FIELDS
    records = staticmethod(measure_records)
