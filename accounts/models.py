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

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
