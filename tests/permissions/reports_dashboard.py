"""The coverage dashboard and the lists behind its figures (reports/coverage/views.py).

Office pages: staff and leadership of a tree read the figures of their own subtree (the outsider reads
their own root's, never ours); every other role is refused by role (403), as for the other office pages.
A committee of another tree in the parameters is a form error on the page (200), the same as an unknown
code, so it says nothing of what exists elsewhere. Every persona is listed for every case."""

from tests.permissions import Case

OFFICE_PAGE = {
    "anonymous": 302,
    "staff": 200,
    "leader": 200,
    "cadre": 403,
    "other_cadre": 403,
    "grassroots": 403,
    "sibling_grassroots": 403,
    "outsider": 200,
}

CASES = [
    Case("reports:dashboard", OFFICE_PAGE),
    Case("reports:dashboard", OFFICE_PAGE, query="?year=2026&quarter=2&basis=assigned"),
    Case("reports:dashboard", OFFICE_PAGE, query="?year=2026&export=xlsx"),
    Case("reports:dashboard", OFFICE_PAGE, query="?quarter=9"),
    Case("reports:coverage_cells", OFFICE_PAGE),
    Case("reports:coverage_cells", OFFICE_PAGE, query="?year=2026&tier=subordinate&committee=XA&covered=no"),
    Case("reports:coverage_cells", OFFICE_PAGE, query="?year=2026&export=csv"),
    Case("reports:coverage_cells", OFFICE_PAGE, query="?year=2026&export=xlsx"),
]
