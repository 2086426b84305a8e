"""Creates the role groups with their permissions; used by a migration and `sync_roles`."""

from __future__ import annotations

from typing import Any

from accounts.roles import ROLE_PERMISSIONS


def roles_sync(apps: Any) -> None:
    """Give each role group exactly its permissions. `apps` is the app registry, historical
    in a migration, so permissions are created first if post_migrate has not run yet.

    In a migration, a permission whose model a later migration creates is left out: that
    migration syncs the roles again. With the live registry every permission must exist."""
    from django.apps import apps as live_apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            permission = permission_model.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is None:
                if apps is live_apps:
                    raise LookupError(f"No permission {name} for the role {role}")
                continue
            wanted.append(permission)
        group.permissions.set(wanted)
