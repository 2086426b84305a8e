from django.db import migrations


def sync_roles(apps, schema_editor):
    from accounts.role_setup import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    """Let admins manage API tokens (rest_framework.authtoken) in the admin."""

    dependencies = [
        ("accounts", "0004_roles_for_progress"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
