"""Writes of a cadre's personal calendar feed: one active secret token per cadre, revocable.

The token is the only key to the feed (calendar apps cannot log in), so it is long and random, and a new
one is drawn every time: a link that was revoked or replaced never works again.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from assignments.models import Cadre, CalendarFeed

TOKEN_BYTES = 32  # 43 URL-safe characters


def _new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


@transaction.atomic
def calendar_feed_create(*, cadre: Cadre) -> CalendarFeed:
    """Give the cadre a feed with a fresh token; any earlier link of theirs stops working."""
    feed = CalendarFeed.objects.select_for_update().filter(cadre=cadre).first()
    if feed is None:
        feed = CalendarFeed(cadre=cadre)
    feed.token = _new_token()
    feed.revoked_at = None
    feed.created_at = timezone.now()
    feed.full_clean()
    feed.save()
    return feed


@transaction.atomic
def calendar_feed_revoke(*, cadre: Cadre) -> bool:
    """Turn the cadre's feed off; its URL answers 404 from now on. False when there was none to revoke."""
    feed = CalendarFeed.objects.select_for_update().filter(cadre=cadre, revoked_at__isnull=True).first()
    if feed is None:
        return False
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    return True
