"""The party hierarchy: one tree of committees and cells, the kinds of cells and their groups, and the
numbered party document every issued notice and report is."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import names
from core.documents import document_number

PATH_SEPARATOR = "/"
LABEL_SEPARATOR = " – "  # an en dash: "Chi bộ Ấp 4 – Đảng bộ xã Tân Xuân"


class DerivedTextsMixin:
    """Columns computed from others on every save (sort keys, search texts, labels).

    ``TEXT_SOURCES`` are the fields they come from: a save limited to some fields also writes the
    derived ones when a source is among them. Bulk writes call ``refresh_texts()`` themselves.
    """

    TEXT_SOURCES: tuple[str, ...] = ()
    TEXT_FIELDS: tuple[str, ...] = ()

    def refresh_texts(self) -> None:
        raise NotImplementedError

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        # A save of other fields only (a path, a status) leaves the texts as they are: no parent read.
        if update_fields is None or set(update_fields) & set(self.TEXT_SOURCES):
            self.refresh_texts()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *self.TEXT_FIELDS}
        super().save(*args, **kwargs)


class CellTypeGroup(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("cell type group")
        verbose_name_plural = _("cell type groups")

    def __str__(self) -> str:
        return self.name


class CellType(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    group = models.ForeignKey(
        CellTypeGroup, on_delete=models.PROTECT, related_name="cell_types", verbose_name=_("group")
    )

    class Meta:
        ordering = ["group__order", "code"]
        verbose_name = _("cell type")
        verbose_name_plural = _("cell types")

    def __str__(self) -> str:
        return self.name


class OrganizationQuerySet(models.QuerySet):
    def subtree(self, root: Organization, *, include_root: bool = True) -> OrganizationQuerySet:
        """Every node under ``root``: one indexed prefix match on the materialized path."""
        qs = self.filter(path__startswith=root.path)
        return qs if include_root else qs.exclude(pk=root.pk)

    def cells(self) -> OrganizationQuerySet:
        return self.filter(kind=Organization.Kind.CELL)

    def committees(self) -> OrganizationQuerySet:
        return self.filter(kind=Organization.Kind.COMMITTEE)

    def roots(self) -> OrganizationQuerySet:
        return self.filter(parent__isnull=True)

    def active_on(self, day: date) -> OrganizationQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def active_between(self, start: date, end: date) -> OrganizationQuerySet:
        """Valid at some day of the period [start, end]."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=start)
        )


