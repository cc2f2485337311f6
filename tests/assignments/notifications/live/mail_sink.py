"""An e-mail backend that delivers into a file, for tests and benchmarks that run real worker processes.

``locmem`` keeps its outbox inside one process; the workers here are other processes. Each delivered
message appends one line, ``<recipients>\\t<subject>``, to ``MAIL_SINK_FILE`` with a single ``write`` on
a file opened with O_APPEND, so several workers can share the file and the test counts deliveries per
address exactly. Two more variables, read from the environment at each send:

- ``MAIL_SINK_STARTED``: a second file that gets a line as each send *begins*;
- ``MAIL_SINK_HANG_AT``: the send that begins as the N-th line of that file never ends (as with an SMTP
  server that stopped answering), so a test knows its worker is inside a send when it kills it.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

HANG_SECONDS = 600  # longer than any test waits: the worker is killed first


def _append(path: str, line: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, line.encode())
    finally:
        os.close(descriptor)


def _clean(text: str) -> str:
    return " ".join(text.split())  # one line per message, whatever the subject holds


class EmailBackend(BaseEmailBackend):
    def send_messages(self, messages) -> int:
        sink = os.environ["MAIL_SINK_FILE"]
        started = os.environ.get("MAIL_SINK_STARTED")
        hang_at = int(os.environ.get("MAIL_SINK_HANG_AT") or 0)
        sent = 0
        for message in messages:
            line = f"{','.join(message.recipients())}\t{_clean(str(message.subject))}\n"
            if started:
                _append(started, line)
                if hang_at and len(read_lines(started)) >= hang_at:
                    time.sleep(HANG_SECONDS)
            _append(sink, line)
            sent += 1
        return sent


def read_lines(path: str | Path) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except FileNotFoundError:
        return []


def deliveries(path: str | Path) -> Counter[str]:
    """How many messages each address received."""
    counts: Counter[str] = Counter()
    for line in read_lines(path):
        recipients, _tab, _subject = line.partition("\t")
        counts.update(address for address in recipients.split(",") if address)
    return counts
