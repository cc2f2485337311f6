"""Celery: a real worker consumes from Redis in CI; with no Redis, tasks run in-process."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from celery import Celery
from django.conf import settings

from tests.config.processes import BASE_DIR, project_env, run_python
from tests.conftest import require

WORKER_READY_TIMEOUT = 30


def _worker_env() -> dict[str, str]:
    return project_env(
        DEBUG="true",
        REDIS_URL=settings.REDIS_URL,
        DATABASE_URL=os.environ.get("DATABASE_URL"),
    )


def _start_worker(queue: str) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker",
        "--pool=solo", "--concurrency=1", "-Q", queue, "-n", f"{queue}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
    ]  # fmt: skip
    return subprocess.Popen(
        command,
        cwd=BASE_DIR,
        env=_worker_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _stop(worker: subprocess.Popen) -> str:
    worker.terminate()
    try:
        output, _ = worker.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        output, _ = worker.communicate()
    return output


@pytest.mark.redis
def test_a_real_worker_answers_the_health_task_through_redis():
    require(bool(settings.REDIS_URL), "REDIS_URL is not set: no broker for a real worker")
    queue = f"probe-{uuid.uuid4().hex[:12]}"
    token = uuid.uuid4().hex
    # A producer of our own: the test settings force eager mode on the project's app.
    producer = Celery("probe", broker=settings.REDIS_URL, backend=settings.REDIS_URL)
    worker = _start_worker(queue)
    output = ""
    try:
        result = producer.send_task("config.health", args=[token], queue=queue)
        assert result.get(timeout=WORKER_READY_TIMEOUT) == f"pong:{token}"
        assert result.successful()
    finally:
        output = _stop(worker)
        producer.close()
    assert "config.health" in output  # the worker registered and ran the project's task


EAGER_PROBE = """
import django
django.setup()
from django.conf import settings
from config.celery import app, health
result = health.delay("eager")
print(settings.CELERY_TASK_ALWAYS_EAGER, app.conf.task_always_eager, type(result).__name__, result.get())
"""


def test_without_redis_tasks_run_eagerly_in_process():
    result = run_python(EAGER_PROBE, project_env(DEBUG="true", REDIS_URL=None))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "EagerResult", "pong:eager"]


def test_the_test_suite_runs_tasks_eagerly():
    from config.celery import health

    assert health.delay("suite").get() == "pong:suite"
