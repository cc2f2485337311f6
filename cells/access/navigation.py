"""The navigation each role sees: one list, filtered by role, so menus and access rules stay together;
and the template context that draws it.

Long menus (the department's) are grouped into sections shown as dropdowns; short ones (cadres,
grassroots staff, mostly on phones) stay a flat row of links, one tap from every page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cells.access.roles import Role, user_role
from cells.access.scope import sees_everything

STAFF = (Role.ORGANIZATION_STAFF,)
OFFICE = (Role.ORGANIZATION_STAFF, Role.LEADERSHIP)
ALL_ROLES = tuple(Role)
# A menu with at most this many entries fits on one line and stays flat: no section to open first.
FLAT_MENU_MAX = 6


@dataclass(frozen=True)
class NavSection:
    key: str
    label: str | Promise


ORGANIZATION = NavSection("organization", pgettext_lazy("menu section", "Organization"))
ASSIGNMENTS = NavSection("assignments", pgettext_lazy("menu section", "Assignments"))
OPERATIONS = NavSection("operations", pgettext_lazy("menu section", "Operations"))
REPORTS = NavSection("reports", pgettext_lazy("menu section", "Reports"))


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: tuple[Role, ...]
    section: NavSection | None = None


# The items of a section stay next to each other: a section is drawn once, where its first item is.
NAV_ITEMS = [
    NavItem(_("Home"), "home", ALL_ROLES),
    NavItem(_("Hierarchy"), "cells:tree", OFFICE + (Role.GRASSROOTS_STAFF,), ORGANIZATION),
    NavItem(_("Cells"), "cells:cell_list", OFFICE + (Role.GRASSROOTS_STAFF,), ORGANIZATION),
    NavItem(_("Members"), "cells:member_list", OFFICE, ORGANIZATION),
    # A cadre's menu leads to their own cells' meetings (assignments:my_meetings), not the whole scope's.
    NavItem(_("Meetings"), "cells:meeting_list", OFFICE + (Role.GRASSROOTS_STAFF,), ORGANIZATION),
    NavItem(_("Cadres"), "assignments:cadre_list", OFFICE, ORGANIZATION),
    NavItem(_("Import"), "cells:import_upload", STAFF, ORGANIZATION),
    NavItem(_("Logins"), "cells:login_list", STAFF, ORGANIZATION),
    NavItem(_("Assignment plan"), "assignments:plan_list", OFFICE, ASSIGNMENTS),
    NavItem(_("Visits"), "assignments:visit_list", OFFICE, ASSIGNMENTS),
    NavItem(_("Attendance notes"), "assignments:note_review_list", OFFICE, ASSIGNMENTS),
    NavItem(_("Escalations"), "assignments:escalation_list", OFFICE, ASSIGNMENTS),
    NavItem(_("Assigned cadres"), "assignments:assigned_cadres", (Role.GRASSROOTS_STAFF,), ASSIGNMENTS),
    NavItem(_("My visits"), "assignments:my_visits", (Role.CADRE,), ASSIGNMENTS),
    # Short menu words: a cadre's five entries stay on one line at 1366 px.
    NavItem(pgettext_lazy("menu", "My meetings"), "assignments:my_meetings", (Role.CADRE,), ASSIGNMENTS),
    NavItem(pgettext_lazy("menu", "My notes"), "assignments:my_notes", (Role.CADRE,), ASSIGNMENTS),
    NavItem(_("Record an attendance"), "assignments:note_unplanned", (Role.CADRE,), ASSIGNMENTS),
    NavItem(_("Operations"), "assignments:operations", STAFF, OPERATIONS),
    NavItem(_("Coverage dashboard"), "reports:dashboard", OFFICE, REPORTS),
    NavItem(_("Cadre compliance"), "reports:compliance", OFFICE, REPORTS),
    NavItem(_("Periodic reports"), "reports:report_list", OFFICE, REPORTS),
]


@dataclass(frozen=True)
class MenuLink:
    label: str | Promise
    url: str
    name: str
    current: bool = False


@dataclass(frozen=True)
class MenuSection:
    key: str
    label: str | Promise
    links: tuple[MenuLink, ...]

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


def _visible_items(user) -> list[tuple[NavItem, str]]:
    """The user's items with their URLs; entries whose page does not exist yet are left out."""
    role = user_role(user)
    visible = []
    for item in NAV_ITEMS:
        if role not in item.roles and not (sees_everything(user) and item.url_name == "home"):
            continue
        try:
            visible.append((item, reverse(item.url_name)))
        except NoReverseMatch:
            continue
    return visible


def nav_items_for(user) -> list[dict]:
    """The menu entries a user may use, in menu order, without sections (the home page's shortcuts)."""
    return [{"label": item.label, "url": url, "name": item.url_name} for item, url in _visible_items(user)]


def nav_menu_for(user, path: str = "") -> list[MenuLink | MenuSection]:
    """The user's menu: links, and sections of two or more links once the menu is too long to be flat.

    The links keep the order of NAV_ITEMS whether grouped or not; the one whose URL is ``path`` is current.
    """
    visible = _visible_items(user)
    links = [MenuLink(item.label, url, item.url_name, current=url == path) for item, url in visible]
    if len(links) <= FLAT_MENU_MAX:
        return list(links)
    menu: list[MenuLink | MenuSection] = []
    for (item, _url), link in zip(visible, links, strict=True):
        last = menu[-1] if menu else None
        if item.section is None:
            menu.append(link)
        elif isinstance(last, MenuSection) and last.key == item.section.key:
            menu[-1] = MenuSection(last.key, last.label, last.links + (link,))
        else:
            menu.append(MenuSection(item.section.key, item.section.label, (link,)))
    # A section holding a single link for this role is just that link.
    return [
        entry.links[0] if isinstance(entry, MenuSection) and len(entry.links) == 1 else entry
        for entry in menu
    ]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_menu": [], "user_role": None}
    return {"nav_menu": nav_menu_for(user, request.path), "user_role": user_role(user)}
