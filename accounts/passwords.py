"""Password rules beyond Django's own validators."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext


class CharacterClassValidator:
    """At least `min_classes` of: lower-case letters, upper-case letters, digits, other characters
    (a Chinese character or a symbol counts as "other")."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    @staticmethod
    def _classes(password: str) -> int:
        kinds = {
            "lower": any(c.islower() for c in password),
            "upper": any(c.isupper() for c in password),
            "digit": any(c.isdigit() for c in password),
            "other": any(not c.isalnum() or not c.isascii() for c in password),
        }
        return sum(kinds.values())

    def validate(self, password: str, user: Any = None) -> None:
        if self._classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return gettext("密码须包含小写字母、大写字母、数字、其他符号中的至少%(n)d类。") % {"n": self.min_classes}
