"""The cadre's own pages (phone first) and the personal iCalendar feed.

Only the CADRE role uses the pages (others 403). Everything shown comes from the scoped selectors, so a
cadre sees their own assignments, their cells' meetings and their own visits, and nobody else's. A login
of the cadre role with no Cadre record gets a friendly empty page. The feed needs no login: its secret
token is the key, and an unknown or revoked token is a 404.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from assignments.cadre_pages import calendar, feeds
from assignments.cadre_pages import selectors as cadre_selectors
from assignments.cadres import months as cadre_months
from assignments.cadres.selectors import cadre_of
from assignments.models import AttendanceNote, Cadre
from cells.access.roles import Role, role_required, user_role
from cells.models import Meeting

CADRE = (Role.CADRE,)


# --- My visits ----------------------------------------------------------------------------------------------
@require_GET
@role_required(*CADRE)
def my_visits(request: HttpRequest) -> HttpResponse:
    cadre = cadre_of(request.user)
    if cadre is None:
        return render(request, "assignments/cadre_pages/visits.html", {"cadre": None})
    return render(request, "assignments/cadre_pages/visits.html", _my_visits_context(request.user, cadre))


def _my_visits_context(user, cadre: Cadre) -> dict:
    today = timezone.localdate()
    assignments = list(cadre_selectors.my_assignments(user, today.year))
    meetings = cadre_selectors.upcoming_meetings_by_cell(user, [a.cell_id for a in assignments], today)
    visits = cadre_selectors.my_open_visits(user, today)
    # The one rule the compliance grid, the evaluation sheet and the monthly e-mail count by.
    record = cadre_months.months_of_cadre(cadre.pk, today.year, today)
    return {
        "cadre": cadre,
        "today": today,
        "cells": [(assignment.cell, meetings.get(assignment.cell_id, [])) for assignment in assignments],
        "visits": visits,
        "visited_meeting_ids": visits.meeting_ids,
        "record": record,
        "this_month": record.months[today.month - 1],
        "glance": record.months,
        "note_groups": cadre_selectors.my_latest_notes(user),
    }


# --- My notes ------------------------------------------------------------------------------------------------
NOTES_PAGE_SIZE = 20


@require_GET
@role_required(*CADRE)
def my_notes(request: HttpRequest) -> HttpResponse:
    """The cadre's own notes, one state or all, a page at a time (the /me/ page shows the latest few)."""
    cadre = cadre_of(request.user)
    status = request.GET.get("status", "")
    if status not in cadre_selectors.NOTE_STATES:
        status = ""
    notes = cadre_selectors.my_notes(request.user)
    if status:
        notes = notes.filter(status=status)
    page = Paginator(notes, NOTES_PAGE_SIZE).get_page(request.GET.get("page"))
    states = [(value, label) for value, label in AttendanceNote.Status.choices]
    context = {"cadre": cadre, "page": page, "status": status, "states": states}
    return render(request, "assignments/cadre_pages/notes.html", context)


# --- My meetings ---------------------------------------------------------------------------------------------
MEETINGS_PAGE_SIZE = 20


@require_GET
@role_required(*CADRE)
def my_meetings(request: HttpRequest) -> HttpResponse:
    """The meetings of the cadre's own cells (their issued plan's assignments), next first, a page at a time:
    the cells' meeting list shows every meeting of the cadre's scope, this one only theirs."""
    cadre = cadre_of(request.user)
    today = timezone.localdate()
    meetings = cadre_selectors.feed_meetings(request.user, today) if cadre else Meeting.objects.none()
    page = Paginator(meetings, MEETINGS_PAGE_SIZE).get_page(request.GET.get("page"))
    visits = cadre_selectors.my_open_visits(request.user, today) if cadre else None
    context = {
        "cadre": cadre,
        "today": today,
        "page": page,
        "visited_meeting_ids": visits.meeting_ids if visits else set(),
    }
    return render(request, "assignments/cadre_pages/meetings.html", context)


# --- My calendar feed ----------------------------------------------------------------------------------------
class FeedActionForm(forms.Form):
    # Turning the link off is not an action here: it cannot be undone, so it asks first on its own page.
    CREATE = "create"
    action = forms.ChoiceField(choices=[(CREATE, CREATE)])


@never_cache
@require_http_methods(["GET", "POST"])
@role_required(*CADRE)
def my_calendar(request: HttpRequest) -> HttpResponse:
    cadre = cadre_of(request.user)
    if request.method == "POST" and cadre is not None:
        form = FeedActionForm(request.POST)
        if form.is_valid():
            _apply_feed_action(request, cadre, form.cleaned_data["action"])
            return redirect("assignments:my_calendar")
    feed = cadre_selectors.active_feed_of(cadre) if cadre is not None else None
    context = {"cadre": cadre, "feed": feed, "feed_url": _feed_url(request, feed) if feed else ""}
    if feed:
        context["webcal_url"] = "webcal://" + context["feed_url"].split("://", 1)[1]
    return render(request, "assignments/cadre_pages/calendar.html", context)


def _apply_feed_action(request: HttpRequest, cadre: Cadre, action: str) -> None:
    if action == FeedActionForm.CREATE:
        feeds.calendar_feed_create(cadre=cadre)
        messages.success(request, _("Your calendar link is ready. Any earlier link no longer works."))


@never_cache
@require_http_methods(["GET", "POST"])
@role_required(*CADRE)
def my_calendar_revoke(request: HttpRequest) -> HttpResponse:
    """GET asks first (calendars subscribed to the link stop updating for good); POST turns it off."""
    cadre = cadre_of(request.user)
    feed = cadre_selectors.active_feed_of(cadre) if cadre is not None else None
    if feed is None:  # nothing to turn off (already off, or no cadre record): the calendar page says so
        return redirect("assignments:my_calendar")
    if request.method == "POST":
        if feeds.calendar_feed_revoke(cadre=cadre):
            messages.success(
                request, _("Your calendar link was turned off. Calendars using it stop updating.")
            )
        return redirect("assignments:my_calendar")
    return render(request, "assignments/cadre_pages/calendar_revoke.html", {"cadre": cadre, "feed": feed})


def _feed_url(request: HttpRequest, feed) -> str:
    return request.build_absolute_uri(reverse("assignments:calendar_feed", args=[feed.token]))


# --- The feed itself (no login) -----------------------------------------------------------------------------
@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    cadre = cadre_selectors.cadre_for_feed_token(token)
    if cadre is None or user_role(cadre.user) != Role.CADRE:
        raise Http404
    with translation.override(settings.LANGUAGE_CODE):
        text = _feed_text(cadre, host=request.get_host().split(":")[0])
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lich-du-sinh-hoat.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _feed_text(cadre: Cadre, *, host: str) -> str:
    user = cadre.user  # the feed shows exactly what this cadre's own login may see
    since = calendar.feed_window_start(timezone.localdate())
    events = calendar.cadre_events(
        visits=cadre_selectors.feed_visits(user, cadre, since),
        meetings=cadre_selectors.feed_meetings(user, since),
        host=host,
    )
    return calendar.render_calendar(name=calendar.calendar_name(cadre), events=events, stamp=timezone.now())