class Organization(DerivedTextsMixin, models.Model):
    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Committee")
        CELL = "cell", _("Cell")

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    # Materialized path of primary keys, "/1/7/42/": a subtree is one prefix match.
    path = models.CharField(max_length=255, editable=False, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    cell_type = models.ForeignKey(
        CellType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cells",
        verbose_name=_("cell type"),
    )
    place_name = models.CharField(
        _("place name"), max_length=100, blank=True, help_text=_("Used in document date lines.")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("merged into"),
    )
    # What lists and pickers show: a cell's name is shared by cells of many communes ("Chi bộ Ấp 4"),
    # so a cell reads with its parent committee's name. Kept by the services that rename or move.
    label = models.CharField(_("name"), max_length=520, editable=False, default="")
    sort_key = models.CharField(max_length=600, editable=False, default="")
    code_key = models.CharField(max_length=120, editable=False, default="")
    search_text = models.CharField(max_length=600, editable=False, default="")
    history = HistoricalRecords(
        excluded_fields=["path", "depth", "label", "sort_key", "code_key", "search_text"]
    )

    objects = OrganizationQuerySet.as_manager()

    TEXT_SOURCES = ("code", "name", "parent", "kind")
    TEXT_FIELDS = ("label", "sort_key", "code_key", "search_text")

    class Meta:
        ordering = ["path"]
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        constraints = [
            models.CheckConstraint(
                name="organization_cell_has_type",
                condition=Q(kind="committee", cell_type__isnull=True)
                | Q(kind="cell", cell_type__isnull=False),
            ),
            models.CheckConstraint(
                name="organization_valid_period",
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
            ),
        ]
        indexes = [
            # Subtree queries: path LIKE '/1/7/%' must use an index on PostgreSQL too.
            models.Index(fields=["path"], name="organization_path_idx", opclasses=["varchar_pattern_ops"]),
            # Lists ordered by path (Meta.ordering) read their first page in index order; the pattern
            # index above cannot serve ORDER BY. Without it the root's cell list sorts every cell.
            models.Index(fields=["path"], name="organization_path_order_idx"),
            # Cell lists and coverage count cells of a kind and type under a parent.
            models.Index(fields=["parent", "kind"], name="organization_parent_kind_idx"),
            # Lists in Vietnamese name order and in natural code order read their first page by index.
            models.Index(fields=["sort_key", "code"], name="organization_sort_key_idx"),
            models.Index(fields=["code_key"], name="organization_code_key_idx"),
        ]

    def __str__(self) -> str:
        return self.label or self.name

    def get_absolute_url(self) -> str:
        return reverse("cells:organization_detail", args=[self.code])

    @property
    def is_cell(self) -> bool:
        return self.kind == self.Kind.CELL

    @property
    def is_committee(self) -> bool:
        return self.kind == self.Kind.COMMITTEE

    def refresh_texts(self, parent_name: str | None = None) -> None:
        """Label, sort keys and search text from the code, the name and the parent's name."""
        # An import links new cells to parents that are not saved yet: no parent_id, a cached parent.
        has_parent = self.parent_id is not None or Organization.parent.is_cached(self)
        if parent_name is None and has_parent and self.kind == self.Kind.CELL and self.parent is not None:
            parent_name = self.parent.name
        self.label = self.compose_label(self.name, parent_name if self.kind == self.Kind.CELL else None)
        self.sort_key = names.name_sort_key(self.name)
        self.code_key = names.code_sort_key(self.code)
        self.search_text = names.search_text(self.code, self.label)

    @staticmethod
    def compose_label(name: str, parent_name: str | None) -> str:
        return f"{name}{LABEL_SEPARATOR}{parent_name}" if parent_name else name

    def is_valid_between(self, start: date, end: date) -> bool:
        """Valid at some day of [start, end]: the one-row form of OrganizationQuerySet.active_between."""
        return not ((self.valid_from and self.valid_from > end) or (self.valid_to and self.valid_to < start))

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR) if part][:-1]

    def build_path(self) -> None:
        """Set path and depth from the parent's; the primary key must exist."""
        parent_path = self.parent.path if self.parent_id else PATH_SEPARATOR
        self.path = f"{parent_path}{self.pk}{PATH_SEPARATOR}"
        self.depth = parent_path.count(PATH_SEPARATOR) - 1

    def clean(self) -> None:
        errors = {}
        if self.kind == self.Kind.CELL and self.cell_type_id is None:
            errors["cell_type"] = _("A cell needs a cell type.")
        if self.kind == self.Kind.COMMITTEE and self.cell_type_id is not None:
            errors["cell_type"] = _("A committee has no cell type.")
        if self.parent_id is not None and self.parent.kind == self.Kind.CELL:
            errors["parent"] = _("A cell cannot have organizations under it.")
        if self.pk and self.parent_id and str(self.pk) in self.parent.path.split(PATH_SEPARATOR):
            errors["parent"] = _("An organization cannot be placed under itself.")
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("The end of validity is before its start.")
        if errors:
            raise ValidationError(errors)


class PartyDocument(models.Model):
    """The numbered, signed party document (the plan's notice, a report): "Số 15-TB/HU", the issue date,
    the signature block and "Nơi nhận". Subclasses set DOC_TYPE ("TB", "BC") and issuer_abbreviation.
    Printed through a ``core.documents.DocumentLayout``."""

    DOC_TYPE = ""

    number = models.PositiveIntegerField(_("number"), null=True, blank=True, editable=False)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    signer_name = models.CharField(_("signer"), max_length=150, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=100, blank=True)
    signer_authority = models.CharField(
        _("on behalf of"), max_length=100, blank=True, default="T/M BAN THƯỜNG VỤ"
    )
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("One per line."))

    class Meta:
        abstract = True

    @property
    def document_number(self) -> str:
        """The number in the party form: "15-TB/HU" (printed after "Số", with no colon)."""
        if self.number is None:
            return ""
        return document_number(self.number, self.DOC_TYPE, self.issuer_abbreviation)
