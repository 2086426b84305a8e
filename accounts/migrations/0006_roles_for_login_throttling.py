from django.db import migrations


def sync_roles(apps, schema_editor):
    from accounts.role_setup import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    """Let admins see and clear login locks and failed-login records (django-axes)."""

    dependencies = [
        ("accounts", "0005_roles_for_api_tokens"),
        ("axes", "0010_accessattemptexpiration"),
    ]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
