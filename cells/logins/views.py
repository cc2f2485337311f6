"""The logins page: organization staff create, deactivate and reactivate the logins of their subtree.

Another subtree's login is a 404 (logins_visible_to); other roles get a 403 from role_required.
Cadres' logins are made from the cadre's page (assignments), where the cadre record is linked.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cells.access.roles import STAFF, Role, role_required
from cells.logins import services as logins
from cells.logins.forms import LoginForm
from cells.logins.selectors import logins_for_list, logins_visible_to
from core.forms import save_or_show_errors
from core.listing import PAGE_SIZE


def _login(user, pk: int):
    return get_object_or_404(logins_visible_to(user).select_related("profile__scope"), pk=pk)


def _role_label(login) -> str:
    names = {group.name for group in login.groups.all()}
    return next((str(role.label) for role in Role if role.value in names), "–")


@require_GET
@role_required(*STAFF)
def login_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    page = Paginator(logins_for_list(request.user, query), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "login": login,
            "role": _role_label(login),
            "state": logins.login_state_text(login),
            "can_resend": logins.may_resend_invitation(login),
        }
        for login in page.object_list
    ]
    return render(request, "cells/logins/list.html", {"page": page, "rows": rows, "q": query})


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def login_create(request: HttpRequest) -> HttpResponse:
    own_scope = request.user.profile.scope.code if hasattr(request.user, "profile") else ""
    form = LoginForm(request.user, request.POST or None, initial={"scope": own_scope})
    if request.method == "POST" and form.is_valid():
        user = save_or_show_errors(form, lambda: logins.login_create(**form.cleaned_data))
        if user is not None:
            messages.success(
                request,
                _("Login %(username)s created; the invitation goes to %(email)s.")
                % {"username": user.get_username(), "email": user.email},
            )
            return redirect("cells:login_list")
    return render(request, "cells/logins/form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def login_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    login = _login(request.user, pk)
    back = _next_or(request, reverse("cells:login_list"))
    if login.pk == request.user.pk:
        messages.error(request, _("You cannot deactivate your own login."))
        return redirect("cells:login_list")
    if request.method == "POST":
        logins.login_deactivate(user=login, by=request.user)
        messages.success(request, _("Login %(username)s deactivated.") % {"username": login.get_username()})
        return redirect(back)
    return render(
        request, "cells/logins/confirm.html", {"login": login, "action": "deactivate", "back": back}
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def login_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    login = _login(request.user, pk)
    back = _next_or(request, reverse("cells:login_list"))
    if request.method == "POST":
        logins.login_reactivate(user=login)
        messages.success(request, _("Login %(username)s reactivated.") % {"username": login.get_username()})
        return redirect(back)
    return render(
        request, "cells/logins/confirm.html", {"login": login, "action": "reactivate", "back": back}
    )


@role_required(*STAFF)
def login_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the invitation again to a login whose password was never set (POST)."""
    login = _login(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        logins.login_invite(user=login)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Invitation sent again to %(email)s.") % {"email": login.email})
    return redirect(_next_or(request, reverse("cells:login_list")))


def _next_or(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default
