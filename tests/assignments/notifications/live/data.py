"""The committee of the live tests: a root with its staff, four cells with a meeting each, and ``count``
cadres with logins in an issued plan of next year (so every e-mail is inside its grace window)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from assignments.models import Cadre, Notification
from cells.access.roles import Role
from cells.logins.services import user_create
from cells.models import Meeting, Organization
from tests.assignments.visits.factories import issued_plan, meeting_on, next_year
from tests.factories import CadreFactory, CellFactory, OrganizationFactory

PASSWORD = "live-reminders-password"
CELLS = 4


@dataclass
class Committee:
    year: int
    root: Organization
    staff: object  # the organization staff login
    cells: list[Organization]
    cadres: list[Cadre]
    meetings: list[Meeting]  # one per cell, on the 10th of March

    @property
    def first_of_march(self) -> str:
        return f"{self.year}-03-01"

    @property
    def addresses(self) -> list[str]:
        return [cadre.email for cadre in self.cadres]

    def addresses_of(self, cell: Organization) -> list[str]:
        return [
            cadre.email for index, cadre in enumerate(self.cadres) if index % CELLS == self.cells.index(cell)
        ]


def committee(count: int) -> Committee:
    year = next_year()
    root = OrganizationFactory(code="LV", name="Huyện ủy thử nghiệm", place_name="Thử nghiệm")
    staff = user_create(
        username="livestaff",
        password=PASSWORD,
        role=Role.ORGANIZATION_STAFF,
        scope=root,
        full_name="Ban Tổ Chức",
    )
    cells = [CellFactory(code=f"LV-{n}", name=f"Chi bộ ấp {n}", parent=root) for n in range(1, CELLS + 1)]
    cadres = []
    for n in range(count):
        user = user_create(
            username=f"live{n:03d}",
            password=PASSWORD,
            role=Role.CADRE,
            scope=root,
            full_name=f"Cán Bộ {n:03d}",
        )
        cadres.append(
            CadreFactory(
                code=f"LV{n:03d}",
                full_name=f"Cán Bộ {n:03d}",
                email=f"live{n:03d}@example.org",
                organization=root,
                user=user,
            )
        )
    issued_plan(root, year, [(cadre, cells[n % CELLS]) for n, cadre in enumerate(cadres)])
    meetings = [
        meeting_on(cell, datetime.date(year, 3, 10), place=f"Hội trường {cell.code}") for cell in cells
    ]
    return Committee(year, root, staff, cells, cadres, meetings)


def statuses(**filters) -> Counter[str]:
    """E-mail status -> notices."""
    return Counter(Notification.objects.filter(**filters).values_list("status", flat=True))


def all_settled(**filters) -> bool:
    """Every notice's e-mail is over: sent, failed or not to be sent (none pending)."""
    notices = Notification.objects.filter(**filters)
    return notices.exists() and not notices.filter(status=Notification.Status.PENDING).exists()
