"""Forgotten passwords: the link on the login page, the same answer for every address, the Vietnamese
e-mail, the one-time three-day link, and django-axes still locking out after a reset."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from freezegun import freeze_time

from tests.cells.logins.helpers import NEW_PASSWORD, last_link_to, set_password
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def staff_with_email(staff):
    staff.email = "tochuc@hocmon.vn"
    staff.save(update_fields=["email"])
    return staff


CSRF = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def without_csrf(content: bytes) -> str:
    """The page as a person reads it: the per-request CSRF token is the only thing allowed to differ."""
    return CSRF.sub(r"\1", content.decode())


def ask_reset(client, email: str):
    return client.post(reverse("password_reset"), {"email": email}, follow=True)


def test_the_login_page_links_to_the_reset_page_in_vietnamese(client):
    page = client.get(reverse("login")).content.decode()
    assert "Quên mật khẩu?" in page
    assert f'href="{reverse("password_reset")}"' in page
    form = client.get(reverse("password_reset")).content.decode()
    assert "Nhập địa chỉ thư điện tử của tài khoản" in form
    assert "Gửi đường dẫn" in form


def test_known_and_unknown_addresses_get_the_same_words_and_only_the_known_one_mail(client, staff_with_email):
    known = ask_reset(client, "tochuc@hocmon.vn")
    assert len(mail.outbox) == 1
    unknown = ask_reset(client, "khong-co@hocmon.vn")
    assert len(mail.outbox) == 1  # nothing for an unknown address
    assert known.redirect_chain == unknown.redirect_chain == [(reverse("password_reset_done"), 302)]
    assert without_csrf(known.content) == without_csrf(unknown.content)
    assert "Nếu địa chỉ này thuộc về một tài khoản" in known.content.decode()


def test_an_inactive_login_gets_no_reset_mail(client, staff_with_email):
    staff_with_email.is_active = False
    staff_with_email.save(update_fields=["is_active"])
    response = ask_reset(client, "tochuc@hocmon.vn")
    assert "Nếu địa chỉ này thuộc về một tài khoản" in response.content.decode()
    assert mail.outbox == []


def test_an_invited_login_whose_link_expired_gets_a_new_one(client, staff_with_email):
    """An invitation not yet used leaves an unusable password; its "ask for a new link" must still work."""
    staff_with_email.set_unusable_password()
    staff_with_email.save(update_fields=["password"])
    ask_reset(client, "TOCHUC@hocmon.vn")
    assert [message.to for message in mail.outbox] == [["tochuc@hocmon.vn"]]
    done = set_password(client, last_link_to("tochuc@hocmon.vn"))
    assert "Đã đặt mật khẩu, đồng chí đã đăng nhập." in done.content.decode()


def test_the_reset_mail_is_vietnamese_and_its_link_sets_a_password_that_signs_in(client, staff_with_email):
    ask_reset(client, "tochuc@hocmon.vn")
    message = mail.outbox[0]
    assert message.subject == "Đặt lại mật khẩu"
    assert "Kính gửi đồng chí Staff" in message.body
    assert "Tên đăng nhập của đồng chí: staff" in message.body
    done = set_password(client, last_link_to("tochuc@hocmon.vn"))
    assert "Đã đặt mật khẩu, đồng chí đã đăng nhập." in done.content.decode()
    assert client.session[SESSION_KEY] == str(staff_with_email.pk)
    client.logout()
    response = client.post(reverse("login"), {"username": "staff", "password": NEW_PASSWORD})
    assert response.status_code == 302 and client.session[SESSION_KEY] == str(staff_with_email.pk)


def test_the_reset_link_works_once(client, staff_with_email):
    ask_reset(client, "tochuc@hocmon.vn")
    link = last_link_to("tochuc@hocmon.vn")
    set_password(client, link)
    client.logout()
    again = client.get(link, follow=True).content.decode()
    assert "Đường dẫn này không còn hiệu lực: đã hết hạn hoặc đã được sử dụng." in again
    assert 'name="new_password1"' not in again


def test_the_reset_link_expires_after_three_days(client, staff_with_email):
    assert settings.PASSWORD_RESET_TIMEOUT == 3 * 24 * 3600
    with freeze_time(START):
        ask_reset(client, "tochuc@hocmon.vn")
    link = last_link_to("tochuc@hocmon.vn")
    with freeze_time(START + datetime.timedelta(days=2, hours=23)):
        assert 'name="new_password1"' in client.get(link, follow=True).content.decode()
    client.cookies.clear()
    with freeze_time(START + datetime.timedelta(days=3, minutes=1)):
        page = client.get(link, follow=True).content.decode()
    assert "Đường dẫn này không còn hiệu lực" in page
    staff_with_email.refresh_from_db()
    assert staff_with_email.check_password(PASSWORD)


def test_the_lockout_still_holds_for_a_user_who_can_reset(client, staff_with_email):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_a_deactivated_logins_link_is_no_longer_valid(client, staff_with_email):
    ask_reset(client, "tochuc@hocmon.vn")
    link = last_link_to("tochuc@hocmon.vn")
    staff_with_email.is_active = False
    staff_with_email.save(update_fields=["is_active"])
    page = client.get(link, follow=True).content.decode()
    assert "Đường dẫn này không còn hiệu lực" in page
    assert 'name="new_password1"' not in page
