"""Print a user's API token, creating it if needed: manage.py issue_api_token <username>."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from api.tokens import token_issue


class Command(BaseCommand):
    help = "Print the API token of a user, creating one if the user has none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="Replace the user's existing token with a new one.")

    def handle(self, *args: Any, username: str, rotate: bool, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("用户“%(username)s”不存在。") % {"username": username})
        if not user.is_active:
            raise CommandError(_("用户“%(username)s”已停用，不能签发令牌。") % {"username": username})
        token, _created = token_issue(user=user, rotate=rotate)
        self.stdout.write(token.key)
