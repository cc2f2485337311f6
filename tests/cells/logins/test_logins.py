"""The logins page: a searched, paged list of the subtree's logins; office logins created with an
invitation; deactivation (asked first) that ends sessions and the calendar feed at once; reactivation."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from assignments.cadre_pages.feeds import calendar_feed_create
from cells.access.roles import Role, user_role
from cells.logins.services import user_create
from tests.cells.logins.helpers import last_link_to, set_password
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
LIST = reverse("cells:login_list")
CREATE = reverse("cells:login_create")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def signed_in(user) -> Client:
    """A client that signed in through the login form, as a browser would."""
    client = Client()
    response = client.post(reverse("login"), {"username": user.get_username(), "password": PASSWORD})
    assert response.status_code == 302
    return client


def rows(page: str) -> int:
    return page.count("data-login=")


# --- The list ---------------------------------------------------------------------------------------------
def test_the_list_shows_the_subtrees_logins_with_role_scope_and_state(client, personas):
    client.force_login(personas["staff"])
    page = client.get(LIST).content.decode()
    assert "Tài khoản" in page and "Tạo tài khoản" in page
    for username in ("staff", "leader", "cadre", "grassroots", "siblinggrassroots"):
        assert f'data-login="{username}"' in page
    assert 'data-login="outsider"' not in page  # another root's staff
    grassroots_row = page.split('data-login="grassroots"')[1].split("</tr>")[0]
    assert "Cán bộ cơ sở" in grassroots_row and "<td>Đảng bộ xã Xuân Thới Sơn</td>" in grassroots_row
    assert "Tạo ngày" in grassroots_row and "chưa đăng nhập" in grassroots_row


def test_the_list_is_searched(client, personas):
    client.force_login(personas["staff"])
    page = client.get(LIST, {"q": "grass"}).content.decode()
    assert rows(page) == 2 and 'data-login="grassroots"' in page
    assert rows(client.get(LIST, {"q": "XB"}).content.decode()) == 1
    assert "Không có tài khoản nào phù hợp." in client.get(LIST, {"q": "zzz"}).content.decode()


def test_the_list_finds_logins_by_their_committee_without_diacritics(client, personas):
    client.force_login(personas["staff"])
    page = client.get(LIST, {"q": "ba diem"}).content.decode()  # Đảng bộ xã Bà Điểm
    assert rows(page) == 1 and "Đảng bộ xã Bà Điểm" in page


@pytest.mark.parametrize("extra", [10, 140])
def test_the_list_is_paged_with_a_fixed_query_count(
    client, tree, staff, extra, django_assert_max_num_queries
):
    for number in range(extra):
        user_create(
            username=f"user{number:03d}", password="x", role=Role.GRASSROOTS_STAFF, scope=tree.committee
        )
    client.force_login(staff)
    with django_assert_max_num_queries(10):
        page = client.get(LIST).content.decode()
    assert rows(page) == min(extra + 1, 50)
    if extra > 50:
        assert "Trang 1/3" in page
        assert rows(client.get(LIST, {"page": 3}).content.decode()) == extra + 1 - 100


# --- Creating an office login -----------------------------------------------------------------------------
def test_staff_create_a_grassroots_login_who_sets_a_password(client, staff, tree, committed):
    client.force_login(staff)
    form = client.get(CREATE).content.decode()
    assert 'value="HU"' in form and "Mã đảng bộ" in form
    data = {"full_name": "Phan Văn Cơ Sở", "email": "coso@xts.vn", "role": "grassroots_staff", "scope": "XA"}
    response = committed(lambda: client.post(CREATE, data, follow=True))
    assert "Đã tạo tài khoản coso@xts.vn; thư mời được gửi đến coso@xts.vn." in response.content.decode()
    user = get_user_model().objects.get(username="coso@xts.vn")
    assert user_role(user) == Role.GRASSROOTS_STAFF and user.profile.scope == tree.committee
    assert not user.has_usable_password()
    [message] = mail.outbox
    assert "Kính gửi đồng chí Phan Văn Cơ Sở," in message.body
    other = Client()
    done = set_password(other, last_link_to("coso@xts.vn"))
    assert done.redirect_chain[-1][0] == reverse("home")
    assert "Phan Văn Cơ Sở" in done.content.decode()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"scope": "HU2"}, "Không có đảng bộ nào có mã này trong phạm vi của đồng chí."),
        ({"scope": "XA-AP1"}, "Không có đảng bộ nào có mã này trong phạm vi của đồng chí."),
        ({"role": "cadre"}, "Hãy chọn một lựa chọn hợp lệ."),
        ({"email": "STAFF@hocmon.vn"}, "Địa chỉ thư điện tử này đã được một tài khoản khác sử dụng."),
    ],
    ids=["other-root", "a-cell", "cadre-role", "duplicate-email"],
)
def test_a_login_outside_the_subtree_or_duplicate_is_refused(client, staff, data, error):
    staff.email = "staff@hocmon.vn"
    staff.save(update_fields=["email"])
    client.force_login(staff)
    before = get_user_model().objects.count()
    fields = {"full_name": "A B", "email": "ab@hocmon.vn", "role": "leadership", "scope": "HU", **data}
    response = client.post(CREATE, fields)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert get_user_model().objects.count() == before and mail.outbox == []


# --- Deactivating and reactivating ------------------------------------------------------------------------
def test_deactivation_asks_first_then_ends_sessions_and_the_feed_at_once(client, staff, cadre_user):
    cadre_client = signed_in(cadre_user)
    assert cadre_client.get(reverse("assignments:my_visits")).status_code == 200
    feed = calendar_feed_create(cadre=cadre_user.cadre)
    feed_url = reverse("assignments:calendar_feed", args=[feed.token])
    assert cadre_client.get(feed_url).status_code == 200

    client.force_login(staff)
    url = reverse("cells:login_deactivate", args=[cadre_user.pk])
    confirm = client.get(url).content.decode()
    assert "Khóa tài khoản cadre (Cadre)?" in confirm and "Đồng ý khóa" in confirm
    cadre_user.refresh_from_db()
    assert cadre_user.is_active  # the page only asked
    response = client.post(url, follow=True)
    assert "Đã khóa tài khoản cadre." in response.content.decode()
    cadre_user.refresh_from_db()
    assert not cadre_user.is_active
    assert not any(s.get_decoded().get("_auth_user_id") == str(cadre_user.pk) for s in Session.objects.all())

    refused = cadre_client.get(reverse("assignments:my_visits"))
    assert refused.status_code == 302 and refused["Location"].startswith(reverse("login"))
    assert Client().get(feed_url).status_code == 404
    login = Client().post(reverse("login"), {"username": "cadre", "password": PASSWORD})
    assert login.status_code == 200  # the form again: an inactive login cannot sign in
    assert "Đã khóa" in client.get(LIST, {"q": "cadre"}).content.decode()


def test_an_inactive_users_session_is_refused_even_if_it_survived(staff, cadre_user):
    """Belt and braces: a session left behind (e.g. in another store) is not honoured either."""
    cadre_client = signed_in(cadre_user)
    type(cadre_user).objects.filter(pk=cadre_user.pk).update(is_active=False)
    response = cadre_client.get(reverse("assignments:my_visits"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_staff_cannot_deactivate_themselves(client, staff):
    client.force_login(staff)
    url = reverse("cells:login_deactivate", args=[staff.pk])
    response = client.post(url, follow=True)
    assert "Đồng chí không thể tự khóa tài khoản của mình." in response.content.decode()
    staff.refresh_from_db()
    assert staff.is_active
    assert f'href="{url}"' not in client.get(LIST).content.decode()


def test_reactivation_asks_first_and_lets_the_login_sign_in_again(client, staff, leader):
    leader.is_active = False
    leader.save(update_fields=["is_active"])
    client.force_login(staff)
    url = reverse("cells:login_reactivate", args=[leader.pk])
    assert "Mở lại tài khoản leader (Leader)?" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "Đã mở lại tài khoản leader." in response.content.decode()
    assert signed_in(leader).get(reverse("home")).status_code == 200


def test_another_roots_login_is_not_found(client, outsider, grassroots):
    client.force_login(outsider)
    for name in ("cells:login_deactivate", "cells:login_reactivate"):
        assert client.post(reverse(name, args=[grassroots.pk])).status_code == 404
    grassroots.refresh_from_db()
    assert grassroots.is_active


def test_resend_is_refused_once_a_password_is_set(client, staff, grassroots):
    client.force_login(staff)
    response = client.post(reverse("cells:login_resend", args=[grassroots.pk]), follow=True)
    assert "Tài khoản này đã đặt mật khẩu hoặc không có địa chỉ thư điện tử." in response.content.decode()
    assert mail.outbox == []


def test_an_invited_login_gets_the_invitation_again_from_the_list(client, staff, tree, committed):
    from cells.logins.services import login_create

    committed(lambda: login_create(email="lanh.dao@hocmon.vn", role=Role.LEADERSHIP, scope=tree.root))
    client.force_login(staff)
    page = client.get(LIST, {"q": "lanh"}).content.decode()
    assert "Gửi lại thư mời" in page and "Đã mời ngày" in page
    user = get_user_model().objects.get(username="lanh.dao@hocmon.vn")
    url = reverse("cells:login_resend", args=[user.pk])
    response = committed(lambda: client.post(url, {"next": f"{LIST}?q=lanh"}, follow=True))
    assert response.redirect_chain[-1][0] == f"{LIST}?q=lanh"
    assert "Đã gửi lại thư mời đến lanh.dao@hocmon.vn." in response.content.decode()
    assert len(mail.outbox) == 2
    assert "Gửi lại thư mời" not in client.get(LIST, {"q": "grassroots"}).content.decode()
