"""Real processes for the reminder tests: Celery workers, ``manage.py`` jobs, a private Redis server.

Every process gets a clean environment (tests/config/processes.py) pointing at the test's own PostgreSQL
database (the one pytest-django created, so the workers see what the test committed), a broker and a
queue of the test's own, and the file e-mail sink (tests/assignments/notifications/live/mail_sink.py).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import redis
from django.db import connection

from tests.assignments.notifications.live.mail_sink import deliveries, read_lines
from tests.config.processes import BASE_DIR, project_env

SINK_BACKEND = "tests.assignments.notifications.live.mail_sink.EmailBackend"
READY_TIMEOUT = 30


def database_url() -> str:
    """The test database (test_<name>, with the xdist suffix) as a DATABASE_URL for other processes."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    """A TCP port nothing listens on (yet)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], bool], timeout: float, what: str, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")
        time.sleep(interval)


def _stop(process: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM, then SIGKILL if it does not end in time."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- Redis ------------------------------------------------------------------------------------------------
class PrivateRedis:
    """A redis-server of the test's own, on a free port, with no persistence: stopping it stops only it."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = workdir / f"redis-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> PrivateRedis:
        command = [
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--logfile", str(self.log),
        ]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        wait_until(self.answers, 10, f"redis-server on port {self.port}")
        return self

    def answers(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.2).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process, timeout=10)
            self.process = None


# --- The e-mail sink --------------------------------------------------------------------------------------
@dataclass
class Sink:
    """The file the workers deliver into, and the file of sends begun (see mail_sink)."""

    delivered: Path
    started: Path

    def counts(self):
        return deliveries(self.delivered)

    def total(self) -> int:
        return len(read_lines(self.delivered))

    def begun(self) -> int:
        return len(read_lines(self.started))


# --- The processes of one test ----------------------------------------------------------------------------
@dataclass
class Live:
    """The environment shared by a test's workers and jobs; every process it starts is stopped at the end."""

    workdir: Path
    broker: str
    sink: Sink
    queue: str = field(default_factory=lambda: f"live-{uuid.uuid4().hex[:10]}")
    settings: dict[str, str] = field(default_factory=dict)  # extra environment for every process
    processes: list[subprocess.Popen] = field(default_factory=list)

    def env(self, **extra: str | None) -> dict[str, str]:
        values = {
            "DEBUG": "false",
            "SECRET_KEY": "live-reminder-tests-secret-key-0123456789abcdefghijklmnop",
            "DATABASE_URL": database_url(),
            "REDIS_URL": self.broker,
            "CELERY_QUEUE": self.queue,
            "EMAIL_BACKEND": SINK_BACKEND,
            "MAIL_SINK_FILE": str(self.sink.delivered),
            "MAIL_SINK_STARTED": str(self.sink.started),
            "LOG_LEVEL": "WARNING",
            **self.settings,
            **extra,
        }
        return project_env(**values)

    # Workers
    def worker(self, name: str = "w1", **extra: str | None) -> Worker:
        log = self.workdir / f"worker-{name}-{uuid.uuid4().hex[:6]}.log"
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--pool=solo", "--concurrency=1", "-Q", self.queue, "-n", f"{name}-{self.queue}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
        ]  # fmt: skip
        with log.open("w") as out:
            process = subprocess.Popen(
                command, cwd=BASE_DIR, env=self.env(**extra), stdout=out, stderr=subprocess.STDOUT
            )
        self.processes.append(process)
        worker = Worker(process, log)
        worker.wait_ready()
        return worker

    # Jobs and scripts
    def manage(self, *args: str, **extra: str | None) -> subprocess.Popen:
        """``manage.py <args>`` started (not waited for): two of them can run at once."""
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env(**extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.processes.append(process)
        return process

    def run(self, *args: str, **extra: str | None) -> str:
        """``manage.py <args>`` to its end; its output, or an assertion error with its stderr."""
        return finish(self.manage(*args, **extra))

    def start_python(self, code: str, *args: str, **extra: str | None) -> subprocess.Popen:
        """A Python script (``code``, with ``args`` in sys.argv[1:]) in the project's environment."""
        process = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            cwd=BASE_DIR,
            env=self.env(**extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.processes.append(process)
        return process

    def python(self, code: str, *args: str, **extra: str | None) -> str:
        """Run a script to its end (see start_python); its output."""
        return finish(self.start_python(code, *args, **extra))

    def close(self) -> None:
        """Kill whatever is still running: by now the test has read everything it needed."""
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait()


def finish(process: subprocess.Popen, timeout: float = 120) -> str:
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    assert process.returncode == 0, f"{process.args!r} exited with {process.returncode}:\n{err}{out}"
    return out


@dataclass
class Worker:
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self) -> None:
        def ready() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"the worker exited with {self.process.returncode}:\n{self.output()}")
            return " ready." in self.output()

        wait_until(ready, READY_TIMEOUT, "the Celery worker to be ready", interval=0.1)

    def sigkill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
