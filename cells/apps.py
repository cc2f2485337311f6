from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CellsConfig(AppConfig):
    name = "cells"
    verbose_name = _("Party hierarchy")

    def ready(self) -> None:
        # Each feature's importer joins the import registry (assignments adds its own the same way).
        from cells.hierarchy.imports import CellTypeImporter, OrganizationImporter
        from cells.imports.registry import register
        from cells.people.imports import MemberImporter

        register(CellTypeImporter())
        register(OrganizationImporter())
        register(MemberImporter())
