"""Permission cases, one module per area. Each module defines ``CASES``: a list of ``Case``.

tests/test_permission_matrix.py runs every case for every persona, and fails for any URL pattern of
ours that has no case, so a new view cannot land without an access rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = ("anonymous", "staff", "leader", "cadre", "grassroots", "outsider")


@dataclass(frozen=True)
class Case:
    """GET ``url_name`` with ``kwargs(world)`` as each persona; ``expect`` maps persona -> status.

    ``world`` is the fixture in tests/test_permission_matrix.py: ``world.tree`` (see tests/conftest.py),
    ``world.meeting`` and ``world.member`` (in ``tree.cell``), ``world.cadre``.
    Personas left out of ``expect`` default to ``default`` (anonymous users always expect a redirect
    to the login page unless the case says otherwise). ``query`` is appended to the URL (e.g.
    "?export=csv") so exports are checked as their own entries.
    """

    url_name: str
    expect: dict[str, int]
    kwargs: Callable = field(default=lambda world: {})
    default: int = 403
    query: str = ""

    def expected(self, persona: str) -> int:
        if persona in self.expect:
            return self.expect[persona]
        return 302 if persona == "anonymous" else self.default
