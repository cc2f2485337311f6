"""A failed POST never leaves the browser on an address that answers 405 to a reload.

For every URL that takes a POST and has no page of its own, a refused or invalid POST either redirects
(with the message) or renders its page on an address that a GET answers (the page itself, or a redirect
to the page the form lives on). Each case posts invalid or refused data as the persona who may post,
then GETs the address the browser was left on (the redirect's target, or the posted URL when the page
was rendered) and expects no 405.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from assignments.models import Assignment, Cadre
from reports.commendations import services as commendations
from tests import test_permission_matrix as matrix
from tests.permissions import Case

CASES = matrix.CASES
matrix_world = matrix.world  # the permission matrix's ``world`` fixture, under this name here

pytestmark = pytest.mark.django_db


def _kwargs_of(url_name: str):
    """The URL's arguments as its permission case builds them from the world."""
    case: Case = next(case for case in CASES if case.url_name == url_name)
    return case.kwargs


def _draft_assignment(world) -> dict:
    return {"pk": world.draft_plan.pk, "assignment_pk": Assignment.objects.get(plan=world.draft_plan).pk}


def _adjustment(world) -> dict:
    adjustment = commendations.commendation_adjust(
        root=world.plan.root,
        year=world.plan.year,
        cadre=Cadre.objects.get(code="CAD1"),
        proposed=False,
        reason="Chưa nộp đủ báo cáo",
        by=get_user_model().objects.get(username="staff"),
    )
    return {"pk": adjustment.pk}


# url name -> (persona who may post, invalid or refused data, arguments; None: the permission case's)
FAILED_POSTS = {
    "assignments:note_review": ("staff", {"decision": "maybe"}, None),
    "assignments:note_submit": ("cadre", {"version": "not-a-number"}, None),
    "assignments:note_attachment_upload": ("cadre", {}, None),
    "assignments:attachment_delete": ("cadre", {}, None),  # refused: world.note is submitted
    "assignments:notification_read": ("cadre", {"open": "1"}, None),
    "assignments:operations_reconcile": ("staff", {}, None),
    "assignments:plan_assign": ("staff", {"cadre": "999999", "cell": "nowhere"}, None),
    "assignments:plan_unassign": ("staff", {}, _draft_assignment),
    "assignments:my_calendar": ("cadre", {"action": "delete-everything"}, None),
    "assignments:my_calendar_revoke": ("cadre", {}, None),
    "assignments:escalation_detail": ("staff", {"action": "resolve"}, None),
    "reports:report_build": ("staff", {}, None),
    "reports:report_finalize": ("leader", {}, None),  # refused: world.report has no signer
    "reports:report_new_version": ("staff", {}, None),  # refused: world.report is a draft
    "reports:exemption_delete": ("staff", {}, None),
    "reports:commendation_remove": ("staff", {}, _adjustment),
    "assignments:cadre_invite": ("staff", {}, None),  # refused: world.cadre has no e-mail address
    "assignments:operations_schedule_pause": ("staff", {}, None),  # refused: no schedule installed
    "assignments:operations_schedule_resume": ("staff", {}, None),
    "cells:login_resend": ("staff", {}, None),
}
# POSTed by htmx only: the browser stays on the page that holds the form (the note form).
HTMX_ONLY = {"assignments:note_autosave"}


def test_every_post_only_url_has_a_failed_post_case():
    """A URL whose GET is 405 for someone takes POSTs only: it must be listed above."""
    post_only = {case.url_name for case in CASES if 405 in case.expect.values()}
    missing = sorted(post_only - set(FAILED_POSTS) - HTMX_ONLY)
    assert not missing, f"POST-only URLs with no failed-post case: {missing}"


@pytest.mark.parametrize("url_name", sorted(FAILED_POSTS))
def test_a_failed_post_leaves_an_address_that_answers_a_reload(url_name, matrix_world, personas, client):
    world = matrix_world
    persona, data, kwargs = FAILED_POSTS[url_name]
    url = reverse(url_name, kwargs=(kwargs or _kwargs_of(url_name))(world))
    client.force_login(personas[persona])
    response = client.post(url, data)
    assert response.status_code < 500
    assert response.status_code not in (403, 404, 405), f"{persona} may not post to {url}"
    landing = response["Location"] if response.status_code in (301, 302, 303) else url
    reload = client.get(landing)
    assert reload.status_code != 405, f"POST {url} left the browser on {landing}, which answers 405"


@pytest.mark.parametrize(
    ("url_name", "persona", "data", "status", "back_to"),
    [
        ("assignments:note_review", "staff", {"decision": "maybe"}, 400, "assignments:note_detail"),
        ("assignments:note_submit", "cadre", {"version": "x", "summary": "…"}, 422, "assignments:note_edit"),
    ],
)
def test_a_refusal_shown_in_place_reloads_as_the_page_of_the_form(
    url_name, persona, data, status, back_to, matrix_world, personas, client
):
    """These two show the refusal on the POST's own address (the form with its errors); reloaded
    there, the browser is sent to the page the form lives on."""
    url = reverse(url_name, kwargs={"pk": matrix_world.note.pk})
    client.force_login(personas[persona])
    assert client.post(url, data).status_code == status
    reload = client.get(url)
    assert reload.status_code == 302 and reload.url == reverse(back_to, kwargs={"pk": matrix_world.note.pk})
