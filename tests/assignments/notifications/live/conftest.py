"""Fixtures of the live reminder tests: real Celery workers on a real Redis, sharing the test's PostgreSQL
database, delivering into a file sink.

Each test gets a queue of its own on the Redis of REDIS_URL (``live``), or a redis-server of its own
(``private_live``) when it stops Redis or shortens the broker's visibility timeout: those must never touch
the Redis other tests use. Locally without PostgreSQL or Redis the tests skip; in CI they fail.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection

from tests.assignments.notifications.live.harness import Live, PrivateRedis, Sink
from tests.conftest import require


def _require_services() -> None:
    # The workers are other processes: they must reach the very database the test writes to.
    require(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL: workers need it")
    require(bool(settings.REDIS_URL), "REDIS_URL is not set: no broker for real workers")


def _sink(tmp_path) -> Sink:
    return Sink(delivered=tmp_path / "delivered.txt", started=tmp_path / "started.txt")


@pytest.fixture
def live(tmp_path) -> Iterator[Live]:
    """Workers and jobs on the suite's Redis, in a queue of their own."""
    _require_services()
    harness = Live(workdir=tmp_path, broker=settings.REDIS_URL, sink=_sink(tmp_path))
    try:
        yield harness
    finally:
        harness.close()


@pytest.fixture
def private_redis(tmp_path) -> Iterator[PrivateRedis]:
    _require_services()
    require(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = PrivateRedis(tmp_path).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def private_live(tmp_path, private_redis) -> Iterator[Live]:
    """Workers and jobs on a redis-server of the test's own (which the test may stop)."""
    harness = Live(workdir=tmp_path, broker=private_redis.url, sink=_sink(tmp_path))
    try:
        yield harness
    finally:
        harness.close()
