"""The base of tables with an edit column: the column is there for those who may edit, and only them."""

from __future__ import annotations

import django_tables2 as tables

from cells.access.roles import is_staff


class StaffEditTable(tables.Table):
    """Hides the ``edit`` column from anyone who may not edit."""

    def __init__(self, *args, request=None, exclude=None, **kwargs) -> None:
        exclude = tuple(exclude or ())
        if request is None or not is_staff(request.user):
            exclude += ("edit",)
        super().__init__(*args, request=request, exclude=exclude, **kwargs)
