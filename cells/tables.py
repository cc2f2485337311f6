"""Tables of the hierarchy pages: sortable, paged by cells.listing.render_list, exported as shown."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .access import is_staff
from .models import Member, Organization
from .numbers import count_text

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


class StaffEditTable(tables.Table):
    """Hides the ``edit`` column from anyone who may not edit."""

    def __init__(self, *args, request=None, exclude=None, **kwargs) -> None:
        exclude = tuple(exclude or ())
        if request is None or not is_staff(request.user):
            exclude += ("edit",)
        super().__init__(*args, request=request, exclude=exclude, **kwargs)


class CellTable(tables.Table):
    code = tables.Column(verbose_name=capfirst(_("code")), linkify=True, order_by=("code_key", "code"))
    name = tables.Column(
        verbose_name=capfirst(_("name")), accessor="label", order_by=("sort_key", "code"), linkify=True
    )
    cell_type = tables.Column(
        verbose_name=capfirst(_("cell type")), accessor="cell_type__name", order_by="cell_type__code"
    )
    group = tables.Column(
        verbose_name=capfirst(_("group")),
        accessor="cell_type__group__name",
        order_by=("cell_type__group__order", "cell_type__group__code"),
    )
    parent = tables.Column(
        verbose_name=capfirst(_("parent")),
        accessor="parent__name",
        order_by=("parent__sort_key", "parent__code"),
    )
    members_count = CountColumn(verbose_name=capfirst(_("members")))
    is_active = YesNoColumn(verbose_name=capfirst(_("active")))

    class Meta:
        model = Organization
        fields = ()
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "cell-table"}
        empty_text = _("No cells match.")


class MemberTable(StaffEditTable):
    card_number = tables.Column(verbose_name=capfirst(_("card number")))
    full_name = tables.Column(verbose_name=capfirst(_("full name")), order_by=("sort_key", "pk"))
    cell = tables.Column(
        verbose_name=capfirst(_("cell")),
        accessor="cell__label",
        order_by=("cell__sort_key", "cell__code"),
        linkify=lambda record: record.cell.get_absolute_url(),
    )
    status = tables.Column(verbose_name=capfirst(_("status")))
    joined_on = DayColumn(verbose_name=capfirst(_("joined on")))
    edit = EditColumn("cells:member_edit", "pk")

    class Meta:
        model = Member
        fields = ()
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "member-table"}
        empty_text = _("No party members match.")
