"""The form that creates an office login (organization staff, leadership, grassroots staff)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cells.access.roles import Role
from cells.access.scope import organizations_visible_to
from cells.models import Organization

OFFICE_ROLES = [
    (Role.ORGANIZATION_STAFF.value, Role.ORGANIZATION_STAFF.label),
    (Role.LEADERSHIP.value, Role.LEADERSHIP.label),
    (Role.GRASSROOTS_STAFF.value, Role.GRASSROOTS_STAFF.label),
]


class LoginForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=OFFICE_ROLES)
    # A code, not a list: a province has hundreds of committees.
    scope = forms.CharField(
        label=_("Committee code"),
        max_length=50,
        help_text=_("The committee whose subtree the login works in, e.g. your own committee's code."),
    )

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_scope(self) -> Organization:
        code = self.cleaned_data["scope"].strip()
        committee = (
            organizations_visible_to(self.user).filter(code=code, kind=Organization.Kind.COMMITTEE).first()
        )
        if committee is None:
            raise forms.ValidationError(_("No committee with this code in your subtree."))
        return committee

    def clean_role(self) -> Role:
        return Role(self.cleaned_data["role"])
