"""The models of assignments, one module per feature: cadres, plans, visits, attendance notes and
notifications. Re-exported here, so code imports them from ``assignments.models``."""

from assignments.models.cadres import HAS_EMAIL, NO_EMAIL, Cadre, CadreExemption, CadreQuerySet, CalendarFeed
from assignments.models.notes import (
    NOTE_DUE_DAYS,
    AttendanceNote,
    Escalation,
    NoteAttachment,
    NoteRound,
    Rating,
    private_storage,
)
from assignments.models.notifications import (
    Heartbeat,
    JobRun,
    Notification,
    NotificationPreference,
    ScheduleChange,
    default_language,
    language_choices,
)
from assignments.models.plans import Assignment, AssignmentPlan, DocumentSeries, PlanAmendment, RuleOverride
from assignments.models.visits import Visit, VisitListAccess, VisitQuerySet

__all__ = [
    "CadreQuerySet",
    "HAS_EMAIL",
    "NO_EMAIL",
    "Cadre",
    "CadreExemption",
    "CalendarFeed",
    "DocumentSeries",
    "AssignmentPlan",
    "Assignment",
    "RuleOverride",
    "PlanAmendment",
    "VisitQuerySet",
    "Visit",
    "VisitListAccess",
    "NOTE_DUE_DAYS",
    "private_storage",
    "Rating",
    "AttendanceNote",
    "NoteRound",
    "NoteAttachment",
    "Escalation",
    "Notification",
    "language_choices",
    "default_language",
    "JobRun",
    "Heartbeat",
    "ScheduleChange",
    "NotificationPreference",
]
