"""The party hierarchy's models: one tree of committees and cells (hierarchy), their members (people),
meetings and schedules (meetings), and where each login works (logins). Re-exported here, so code
imports them from ``cells.models``."""

from cells.models.hierarchy import (
    LABEL_SEPARATOR,
    PATH_SEPARATOR,
    CellType,
    CellTypeGroup,
    DerivedTextsMixin,
    Organization,
    OrganizationQuerySet,
    PartyDocument,
)
from cells.models.logins import UserProfile
from cells.models.meetings import Meeting, MeetingQuerySet, MeetingSchedule
from cells.models.people import Member

__all__ = [
    "PATH_SEPARATOR",
    "LABEL_SEPARATOR",
    "DerivedTextsMixin",
    "CellTypeGroup",
    "CellType",
    "OrganizationQuerySet",
    "Organization",
    "PartyDocument",
    "Member",
    "MeetingSchedule",
    "MeetingQuerySet",
    "Meeting",
    "UserProfile",
]
