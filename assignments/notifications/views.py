"""A login's notices and notification preferences (every login)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assignments.notifications import events as notifications
from assignments.notifications import preferences
from assignments.notifications.forms import NotificationFilter, NotificationPreferenceForm
from assignments.notifications.selectors import notifications_for_list
from assignments.notifications.tables import NotificationTable
from core.forms import add_service_errors
from core.listing import render_list


# --- Preferences ----------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    choices = preferences.email_choices(request.user)
    preference = preferences.preference_of(request.user)
    if preference.pk is None:
        preference.language = request.LANGUAGE_CODE  # start from the language the user reads the site in
    form = NotificationPreferenceForm(request.POST or None, instance=preference, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            preferences.notification_preference_save(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your notification preferences were saved."))
            return redirect("assignments:notification_preferences")
    context = {
        "form": form,
        "receives_cadre_notices": preferences.receives_cadre_notices(request.user),
        "receives_nothing": not choices,
    }
    return render(request, "assignments/notifications/preferences.html", context)


# --- Notifications ------------------------------------------------------------------------------------
@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    return render_list(
        request,
        queryset=notifications_for_list(request.user),
        table_class=NotificationTable,
        filterset_class=NotificationFilter,
        template="assignments/notifications/list.html",
        export_name="notifications",
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(notifications_for_list(request.user), pk=pk)
    notifications.notification_mark_read(notification=notification)
    target = notification.url if request.POST.get("open") else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect("assignments:notification_list")
