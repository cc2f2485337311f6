"""Cadre pages: list (with exports), detail, create and edit.

Reads go through assignments.cadres.selectors (another subtree's cadre is a 404); role_required gives the
403 for a role that may not use a page at all.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assignments.cadres import logins as cadre_logins
from assignments.cadres import selectors, services
from assignments.cadres.filters import CadreFilter
from assignments.cadres.forms import CadreForm
from assignments.cadres.tables import CadreTable
from cells.access.roles import OFFICE, STAFF, is_staff, role_required
from cells.logins.services import login_state_text, may_resend_invitation
from core.forms import save_or_show_errors
from core.listing import render_list


def _cadres(user):
    """Visible cadres with their committee, login and own member record: one query per page."""
    return selectors.cadres_visible_to(user).select_related("organization", "user", "member__cell")


@require_GET
@role_required(*OFFICE)
def cadre_list(request: HttpRequest) -> HttpResponse:
    return render_list(
        request,
        queryset=_cadres(request.user),
        table_class=CadreTable,
        filterset_class=CadreFilter,
        template="assignments/cadres/list.html",
        export_name="cadres",
        context={"can_edit": is_staff(request.user)},
    )


@require_GET
@role_required(*OFFICE)
def cadre_detail(request: HttpRequest, code: str) -> HttpResponse:
    cadre = get_object_or_404(_cadres(request.user), code=code)
    can_edit = is_staff(request.user)
    context = {
        "cadre": cadre,
        "can_edit": can_edit,
        "login_state": login_state_text(cadre.user),
        "invite_refusal": cadre_logins.cadre_login_refusal(cadre) if cadre.user is None else "",
        "can_resend": can_edit and cadre.user is not None and may_resend_invitation(cadre.user),
    }
    return render(request, "assignments/cadres/detail.html", context)


@role_required(*STAFF)
def cadre_invite(request: HttpRequest, code: str) -> HttpResponse:
    """Create the cadre's login and e-mail the invitation (POST from the cadre's page)."""
    cadre = get_object_or_404(_cadres(request.user), code=code)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        user = cadre_logins.cadre_login_create(cadre=cadre)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": user.email})
    return redirect(cadre)


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def cadre_create(request: HttpRequest) -> HttpResponse:
    form = CadreForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        cadre = save_or_show_errors(form, lambda: services.cadre_create(**form.cleaned_data))
        if cadre is not None:
            messages.success(request, _("Cadre %(name)s added.") % {"name": cadre.full_name})
            return redirect(cadre)
    context = {"form": form, "cadre": None, "cancel_url": reverse("assignments:cadre_list")}
    return render(request, "assignments/cadres/form.html", context)


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def cadre_edit(request: HttpRequest, code: str) -> HttpResponse:
    cadre = get_object_or_404(_cadres(request.user), code=code)
    # The form writes the typed values onto the instance: keep what the page says about the saved one.
    title, cancel_url = str(cadre), cadre.get_absolute_url()
    form = CadreForm(request.user, request.POST or None, instance=cadre)
    if request.method == "POST" and form.is_valid():
        saved = save_or_show_errors(form, lambda: services.cadre_update(cadre, **form.cleaned_data))
        if saved is not None:
            messages.success(request, _("Cadre %(name)s saved.") % {"name": saved.full_name})
            return redirect(saved)
    context = {"form": form, "cadre": cadre, "title": title, "cancel_url": cancel_url}
    return render(request, "assignments/cadres/form.html", context)
