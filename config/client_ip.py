"""The client's address as the lockout sees it.

Behind a reverse proxy every request arrives from the proxy's address, so one person's failed logins
would lock a username for everybody. With ``TRUSTED_PROXY_COUNT=N`` the address is read from
X-Forwarded-For, N entries from the right (the ones our own proxies appended); a client cannot spoof it
by sending its own header, because entries to the left of those are ignored.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
