"""Every page of the shell is Vietnamese by default and English after the user switches language."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from tests.conftest import PASSWORD

# Characteristic words of each page, Vietnamese then English.
LOGIN = (["Đăng nhập", "Tên đăng nhập", "Mật khẩu"], ["Log in", "Username", "Password"])
SHELL = (["Trang chủ", "Đăng xuất", "Đổi mật khẩu"], ["Home", "Log out", "Change password"])
HOME = (["Xin chào, "], ["Welcome, "])
ROLE_LABELS = {
    "staff": ("Cán bộ Ban Tổ chức", "Organization staff"),
    "leader": ("Ban Thường vụ", "Leadership"),
    "cadre": ("vai trò Cán bộ.", "as Cadre."),
    "grassroots": ("Cán bộ cơ sở", "Grassroots staff"),
    "outsider": ("Cán bộ Ban Tổ chức", "Organization staff"),
}
PASSWORD_CHANGE = (["Đổi mật khẩu", "Mật khẩu cũ", "Xác nhận mật khẩu mới"], ["Old password", "New password"])
PASSWORD_DONE = (["Mật khẩu của bạn đã được thay đổi.", "Về trang chủ"], ["Your password was changed."])
FORBIDDEN = (
    ["Không được phép", "Vai trò của bạn không được phép"],
    ["Not allowed", "Your role does not allow"],
)
NOT_FOUND = (["Không tìm thấy trang", "Về trang chủ"], ["Page not found", "Back to the home page"])
SERVER_ERROR = (["Lỗi máy chủ", "Hệ thống gặp sự cố"], ["Server error", "Something went wrong"])
VI, EN = 0, 1


def choose_language(client, code: str) -> None:
    response = client.post(reverse("set_language"), {"language": code, "next": reverse("home")})
    assert response.status_code == 302


def assert_page(page: str, words: tuple[list[str], list[str]], language: int) -> None:
    code = ("vi", "en")[language]
    assert f'<html lang="{code}">' in page
    for word in words[language]:
        assert word in page, f"{word!r} missing from the {code} page"
    for word in words[1 - language]:
        assert word not in page, f"{word!r} (other language) on the {code} page"


def get(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


@pytest.mark.parametrize("language", [VI, EN])
def test_login_page(client, db, language):
    if language == EN:
        choose_language(client, "en")
    assert_page(get(client, reverse("login")), LOGIN, language)


@pytest.mark.parametrize("language", [VI, EN])
@pytest.mark.parametrize("persona", list(ROLE_LABELS))
def test_home_page_of_each_persona(client_for, personas, persona, language):
    client = client_for(personas[persona])
    if language == EN:
        choose_language(client, "en")
    page = get(client, reverse("home"))
    assert_page(page, SHELL, language)
    assert_page(page, HOME, language)
    assert ROLE_LABELS[persona][language] in page


@pytest.mark.parametrize("language", [VI, EN])
def test_password_pages(client_for, staff, language):
    client = client_for(staff)
    if language == EN:
        choose_language(client, "en")
    assert_page(get(client, reverse("password_change")), PASSWORD_CHANGE, language)
    assert_page(get(client, reverse("password_change_done")), PASSWORD_DONE, language)


@pytest.mark.parametrize("language", [VI, EN])
def test_forbidden_page_through_a_page_the_role_may_not_use(client_for, cadre_user, language):
    client = client_for(cadre_user)  # only organization staff may import
    if language == EN:
        choose_language(client, "en")
    page = get(client, reverse("cells:import_upload"), status=403)
    assert_page(page, FORBIDDEN, language)
    assert_page(page, SHELL, language)  # the shell around it, with the user's menu


@pytest.mark.parametrize("language", [VI, EN])
def test_not_found_page_for_an_unknown_address(client_for, staff, language):
    client = client_for(staff)
    if language == EN:
        choose_language(client, "en")
    assert_page(get(client, "/khong-co-trang-nay/", status=404), NOT_FOUND, language)


def test_not_found_page_for_an_anonymous_visitor(client, db):
    assert_page(get(client, "/khong-co-trang-nay/", status=404), NOT_FOUND, VI)


@pytest.mark.parametrize("language", [VI, EN])
def test_server_error_page(db, language):
    """What Django's handler500 renders: templates/500.html, with no context and no database."""
    with translation.override(("vi", "en")[language]):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert_page(response.content.decode(), SERVER_ERROR, language)


def test_switching_back_to_vietnamese(client_for, staff):
    client = client_for(staff)
    choose_language(client, "en")
    assert_page(get(client, reverse("home")), SHELL, EN)
    choose_language(client, "vi")
    assert_page(get(client, reverse("home")), SHELL, VI)


def test_the_browser_language_does_not_override_vietnamese(client, db):
    """Many users run English browsers; the page stays Vietnamese until they press EN."""
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert_page(response.content.decode(), LOGIN, VI)
    assert response["Content-Language"] == "vi"
    vary = {part.strip() for part in response["Vary"].split(",")}
    assert "Cookie" in vary  # caches must key pages on the language cookie
    assert "Accept-Language" not in vary


def test_an_unknown_language_cookie_falls_back_to_vietnamese(client, db):
    client.cookies["django_language"] = "fr"
    assert_page(get(client, reverse("login")), LOGIN, VI)


def test_the_chosen_language_survives_logging_in(client, staff):
    choose_language(client, "en")
    client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert_page(get(client, reverse("home")), SHELL, EN)


def test_the_language_switcher_is_a_post_form_back_to_the_same_page(client_for, staff):
    page = get(client_for(staff), reverse("password_change"))
    assert f'action="{reverse("set_language")}" method="post"' in page
    assert f'name="next" value="{reverse("password_change")}"' in page
    assert 'name="language" value="en"' in page
    assert 'name="language" value="vi"' in page
