"""Forms of the hierarchy pages. Choice lists come from selectors scoped to the editing user."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cells.access import scope as access_scope
from cells.access.scope import sees_everything, user_scope
from cells.hierarchy import selectors as hierarchy_selectors
from cells.hierarchy.services import ORGANIZATION_FIELDS
from cells.models import Organization
from core.forms import DateInput


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ORGANIZATION_FIELDS
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        parents = access_scope.committees_visible_to(user)
        others = access_scope.organizations_visible_to(user)
        if editing:
            # A node cannot move under itself or its descendants.
            parents = parents.exclude(path__startswith=self.instance.path)
            others = others.exclude(pk=self.instance.pk)
            # Turning a committee into a cell (or back) would strand its children or members.
            self.fields["kind"].disabled = True
        self.fields["parent"].queryset = parents
        self.fields["successor"].queryset = others
        self.fields["cell_type"].queryset = hierarchy_selectors.cell_types()
        self.fields["cell_type"].help_text = _("Required for a cell; leave empty for a committee.")
        self._limit_parent(user, editing)

    def _limit_parent(self, user, editing: bool) -> None:
        """Only a superuser makes roots; the top of a user's own subtree keeps its place."""
        if sees_everything(user):
            return
        scope = user_scope(user)
        if editing and scope is not None and self.instance.pk == scope.pk:
            del self.fields["parent"]
        else:
            self.fields["parent"].required = True
