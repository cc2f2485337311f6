"""Browsing and editing the hierarchy: the tree, the cell list, an organization's page and its form.

Every read goes through cells.hierarchy.selectors (another subtree's object is a 404); role_required gives
the 403 for a role that may not use a page at all.
"""

from __future__ import annotations

import django_tables2 as tables
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cells.access import scope as access_scope
from cells.access.roles import HIERARCHY_READERS, MEETING_EDITORS, STAFF, holds_role, role_required
from cells.hierarchy import selectors as hierarchy_selectors
from cells.hierarchy import services
from cells.hierarchy.filters import CellFilter
from cells.hierarchy.forms import OrganizationForm
from cells.hierarchy.tables import CellTable
from cells.meetings import selectors as meetings_selectors
from cells.models import Organization
from cells.people import selectors as people_selectors
from cells.people.tables import MemberTable
from core.forms import save_or_show_errors
from core.listing import PAGE_SIZE, render_list


# --- The tree ---------------------------------------------------------------------------------------
@require_GET
@role_required(*HIERARCHY_READERS)
def tree(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    if query:
        return render(
            request, "cells/hierarchy/tree.html", {"query": query, "results": _search(request.user, query)}
        )
    roots = list(hierarchy_selectors.tree_roots_for(request.user))
    _attach_children(request.user, roots)
    return render(request, "cells/hierarchy/tree.html", {"query": "", "roots": roots})


def _search(user, query: str) -> list[tuple[Organization, list[Organization]]]:
    matches = list(hierarchy_selectors.organizations_matching(user, query))
    ancestors = hierarchy_selectors.visible_ancestors(user, matches)
    return [(org, hierarchy_selectors.breadcrumb(org, ancestors)) for org in matches]


def _attach_children(user, parents: list[Organization]) -> None:
    """Open the first level: the children of every root, in one query."""
    by_parent: dict[int, list[Organization]] = {parent.pk: [] for parent in parents}
    for child in hierarchy_selectors.tree_children_for(user, parents):
        by_parent[child.parent_id].append(child)
    for parent in parents:
        parent.tree_children = by_parent[parent.pk]


@require_GET
@role_required(*HIERARCHY_READERS)
def tree_children(request: HttpRequest, code: str) -> HttpResponse:
    """The htmx partial: a node's direct children, each with its counts and its own expand button."""
    node = get_object_or_404(access_scope.organizations_visible_to(request.user), code=code)
    children = hierarchy_selectors.tree_children_for(request.user, [node])
    return render(request, "cells/hierarchy/_tree_children.html", {"children": children})


# --- Cells and organizations ------------------------------------------------------------------------
@require_GET
@role_required(*HIERARCHY_READERS)
def cell_list(request: HttpRequest) -> HttpResponse:
    return render_list(
        request,
        queryset=hierarchy_selectors.cells_for_list(request.user),
        table_class=CellTable,
        filterset_class=CellFilter,
        template="cells/hierarchy/cell_list.html",
        export_name="cells",
        context={"can_edit": holds_role(request.user, STAFF)},
    )


@require_GET
@role_required(*HIERARCHY_READERS)
def organization_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    organization = get_object_or_404(hierarchy_selectors.organization_detail_for(user), code=code)
    ancestors = hierarchy_selectors.visible_ancestors(user, [organization])
    can_edit = holds_role(user, STAFF)
    context = {
        "organization": organization,
        "breadcrumb": hierarchy_selectors.breadcrumb(organization, ancestors),
        "can_edit": can_edit,
        "can_edit_meetings": holds_role(user, MEETING_EDITORS),
        "history": hierarchy_selectors.organization_history(user, organization) if can_edit else None,
    }
    if organization.is_cell:
        context.update(_cell_context(request, organization))
    else:
        context["children"] = hierarchy_selectors.tree_children_for(user, [organization])
    return render(request, "cells/hierarchy/organization_detail.html", context)


def _cell_context(request: HttpRequest, cell: Organization) -> dict:
    members = people_selectors.members_for_list(request.user).filter(cell=cell)
    table = MemberTable(members, request=request, exclude=("cell",))
    tables.RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return {
        "members_table": table,
        "schedule": meetings_selectors.schedule_of(request.user, cell),
        "upcoming": meetings_selectors.upcoming_meetings_of(request.user, cell),
    }


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def organization_create(request: HttpRequest) -> HttpResponse:
    initial = {key: request.GET[key] for key in ("parent", "kind") if request.GET.get(key)}
    form = OrganizationForm(request.user, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        organization = save_or_show_errors(form, lambda: services.organization_create(**form.cleaned_data))
        if organization is not None:
            messages.success(request, _("Organization %(code)s created.") % {"code": organization.code})
            return redirect(organization)
    context = {"form": form, "organization": None, "cancel_url": reverse("cells:tree")}
    return render(request, "cells/hierarchy/organization_form.html", context)


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def organization_edit(request: HttpRequest, code: str) -> HttpResponse:
    organization = get_object_or_404(access_scope.organizations_visible_to(request.user), code=code)
    # The form writes the typed values onto the instance: keep what the page says about the saved one.
    title, cancel_url = str(organization), organization.get_absolute_url()
    form = OrganizationForm(request.user, request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        saved = save_or_show_errors(
            form, lambda: services.organization_update(organization, **form.cleaned_data)
        )
        if saved is not None:
            messages.success(request, _("Organization %(code)s saved.") % {"code": saved.code})
            return redirect(saved)
    context = {"form": form, "organization": organization, "title": title, "cancel_url": cancel_url}
    return render(request, "cells/hierarchy/organization_form.html", context)
