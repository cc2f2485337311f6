"""The member list (with exports) and the member form.

Every read goes through cells.hierarchy.selectors (another subtree's object is a 404); role_required gives
the 403 for a role that may not use a page at all.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cells.access.roles import OFFICE, STAFF, holds_role, role_required
from cells.people import selectors, services
from cells.people.filters import MemberFilter
from cells.people.forms import MemberForm
from cells.people.tables import MemberTable
from core.forms import save_or_show_errors
from core.listing import render_list


# --- Members ----------------------------------------------------------------------------------------
@require_GET
@role_required(*OFFICE)
def member_list(request: HttpRequest) -> HttpResponse:
    return render_list(
        request,
        queryset=selectors.members_for_list(request.user),
        table_class=MemberTable,
        filterset_class=MemberFilter,
        template="cells/people/member_list.html",
        export_name="members",
        context={"can_edit": holds_role(request.user, STAFF)},
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def member_create(request: HttpRequest) -> HttpResponse:
    initial = {"cell": request.GET["cell"]} if request.GET.get("cell") else {}
    form = MemberForm(request.user, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        member = save_or_show_errors(form, lambda: services.member_create(**form.cleaned_data))
        if member is not None:
            messages.success(request, _("Party member %(name)s added.") % {"name": member.full_name})
            return redirect(member.cell)
    context = {"form": form, "member": None, "cancel_url": reverse("cells:member_list")}
    return render(request, "cells/people/member_form.html", context)


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(selectors.members_for_list(request.user), pk=pk)
    # The form writes the typed values onto the instance: keep what the page says about the saved one.
    title, cancel_url = str(member), member.cell.get_absolute_url()
    form = MemberForm(request.user, request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        saved = save_or_show_errors(form, lambda: services.member_update(member, **form.cleaned_data))
        if saved is not None:
            messages.success(request, _("Party member %(name)s saved.") % {"name": saved.full_name})
            return redirect(saved.cell)
    context = {"form": form, "member": member, "title": title, "cancel_url": cancel_url}
    return render(request, "cells/people/member_form.html", context)
