"""Where a change came from, recorded on its history row (django-simple-history's
`history_change_reason`, as Read the Docs records the source of each change) and shown beside
it in the entry history. Reporting and measures both record it, so it lives below both apps."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeSource(models.TextChoices):
    PAGE = "page", _("填报页面")
    API = "api", _("接口")
    IMPORT = "import", _("文件导入")
    ADMIN = "admin", _("管理后台")
    DEMO = "demo", _("演示数据")
    REVIEW = "review", _("审核")
    COMMAND = "command", _("管理命令")


def change_source_label(code: str | None) -> str:
    """The label of a stored reason; rows written before sources were recorded have none."""
    if not code:
        return ""
    try:
        return str(ChangeSource(code).label)
    except ValueError:
        return code
