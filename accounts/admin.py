from typing import Any, cast

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    # Django's UserAdmin always sets fieldsets; the stubs keep the base admin's "or None" type.
    fieldsets = (*cast(tuple[Any, ...], BaseUserAdmin.fieldsets), (_("所属单位"), {"fields": ["bureau"]}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, (_("所属单位"), {"fields": ["bureau", "groups"]}))
    list_display = ["username", "first_name", "last_name", "bureau", "is_staff", "is_active"]
    list_filter = ["groups", "bureau__city", "bureau", "is_staff", "is_active"]
    autocomplete_fields = ["bureau"]
