"""The navigation each role sees: one list, filtered by role, so menus and access rules stay together."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .roles import Role, user_role

STAFF = (Role.ORGANIZATION_STAFF,)
OFFICE = (Role.ORGANIZATION_STAFF, Role.LEADERSHIP)
ALL_ROLES = tuple(Role)


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: tuple[Role, ...]


NAV_ITEMS = [
    NavItem(_("Home"), "home", ALL_ROLES),
    NavItem(_("Hierarchy"), "cells:tree", OFFICE + (Role.GRASSROOTS_STAFF,)),
    NavItem(_("Cells"), "cells:cell_list", OFFICE + (Role.GRASSROOTS_STAFF,)),
    NavItem(_("Members"), "cells:member_list", OFFICE),
    NavItem(_("Meetings"), "cells:meeting_list", ALL_ROLES),
    NavItem(_("Cadres"), "assignments:cadre_list", OFFICE),
    NavItem(_("Import"), "cells:import_upload", STAFF),
    NavItem(_("Assignment plan"), "assignments:plan_list", OFFICE),
    NavItem(_("Visits"), "assignments:visit_list", OFFICE),
    NavItem(_("Attendance notes"), "assignments:note_review_list", OFFICE),
    NavItem(_("Escalations"), "assignments:escalation_list", OFFICE),
    NavItem(_("Operations"), "assignments:operations", STAFF),
    NavItem(_("Assigned cadres"), "assignments:assigned_cadres", (Role.GRASSROOTS_STAFF,)),
    NavItem(_("My visits"), "assignments:my_visits", (Role.CADRE,)),
    NavItem(_("Record an attendance"), "assignments:note_unplanned", (Role.CADRE,)),
    NavItem(_("Reports"), "reports:dashboard", OFFICE),
    NavItem(_("Cadre compliance"), "reports:compliance", OFFICE),
    NavItem(_("Periodic reports"), "reports:report_list", OFFICE),
]


def nav_items_for(user) -> list[dict]:
    """The menu entries a user may use; entries whose page does not exist yet are left out."""
    role = user_role(user)
    items = []
    for item in NAV_ITEMS:
        if role not in item.roles and not (user.is_superuser and item.url_name == "home"):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "name": item.url_name})
    return items
