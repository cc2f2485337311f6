"""Reading invitation and reset e-mails as the person would: the link in the body, followed by the client."""

from __future__ import annotations

import re

from django.conf import settings
from django.core import mail

LINK = re.compile(r"https?://\S+/accounts/reset/[^/\s]+/[^/\s]+/")
NEW_PASSWORD = "Chi-bo-ap-1-sinh-hoat-2026"


def link_in(message) -> str:
    """The set-password link of an e-mail, as a path the test client can open."""
    found = LINK.search(message.body)
    assert found, f"no set-password link in: {message.body}"
    url = found.group(0)
    assert url.startswith(settings.SITE_URL)
    return url[len(settings.SITE_URL) :]


def last_link_to(address: str) -> str:
    messages = [message for message in mail.outbox if address in message.to]
    assert messages, f"no e-mail to {address}"
    return link_in(messages[-1])


def set_password(client, path: str, password: str = NEW_PASSWORD):
    """Open the link, then submit the new password twice; returns the final response (followed)."""
    opened = client.get(path, follow=True)
    assert opened.status_code == 200
    form_url = opened.redirect_chain[-1][0] if opened.redirect_chain else path
    return client.post(form_url, {"new_password1": password, "new_password2": password}, follow=True)
