"""Helpers to start the project in a child process with an environment the test chooses.

Settings are read once per process, so checking how they react to the environment needs a new process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Only what a process needs to run; everything the project reads comes from the test.
_KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def project_env(**values: str | None) -> dict[str, str]:
    """A clean environment for ``config.settings.base`` plus ``values`` (None leaves a name out)."""
    env = {name: os.environ[name] for name in _KEPT if name in os.environ}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update({name: value for name, value in values.items() if value is not None})
    return env


def run_python(code: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_manage(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
