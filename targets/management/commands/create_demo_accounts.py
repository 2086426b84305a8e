from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from targets.demo_accounts import demo_accounts_create


class Command(BaseCommand):
    help = "Create the demo accounts (admin, leader, staff of each reporting bureau) and print them (local use only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="create them even with DEBUG off")

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Demo accounts have known passwords; refusing with DEBUG off (use --force to insist).")
        accounts = demo_accounts_create()
        self.stdout.write("Demo accounts (username / password / role):")
        for account in accounts:
            where = f"  {account.city} {account.bureau}" if account.bureau else ""
            self.stdout.write(f"  {account.username:<22} {account.password:<18} {account.role}{where}")
