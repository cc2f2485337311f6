from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = _("Assignments and visits")

    def ready(self) -> None:
        # cells may not import assignments, so the cadres importer joins the cells import registry here.
        from cells.imports.registry import register

        from .imports import CadreImporter

        register(CadreImporter())
