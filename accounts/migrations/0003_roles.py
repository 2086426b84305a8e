from django.db import migrations


def create_roles(apps, schema_editor):
    from accounts.role_setup import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("targets", "0001_initial"),
        ("measures", "0001_initial"),
        ("reporting", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
