"""Columns every list shares: yes/no, counts, dates and local times, and the staff's edit link."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from core.numbers import count_text

DATE_FORMAT = "d/m/Y"


class YesNoColumn(tables.Column):
    """A boolean as a translated word, the same on the page and in the export."""

    def render(self, value) -> str:
        return str(_("Yes") if value else _("No"))


class CountColumn(tables.Column):
    """A count as people read it ("5.976") on the page; the export keeps the number."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("attrs", {"td": {"class": "text-end"}})
        super().__init__(**kwargs)

    def render(self, value) -> str:
        return count_text(value)

    def value(self, value):
        return value


class DayColumn(tables.DateColumn):
    """A date as 27/11/2026, on the page and in the export alike."""

    def __init__(self, **kwargs) -> None:
        super().__init__(format=DATE_FORMAT, **kwargs)

    def value(self, value) -> str:
        return date_format(value, DATE_FORMAT) if value else ""


class EditColumn(tables.Column):
    """A link to the record's edit page, for staff only; never exported."""

    def __init__(self, url_name: str, lookup: str, **kwargs) -> None:
        self.url_name, self.lookup = url_name, lookup
        kwargs.setdefault("verbose_name", "")
        super().__init__(
            accessor=lookup,
            orderable=False,
            exclude_from_export=True,
            linkify=(url_name, [tables.A(lookup)]),
            **kwargs,
        )

    def render(self, value) -> str:
        return str(_("Edit"))


class LocalTimeColumn(tables.Column):
    """A timestamp in the site's time zone, as 27/11/2026 19:30."""

    def render(self, value) -> str:
        return date_format(localtime(value), "d/m/Y H:i")

    def value(self, value) -> str:
        return self.render(value)
