"""E-mail backends for the reminder tests: one whose server refuses every message, one that fails a set
number of times before it works (class-level counters, reset by the tests)."""

from __future__ import annotations

from smtplib import SMTPServerDisconnected

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FailingBackend(LocmemBackend):
    def send_messages(self, messages):
        raise SMTPServerDisconnected("mail server down")


class FlakyBackend(LocmemBackend):
    """Fails the first ``failures`` sends, then delivers to the locmem outbox."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise SMTPServerDisconnected("mail server busy")
        return super().send_messages(messages)
