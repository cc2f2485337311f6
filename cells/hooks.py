"""Extension points for the apps to the right of cells.

cells may never import assignments or reports (ARCHITECTURE.md: data flows one way), yet a moved or
cancelled meeting must carry its planned visits along and tell the assigned cadres. The apps that care
register a listener here from their AppConfig.ready(); the cells services call it inside their transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum


class MeetingChange(StrEnum):
    MOVED = "moved"
    CANCELLED = "cancelled"


MeetingListener = Callable[..., None]
_meeting_listeners: list[MeetingListener] = []


def on_meeting_changed(listener: MeetingListener) -> MeetingListener:
    """Register ``listener(*, meeting, change, by)``; registering twice is harmless."""
    if listener not in _meeting_listeners:
        _meeting_listeners.append(listener)
    return listener


def meeting_changed(*, meeting, change: MeetingChange, by=None) -> None:
    for listener in _meeting_listeners:
        listener(meeting=meeting, change=change, by=by)
