"""Logging in, the lockout after repeated failures, logging out and changing the password."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from freezegun import freeze_time

from tests.conftest import PASSWORD

WRONG = "not-the-password"
NEW_PASSWORD = "a-new-longer-passphrase-2026"
START = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


def log_in(client, username: str, password: str, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def logged_in_as(client) -> str | None:
    return client.session.get(SESSION_KEY)


def fail_five_times(client, username: str) -> list[int]:
    return [log_in(client, username, WRONG).status_code for _ in range(settings.AXES_FAILURE_LIMIT)]


# --- Lockout (django-axes: 5 failures for one username from one address) -----------------------------
def test_the_login_form_logs_a_persona_in(client, staff):
    response = log_in(client, "staff", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert logged_in_as(client) == str(staff.pk)


def test_a_wrong_password_shows_the_form_again_in_vietnamese(client, staff):
    response = log_in(client, "staff", WRONG)
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()  # Django's own vi message
    assert logged_in_as(client) is None


def test_five_failures_lock_the_username_even_for_the_right_password(client, staff):
    statuses = fail_five_times(client, "staff")
    # The fifth failure already answers with the lockout page (axes counts it, then locks).
    assert statuses == [200, 200, 200, 200, 429]
    response = log_in(client, "staff", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert '<html lang="vi">' in page
    assert "Tài khoản bị khóa" in page
    assert "Hãy thử lại sau 15 phút" in page
    assert logged_in_as(client) is None


def test_the_lockout_page_follows_the_chosen_language(client, staff):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    fail_five_times(client, "staff")
    response = log_in(client, "staff", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Account locked" in page
    assert "Try again in 15 minutes" in page


def test_the_lock_holds_one_username_from_one_address_only(client, staff, leader):
    fail_five_times(client, "staff")
    other_user = log_in(client, "leader", PASSWORD)
    assert other_user.status_code == 302
    assert logged_in_as(client) == str(leader.pk)
    client.post(reverse("logout"))
    other_address = log_in(client, "staff", PASSWORD, REMOTE_ADDR="10.1.2.3")
    assert other_address.status_code == 302
    assert logged_in_as(client) == str(staff.pk)


def test_the_lock_lifts_fifteen_minutes_after_the_last_attempt(client, staff):
    with freeze_time(START) as clock:
        fail_five_times(client, "staff")
        assert log_in(client, "staff", PASSWORD).status_code == 429
        clock.tick(datetime.timedelta(minutes=14, seconds=59))
        assert client.get(reverse("login")).status_code == 200  # the form itself stays reachable
        clock.tick(datetime.timedelta(seconds=2))
        response = log_in(client, "staff", PASSWORD)
        assert response.status_code == 302
        assert logged_in_as(client) == str(staff.pk)  # (the session expires relative to frozen time)


def test_each_refused_attempt_during_the_lock_restarts_the_cool_off(client, staff):
    """django-axes counts the cool-off from the latest attempt: retrying while locked keeps the lock."""
    with freeze_time(START) as clock:
        fail_five_times(client, "staff")
        clock.tick(datetime.timedelta(minutes=14))
        assert log_in(client, "staff", PASSWORD).status_code == 429
        clock.tick(datetime.timedelta(minutes=2))
        assert log_in(client, "staff", PASSWORD).status_code == 429
        clock.tick(datetime.timedelta(minutes=15, seconds=1))
        assert log_in(client, "staff", PASSWORD).status_code == 302


def test_a_success_resets_the_failure_count(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "staff", WRONG)
    assert log_in(client, "staff", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "staff", WRONG).status_code == 200
    assert log_in(client, "staff", PASSWORD).status_code == 302


# --- Logout ----------------------------------------------------------------------------------------
def test_logout_by_get_is_refused(client_for, staff):
    client = client_for(staff)
    assert client.get(reverse("logout")).status_code == 405
    assert logged_in_as(client) == str(staff.pk)


def test_logout_by_post_ends_the_session(client_for, staff):
    client = client_for(staff)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert logged_in_as(client) is None
    assert client.get(reverse("home")).status_code == 302


# --- Password change -------------------------------------------------------------------------------
def change_password(client, old: str, new: str, confirm: str | None = None):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": confirm or new},
    )


def test_password_change_form_is_in_vietnamese(client_for, staff):
    page = client_for(staff).get(reverse("password_change")).content.decode()
    assert "Đổi mật khẩu" in page
    assert "Mật khẩu cũ" in page


def test_password_change_needs_the_old_password(client_for, staff):
    client = client_for(staff)
    response = change_password(client, WRONG, NEW_PASSWORD)
    assert response.status_code == 200
    assert "Mật khẩu cũ không chính xác" in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_a_short_new_password_is_refused_in_vietnamese(client_for, staff):
    """Django ships this validator message untranslated in Vietnamese; our catalog has it."""
    response = change_password(client_for(staff), PASSWORD, "ab1")
    assert response.status_code == 200
    assert "Mật khẩu quá ngắn. Mật khẩu phải có ít nhất 8 ký tự." in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_password_change_keeps_the_session_and_the_new_password_logs_in(client_for, client, staff):
    logged_in = client_for(staff)
    response = change_password(logged_in, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    assert "Mật khẩu của bạn đã được thay đổi." in logged_in.get(response["Location"]).content.decode()
    assert logged_in.get(reverse("home")).status_code == 200  # still logged in
    logged_in.post(reverse("logout"))
    assert log_in(client, "staff", PASSWORD).status_code == 200  # the old one no longer works
    assert log_in(client, "staff", NEW_PASSWORD).status_code == 302
    assert logged_in_as(client) == str(staff.pk)


@pytest.mark.parametrize("name", ["password_change", "password_change_done"])
def test_password_pages_need_a_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- Behind a reverse proxy: the client's address comes from X-Forwarded-For ------------------------
PROXY = "10.0.0.5"


def test_behind_a_proxy_one_clients_failures_do_not_lock_another_client(client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "staff", WRONG, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    locked = log_in(client, "staff", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert locked.status_code == 429
    other_client = log_in(client, "staff", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert other_client.status_code == 302
    assert logged_in_as(client) == str(staff.pk)


def test_a_forged_forwarded_address_does_not_escape_the_lock(client, staff, settings):
    """The proxy appends the real address; what the client put before it is ignored."""
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "staff", WRONG, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    forged = log_in(client, "staff", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert forged.status_code == 429
    assert logged_in_as(client) is None
