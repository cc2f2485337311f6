"""The page shell for keyboard and screen-reader users: the skip link, the bell's name, one-button forms."""

from __future__ import annotations

import lxml.html
from django.urls import reverse

from assignments.models import Notification

NOTIFICATIONS = reverse("assignments:notification_list")
MY_VISITS = reverse("assignments:my_visits")


def _page(response):
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def _notices(user, count: int) -> list[Notification]:
    return [
        Notification.objects.create(recipient=user, kind="nudge", period=f"2026-0{n + 1}", text=f"Nhắc {n}")
        for n in range(count)
    ]


def test_the_skip_link_is_the_first_link_and_leads_to_the_main_content(personas, client_for):
    page = _page(client_for(personas["staff"]).get(reverse("home")))
    first = page.xpath("//body//a | //body//button | //body//input | //body//select | //body//textarea")[0]
    assert first.tag == "a" and first.get("href") == "#main"
    assert "visually-hidden-focusable" in first.get("class").split()
    assert first.text_content().strip() == "Bỏ qua, đến nội dung chính"
    main = page.xpath("//main")
    assert len(main) == 1 and main[0].get("id") == "main" and main[0].get("tabindex") == "-1"


def test_the_skip_link_is_there_before_logging_in_too(client):
    page = _page(client.get(reverse("login")))
    first = page.xpath("//body//a")[0]
    assert first.get("href") == "#main" and page.get_element_by_id("main").tag == "main"


def test_the_skip_link_in_english(personas, client_for, settings):
    settings.LANGUAGE_CODE = "en"
    client = client_for(personas["staff"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    first = _page(client.get(reverse("home"))).xpath("//body//a")[0]
    assert first.text_content().strip() == "Skip to main content"


def test_the_bell_says_how_many_notices_are_unread(personas, client_for):
    user = personas["cadre"]
    _notices(user, 3)
    bell = _page(client_for(user).get(MY_VISITS)).xpath("//*[@data-testid='notifications']")[0]
    assert bell.get("aria-label") == "Thông báo, 3 chưa đọc"
    assert bell.xpath(".//*[@data-testid='unread-count']")[0].text_content() == "3 chưa đọc"


def test_the_bell_with_nothing_unread_is_just_notifications(personas, client_for):
    user = personas["cadre"]
    notice = _notices(user, 1)[0]
    client = client_for(user)
    client.post(reverse("assignments:notification_read", args=[notice.pk]))
    page = _page(client.get(MY_VISITS))
    bell = page.xpath("//*[@data-testid='notifications']")[0]
    assert bell.get("aria-label") == "Thông báo"
    assert not page.xpath("//*[@data-testid='unread-count']")


def test_mark_as_read_is_a_one_button_form_that_still_posts(personas, client_for):
    user = personas["cadre"]
    notice = _notices(user, 1)[0]
    client = client_for(user)
    page = _page(client.get(NOTIFICATIONS))
    button = page.xpath("//button[@data-testid='mark-read']")[0]
    form = button.getparent()
    assert form.tag == "form" and form.get("method") == "post"
    assert form.get("action") == reverse("assignments:notification_read", args=[notice.pk])
    assert form.xpath("./input[@name='csrfmiddlewaretoken']")
    assert button.get("type") == "submit" and button.text_content().strip() == "Đánh dấu đã đọc"

    response = client.post(form.get("action"))
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert not _page(client.get(NOTIFICATIONS)).xpath("//button[@data-testid='mark-read']")
