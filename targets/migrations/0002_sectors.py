from django.db import migrations

from targets.taxonomy import SECTORS


def create_sectors(apps, schema_editor):
    sector_model = apps.get_model("targets", "Sector")
    for position, (code, name, name_en) in enumerate(SECTORS):
        sector_model.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "position": position})


class Migration(migrations.Migration):
    dependencies = [("targets", "0001_initial")]
    operations = [migrations.RunPython(create_sectors, migrations.RunPython.noop)]
