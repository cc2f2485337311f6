"""The main menu: long menus grouped into sections, short ones flat, the current page and section marked."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse

from cells.access.navigation import NAV_ITEMS, MenuLink, MenuSection, nav_items_for, nav_menu_for


def shape(menu: list) -> list:
    """A menu as plain data: a link is its URL name, a section is (key, [URL names])."""
    return [
        (entry.key, [link.name for link in entry.links]) if isinstance(entry, MenuSection) else entry.name
        for entry in menu
    ]


def flattened(menu: list) -> list[str]:
    names = []
    for entry in menu:
        names += [link.name for link in entry.links] if isinstance(entry, MenuSection) else [entry.name]
    return names


def test_a_sections_items_are_next_to_each_other():
    """Else a role's menu would show the same section twice, and the grouping would reorder links."""
    keys = [item.section.key if item.section else None for item in NAV_ITEMS]
    for key in {key for key in keys if key}:
        positions = [index for index, item_key in enumerate(keys) if item_key == key]
        assert positions == list(range(positions[0], positions[-1] + 1)), key


def test_the_departments_menu_is_grouped_and_single_item_sections_stay_links(staff):
    assert shape(nav_menu_for(staff)) == [
        "home",
        ("organization", ["cells:tree", "cells:cell_list", "cells:member_list", "cells:meeting_list",
                          "assignments:cadre_list", "cells:import_upload", "cells:login_list"]),
        ("assignments", ["assignments:plan_list", "assignments:visit_list", "assignments:note_review_list",
                         "assignments:escalation_list"]),
        "assignments:operations",
        ("reports", ["reports:dashboard", "reports:compliance", "reports:report_list"]),
    ]  # fmt: skip


def test_leaderships_menu_has_no_operations(leader):
    assert shape(nav_menu_for(leader)) == [
        "home",
        ("organization", ["cells:tree", "cells:cell_list", "cells:member_list", "cells:meeting_list",
                          "assignments:cadre_list"]),
        ("assignments", ["assignments:plan_list", "assignments:visit_list", "assignments:note_review_list",
                         "assignments:escalation_list"]),
        ("reports", ["reports:dashboard", "reports:compliance", "reports:report_list"]),
    ]  # fmt: skip


@pytest.mark.parametrize("persona", ["cadre_user", "grassroots"])
def test_short_menus_stay_flat(request, persona):
    user = request.getfixturevalue(persona)
    menu = nav_menu_for(user)
    assert all(isinstance(entry, MenuLink) for entry in menu)
    assert shape(menu) == [item["name"] for item in nav_items_for(user)]


@pytest.mark.parametrize("persona", ["staff", "leader", "cadre_user", "grassroots"])
def test_grouping_keeps_the_menu_order(request, persona):
    user = request.getfixturevalue(persona)
    assert flattened(nav_menu_for(user)) == [item["name"] for item in nav_items_for(user)]


def test_the_current_page_and_its_section_are_marked(staff):
    menu = nav_menu_for(staff, reverse("reports:compliance"))
    current = {
        entry.key: [link.name for link in entry.links if link.current]
        for entry in menu
        if isinstance(entry, MenuSection) and entry.current
    }
    assert current == {"reports": ["reports:compliance"]}
    assert not any(entry.current for entry in menu if isinstance(entry, MenuLink))


def test_the_page_draws_sections_as_dropdowns_of_marked_links(client_for, staff):
    response = client_for(staff).get(reverse("reports:compliance"))
    nav = lxml.html.fromstring(response.content).get_element_by_id("main-nav")
    menu = nav.find_class("navbar-nav")[0]
    assert menu.get("data-testid") == "nav"
    toggles = menu.xpath(".//button[@data-bs-toggle='dropdown']")
    assert [toggle.getparent().get("data-nav-section") for toggle in toggles] == [
        "organization", "assignments", "reports",
    ]  # fmt: skip
    reports = menu.xpath(".//*[@data-nav-section='reports']/button")[0]
    assert "active" in reports.classes and reports.get("aria-current") == "true"
    assert [t.get("aria-current") for t in toggles if t is not reports] == [None, None]
    assert [link.get("data-nav") for link in menu.xpath(".//*[@aria-current='page']")] == [
        "reports:compliance"
    ]
    assert menu.xpath(".//a[@data-nav]/@data-nav") == [item["name"] for item in nav_items_for(staff)]
