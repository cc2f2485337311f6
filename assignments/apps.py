from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = _("Assignments and visits")

    def ready(self) -> None:
        # cells may not import assignments, so the cadres importer joins the cells import registry here.
        from assignments.cadres.imports import CadreImporter
        from assignments.notes.imports import AttendanceImporter
        from assignments.plans.imports import PlanAssignmentImporter
        from cells.imports.registry import register

        register(CadreImporter())
        register(PlanAssignmentImporter())
        register(AttendanceImporter())

        # A moved or cancelled meeting carries its planned visits along and tells the assigned cadres.
        from assignments.notifications.events import meeting_audience
        from assignments.visits.services import visit_meeting_changed
        from cells.meetings.hooks import on_meeting_audience, on_meeting_changed

        on_meeting_changed(visit_meeting_changed)
        # The meeting pages say who a change will reach by e-mail and who must be told in person.
        on_meeting_audience(meeting_audience)
