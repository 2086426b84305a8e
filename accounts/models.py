"""Users belong to a bureau (staff) or to none (leaders, admins)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    bureau = models.ForeignKey(
        "targets.Bureau",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("所属单位"),
        help_text=_("局办工作人员只能填报本单位负责的指标和任务。"),
    )

    # Not a subclass of AbstractUser.Meta: it holds only these two names (and abstract, which a
    # subclass resets), and its stub types them as str where Django gives lazy strings.
    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")


class Notice(models.Model):
    """An in-app notice to one user (a reminder, a returned or approved value)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notices", verbose_name=_("用户"))
    message = models.CharField(_("内容"), max_length=500)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_unread_by_user")]

    def __str__(self) -> str:
        return self.message
