from django.db import migrations


def sync_roles(apps, schema_editor):
    from accounts.role_setup import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    """Joins the notices and the login-throttling branches; the roles' permissions are synced
    once both (and django-axes' models) exist."""

    dependencies = [
        ("accounts", "0006_notices"),
        ("accounts", "0006_roles_for_login_throttling"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
