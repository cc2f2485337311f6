"""Build the demo district and one login per role. Idempotent; refuses to run with DEBUG off."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assignments.demo.district import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create the demo district (hierarchy, members, cadres, meetings) and one demo login per role."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even when DEBUG is off")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo creates demo logins; run it with DEBUG=true or pass --force")
        result = seed_demo(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        for username, role, scope in result.logins:
            self.stdout.write(f"  {username:<14} {role:<22} {scope}")
