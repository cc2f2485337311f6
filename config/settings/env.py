"""Reading settings from the environment, failing loudly on values we cannot parse.

A typo such as ``DEBUG=maybe`` must stop the process at start-up rather than silently
run with a default the operator did not ask for.
"""

from __future__ import annotations

import os

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}
DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql"}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip()


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if value is None:
        return default
    word = value.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean; use one of {sorted(TRUE_WORDS | FALSE_WORDS)}"
    )


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    value = env_str(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={value!r} must be at least {minimum}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_database(name: str, default: str) -> dict:
    url = env_str(name, default)
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in DATABASE_SCHEMES:
        raise ImproperlyConfigured(
            f"{name}={url!r} is not a database URL; expected sqlite:///file or postgres://user@host/db"
        )
    config = environ.Env.db_url_config(url)
    if config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_HEALTH_CHECKS"] = True
        # The app's queries are short; JIT compilation only adds latency to the subtree counts.
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return config


def env_redis(name: str) -> str | None:
    url = env_str(name)
    if url is not None and not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"{name}={url!r} is not a Redis URL (redis://host:port/db)")
    return url


def env_dates(name: str) -> list[str]:
    """Comma-separated ISO dates (2026-02-16,2026-02-17); a value that is not a date stops the start."""
    from datetime import date

    values = env_list(name, [])
    for value in values:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None
    return values
