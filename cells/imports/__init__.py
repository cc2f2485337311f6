"""Importing the hierarchy from the spreadsheets users already keep (CSV or XLSX).

Each kind of file has an Importer (plan: check every row and say what changes; write: bulk writes
with history). ``services.import_plan``/``import_apply`` run them; the registry lists the kinds.
"""

from .cell_types import CellTypeImporter
from .members import MemberImporter
from .organizations import OrganizationImporter
from .registry import register

register(CellTypeImporter())
register(OrganizationImporter())
register(MemberImporter())
