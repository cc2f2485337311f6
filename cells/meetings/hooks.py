"""Extension points for the apps to the right of cells.

cells may never import assignments or reports (docs/architecture.md: data flows one way), yet a moved or
cancelled meeting must carry its planned visits along and tell the assigned cadres. The apps that care
register a listener here from their AppConfig.ready(); the cells services call it inside their transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
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


# --- Who a change of the meeting will reach ------------------------------------------------------------
@dataclass(frozen=True)
class MeetingAudience:
    """The cadres assigned to a meeting's cell (the published list, which the cell's side may see): how
    many are told of a change by e-mail, and the names of those with no e-mail address. Nothing in it
    depends on planned visits."""

    told: int = 0
    untold: list[str] = field(default_factory=list)
    untold_count: int = 0  # all of them; ``untold`` names the first few


AudienceProvider = Callable[..., MeetingAudience]
_audience_providers: list[AudienceProvider] = []


def on_meeting_audience(provider: AudienceProvider) -> AudienceProvider:
    """Register ``provider(*, meeting) -> MeetingAudience``; registering twice is harmless."""
    if provider not in _audience_providers:
        _audience_providers.append(provider)
    return provider


def meeting_audience(*, meeting) -> MeetingAudience | None:
    """Who a move or cancellation of ``meeting`` would reach; None when no app tells anyone."""
    return _audience_providers[0](meeting=meeting) if _audience_providers else None
