"""Create a login from the command line (the first organization staff of a new installation).

Prints the one-time set-password link and sends the same invitation e-mail as the app. For a cadre the
login is linked to the existing cadre with that e-mail address.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assignments.cadres.logins import cadre_login_create
from assignments.models import Cadre
from cells.access.roles import Role
from cells.logins.services import login_create, set_password_url
from cells.models import Organization

ROLES = {
    "staff": Role.ORGANIZATION_STAFF,
    "leadership": Role.LEADERSHIP,
    "cadre": Role.CADRE,
    "grassroots": Role.GRASSROOTS_STAFF,
}


class Command(BaseCommand):
    help = "Create a login (no password yet), print its set-password link and e-mail the invitation."

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, help="staff, leadership, cadre or grassroots")
        parser.add_argument("--scope", required=True, help="code of the committee the login works in")
        parser.add_argument("--email", required=True, help="the person's e-mail address")
        parser.add_argument("--name", default="", help='full name, e.g. "Nguyễn Văn An"')
        parser.add_argument("--username", default="", help="username (default: the e-mail address)")

    def handle(self, *args, role: str, scope: str, email: str, name: str, username: str, **options):
        if role not in ROLES:
            raise CommandError(f"Unknown role {role!r}: use one of {', '.join(ROLES)}.")
        organization = Organization.objects.filter(code=scope, kind=Organization.Kind.COMMITTEE).first()
        if organization is None:
            raise CommandError(f"No committee with code {scope!r}.")
        try:
            with transaction.atomic():
                if ROLES[role] == Role.CADRE:
                    user = self._cadre_login(organization, email, username)
                else:
                    user = login_create(
                        email=email, role=ROLES[role], scope=organization, full_name=name, username=username
                    )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Login {user.get_username()} created ({role}, {organization.code}).")
        )
        self.stdout.write(f"Invitation e-mailed to {user.email}. Set-password link (valid 3 days, once):")
        self.stdout.write(set_password_url(user))

    def _cadre_login(self, organization: Organization, email: str, username: str):
        cadre = Cadre.objects.filter(
            email__iexact=email, organization__path__startswith=organization.path
        ).first()
        if cadre is None:
            raise CommandError(
                f"No cadre of {organization.code} with e-mail {email}: import or add the cadre first."
            )
        return cadre_login_create(cadre=cadre, username=username)
