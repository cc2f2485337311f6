"""python manage.py import_data KIND FILE [--root CODE] [--dry-run] [--allow-unassigned]

Imports a CSV or XLSX file whole or not at all: any bad row prints every problem as
"row N, column C: message", writes nothing and exits non-zero.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from cells.imports.base import ImportContext, Plan
from cells.imports.errors import ImportRejected
from cells.imports.registry import importer_choices, importer_for
from cells.imports.services import import_apply, import_plan
from cells.models import Organization


class Command(BaseCommand):
    help = "Import cell types, organizations, members, cadres, plans or attendance history from a CSV or XLSX file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=[kind for kind, _label in importer_choices()])
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--root",
            help="Code of the root committee (owner of imported cadres and plans); optional with one root.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and count; write nothing.")
        parser.add_argument(
            "--allow-unassigned",
            action="store_true",
            help="Attendance history: accept a cadre at a cell outside that year's plan.",
        )

    def handle(
        self,
        *args,
        kind: str,
        file: Path,
        root: str | None,
        dry_run: bool,
        allow_unassigned: bool = False,
        **options,
    ) -> None:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error}
            ) from error
        context = ImportContext(
            root=_root(root) if importer_for(kind).needs_root else None, allow_unassigned=allow_unassigned
        )
        arguments = {"kind": kind, "data": data, "filename": file.name, "context": context}
        try:
            plan = import_plan(**arguments) if dry_run else import_apply(**arguments)
        except ImportRejected as rejected:
            self._reject(rejected.errors)
        if plan.errors:
            self._reject(plan.errors)
        self.stdout.write(_summary(plan, dry_run))

    def _reject(self, errors) -> None:
        for error in errors:
            self.stderr.write(str(error))
        raise CommandError(_("%(count)s problem(s) found; nothing was imported.") % {"count": len(errors)})


def _root(code: str | None) -> Organization:
    """The root committee the import belongs to: --root, or the only root committee there is."""
    if code:
        root = Organization.objects.committees().filter(code=code).first()
        if root is None:
            raise CommandError(_("No committee has the code %(code)s.") % {"code": code})
        return root
    roots = list(Organization.objects.roots()[:2])
    if len(roots) != 1:
        raise CommandError(_("Give --root CODE: there is not exactly one root committee."))
    return roots[0]


def _summary(plan: Plan, dry_run: bool) -> str:
    counts = plan.counts
    text = _("%(kind)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % {
        "kind": plan.kind,
        "created": counts["created"],
        "updated": counts["updated"],
        "unchanged": counts["unchanged"],
    }
    return f"{text} {_('Dry run: nothing was written.')}" if dry_run else text
