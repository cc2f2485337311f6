"""Irreversible actions ask first, on a page that works without JavaScript (a link to the question, a
form to confirm, a link back), in Vietnamese: finalizing a report and turning the calendar link off."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from assignments.cadre_pages.feeds import calendar_feed_create
from assignments.models import CalendarFeed
from tests.reports.periodic.test_report_pages import make_report

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))
    return re.sub(r" ([.,;:?])", r"\1", text)


def link(response, text: str) -> str:
    for href, body in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', response.content.decode(), re.S):
        if text in unescape(re.sub(r"<[^>]+>", " ", body)):
            return unescape(href)
    raise AssertionError(f"no link {text!r}")


def test_leadership_are_asked_before_a_report_is_finalized(tree, staff, leader, client_for):
    report = make_report(tree, staff)
    client = client_for(leader)
    page = client.get(report.get_absolute_url())
    question = client.get(link(page, "Ban hành chính thức"))
    text = text_of(question)
    assert "Ban hành chính thức báo cáo" in text and "Thao tác này không thể hoàn tác" in text
    assert 'method="post"' in question.content.decode()
    back = client.get(link(question, "Không, quay lại báo cáo"))
    assert back.request["PATH_INFO"] == report.get_absolute_url()
    report.refresh_from_db()
    assert not report.is_final

    done = client.post(question.request["PATH_INFO"], follow=True)
    report.refresh_from_db()
    assert report.is_final and report.document_number == "1-BC/HU"
    assert "Đã ban hành báo cáo số 1-BC/HU." in text_of(done)
    assert "Số 1-BC/HU" in text_of(done)


def test_the_cadre_is_asked_before_the_calendar_link_is_turned_off(personas, client_for):
    cadre = personas["cadre"]
    feed = calendar_feed_create(cadre=cadre.cadre)
    client = client_for(cadre)
    calendar = client.get(reverse("assignments:my_calendar"))
    question = client.get(link(calendar, "Tắt đường dẫn"))
    text = text_of(question)
    assert "Tắt đường dẫn lịch?" in text and "sẽ ngừng hoạt động vĩnh viễn" in text
    back = client.get(link(question, "Không, giữ đường dẫn"))
    assert feed.token in back.content.decode()  # kept
    feed.refresh_from_db()
    assert feed.revoked_at is None

    done = client.post(question.request["PATH_INFO"], follow=True)
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert "Đã tắt đường dẫn lịch của bạn." in text_of(done)
    assert not CalendarFeed.objects.filter(cadre=cadre.cadre, revoked_at__isnull=True).exists()


def test_turning_off_a_link_that_is_already_off_goes_back_to_the_calendar(personas, client_for):
    client = client_for(personas["cadre"])
    response = client.get(reverse("assignments:my_calendar_revoke"))
    assert response.status_code == 302 and response.url == reverse("assignments:my_calendar")
