from django.db import migrations


def sync_roles(apps, schema_editor):
    from accounts.role_setup import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    """Give the roles the permissions of the progress models added since 0003."""

    dependencies = [
        ("accounts", "0003_roles"),
        ("reporting", "0002_historicaltargetassessment_targetassessment_and_more"),
        ("measures", "0003_deadlinereminder"),
    ]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
