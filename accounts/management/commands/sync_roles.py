from django.apps import apps
from django.core.management.base import BaseCommand

from accounts.role_setup import roles_sync


class Command(BaseCommand):
    help = "Create the admin, leader and bureau_staff groups and give each exactly its permissions."

    def handle(self, *args: object, **options: object) -> None:
        roles_sync(apps)
        self.stdout.write(self.style.SUCCESS("Roles synchronised."))
