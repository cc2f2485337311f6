"""What every form shares: a service's refusal shown on the form, and the date input."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def save_or_show_errors(form: forms.BaseForm, write: Callable):
    """Run a service: its result, or None with its ValidationError put on the form (the typed values stay)."""
    try:
        return write()
    except ValidationError as error:
        add_service_errors(form, error)
        return None


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form; errors of fields the form lacks go on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        known = field in form.fields and field != NON_FIELD_ERRORS
        form.add_error(field if known else None, errors)
