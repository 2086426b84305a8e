from django.db import migrations

STATUSES = [
    ("not_started", "未启动", "Not started", False),
    ("in_progress", "推进中", "In progress", False),
    ("delayed", "滞后", "Delayed", False),
    ("completed", "已完成", "Completed", True),
    ("suspended", "暂停", "Suspended", False),
]


def create_statuses(apps, schema_editor):
    status_model = apps.get_model("measures", "MeasureStatus")
    for position, (code, name, name_en, is_completed) in enumerate(STATUSES):
        status_model.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "is_completed": is_completed, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]
    operations = [migrations.RunPython(create_statuses, migrations.RunPython.noop)]
