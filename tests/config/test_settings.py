"""Settings come from the environment and refuse values they cannot parse (docs/operations.md, settings).

Each case starts a new process with ``config.settings.base``: a typo in production must stop the
process at start-up, naming the variable, instead of running on a default nobody asked for.
"""

from __future__ import annotations

import json
import secrets

import pytest

from tests.config.processes import project_env, run_manage, run_python

SETUP = "import django; django.setup()"
PROBE = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG,
    "SECRET_KEY_SET": bool(s.SECRET_KEY),
    "LANGUAGE_CODE": s.LANGUAGE_CODE,
    "LANGUAGES": [code for code, _name in s.LANGUAGES],
    "TIME_ZONE": s.TIME_ZONE,
    "USE_TZ": s.USE_TZ,
    "CELERY_TIMEZONE": s.CELERY_TIMEZONE,
    "CELERY_TASK_ALWAYS_EAGER": s.CELERY_TASK_ALWAYS_EAGER,
    "CELERY_BROKER_URL": s.CELERY_BROKER_URL,
    "CELERY_RESULT_BACKEND": s.CELERY_RESULT_BACKEND,
    "CACHE_BACKEND": s.CACHES["default"]["BACKEND"],
    "DB_ENGINE": s.DATABASES["default"]["ENGINE"],
    "DB_NAME": str(s.DATABASES["default"]["NAME"]),
    "AXES_FAILURE_LIMIT": s.AXES_FAILURE_LIMIT,
    "AXES_COOLOFF_MINUTES": s.AXES_COOLOFF_TIME.total_seconds() / 60,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
}))
"""


def probe(**env: str | None) -> dict:
    result = run_python(PROBE, project_env(**env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def refused(**env: str | None) -> str:
    """Start Django with ``env``; it must refuse with ImproperlyConfigured. Returns the error text."""
    result = run_python(SETUP, project_env(**env))
    assert result.returncode != 0, f"started with {env}"
    assert "ImproperlyConfigured" in result.stderr, result.stderr
    return result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("value", ["maybe", "2", "enabled"])
def test_debug_that_is_not_a_boolean_stops_start_up_naming_debug(value):
    error = refused(DEBUG=value, SECRET_KEY="x" * 50)
    assert "DEBUG" in error
    assert value in error


@pytest.mark.parametrize("value", ["nonsense", "mysql://root@db/x", "127.0.0.1:5432/partycell"])
def test_database_url_that_is_not_sqlite_or_postgres_is_refused(value):
    error = refused(DEBUG="true", DATABASE_URL=value)
    assert "DATABASE_URL" in error


@pytest.mark.parametrize("value", ["http://x", "localhost:6379", "amqp://guest@localhost//"])
def test_redis_url_that_is_not_redis_is_refused(value):
    error = refused(DEBUG="true", REDIS_URL=value)
    assert "REDIS_URL" in error


@pytest.mark.parametrize("debug", ["false", None])
def test_debug_off_without_secret_key_is_refused(debug):
    error = refused(DEBUG=debug, SECRET_KEY=None)
    assert "SECRET_KEY" in error


@pytest.mark.parametrize(
    "name", ["AXES_FAILURE_LIMIT", "AXES_COOLOFF_MINUTES", "EMAIL_PORT", "SECURE_HSTS_SECONDS"]
)
def test_whole_number_settings_refuse_words(name):
    error = refused(DEBUG="true", **{name: "five"})
    assert name in error


@pytest.mark.parametrize("name,value", [("AXES_FAILURE_LIMIT", "0"), ("AXES_COOLOFF_MINUTES", "-5")])
def test_lockout_numbers_below_one_are_refused(name, value):
    """A limit of 0 would lock every login out; a negative cool-off would never lock anyone."""
    error = refused(DEBUG="true", **{name: value})
    assert name in error
    assert "at least 1" in error


@pytest.mark.parametrize("name", ["EMAIL_USE_TLS", "SECURE_SSL_REDIRECT"])
def test_boolean_settings_refuse_words(name):
    error = refused(DEBUG="true", **{name: "sometimes"})
    assert name in error


def test_development_defaults_need_no_environment_beyond_debug():
    values = probe(DEBUG="true")
    assert values["DEBUG"] is True
    assert values["SECRET_KEY_SET"] is True  # a development key, only ever used with DEBUG on
    assert values["LANGUAGE_CODE"] == "vi"
    assert values["LANGUAGES"] == ["vi", "en"]
    assert values["TIME_ZONE"] == "Asia/Ho_Chi_Minh"
    assert values["USE_TZ"] is True
    assert values["CELERY_TIMEZONE"] == "Asia/Ho_Chi_Minh"
    assert values["DB_ENGINE"] == "django.db.backends.sqlite3"
    assert values["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost"]
    assert values["AXES_FAILURE_LIMIT"] == 5
    assert values["AXES_COOLOFF_MINUTES"] == 15


def test_without_redis_tasks_run_eagerly_with_no_broker():
    values = probe(DEBUG="true", REDIS_URL=None)
    assert values["CELERY_TASK_ALWAYS_EAGER"] is True
    assert values["CELERY_BROKER_URL"] == "memory://"
    assert values["CELERY_RESULT_BACKEND"] is None


def test_with_redis_tasks_go_to_the_broker_and_the_cache_uses_redis():
    values = probe(DEBUG="true", REDIS_URL="redis://127.0.0.1:6379/3")
    assert values["CELERY_TASK_ALWAYS_EAGER"] is False
    assert values["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/3"
    assert values["CELERY_RESULT_BACKEND"] == "redis://127.0.0.1:6379/3"
    assert values["CACHE_BACKEND"] == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize("word,expected", [("yes", True), ("1", True), ("OFF", False), ("0", False)])
def test_boolean_words_are_understood(word, expected):
    values = probe(DEBUG=word, SECRET_KEY="k" * 50)
    assert values["DEBUG"] is expected


def test_numbers_and_lists_from_the_environment_are_used():
    values = probe(
        DEBUG="false",
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS="example.org, www.example.org",
        AXES_FAILURE_LIMIT="3",
        AXES_COOLOFF_MINUTES="30",
        DATABASE_URL="postgres://partycell@db.internal:5432/partycell",
    )
    assert values["ALLOWED_HOSTS"] == ["example.org", "www.example.org"]
    assert values["AXES_FAILURE_LIMIT"] == 3
    assert values["AXES_COOLOFF_MINUTES"] == 30
    assert values["DB_ENGINE"] == "django.db.backends.postgresql"
    assert values["DB_NAME"] == "partycell"
    # Production is strict by default: secure cookies and HTTPS only.
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True


def test_production_settings_pass_the_deployment_checklist():
    env = project_env(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org",
    )
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output


def test_deployment_checklist_fails_with_a_weak_secret_key():
    """The check above can fail: a short key is reported (security.W009) and fails the run."""
    env = project_env(DEBUG="false", SECRET_KEY="short", ALLOWED_HOSTS="example.org")
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr
