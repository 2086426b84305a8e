from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账户与角色")

    def ready(self) -> None:
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from accounts.models import Notice, User
        from accounts.notices import notice_saved
        from accounts.user_roles import role_links_changed, roles_changed, user_created

        # Who holds which role and which permission; without a sender, so that a migration's
        # historical models (other classes, the same tables) are heard too.
        m2m_changed.connect(role_links_changed, dispatch_uid="roles-links")
        post_save.connect(user_created, sender=User, dispatch_uid="roles-user-created")
        post_delete.connect(roles_changed, sender=User, dispatch_uid="roles-user-deleted")
        # A role renamed or deleted (its links go with it, without m2m_changed), a permission
        # deleted.
        for model in (Group, Permission):
            post_save.connect(roles_changed, sender=model, dispatch_uid=f"roles-save-{model.__name__}")
            post_delete.connect(roles_changed, sender=model, dispatch_uid=f"roles-delete-{model.__name__}")
        post_save.connect(notice_saved, sender=Notice, dispatch_uid="notices-save")
        post_delete.connect(notice_saved, sender=Notice, dispatch_uid="notices-delete")
