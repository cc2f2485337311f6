"""Forms of attendance notes: the note itself (autosaved field by field), an unplanned attendance, the
staff decision on a review round and leadership's work on an escalation."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import fields_for_model, model_to_dict
from django.urls import reverse
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from assignments.models import AssignmentPlan, AttendanceNote, Cadre, NoteAttachment
from cells.models import Organization

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT_WIDGET = forms.Textarea(attrs={"rows": 4})
COUNT_WIDGET = forms.NumberInput(attrs={"inputmode": "numeric", "min": 0})
SWITCH_WIDGET = forms.CheckboxInput(attrs={"role": "switch", "class": "form-check-input"})

# The sections of the form, in the order a cadre fills them at the meeting.
SECTIONS: list[tuple[str, Any, list[str]]] = [
    ("meeting", _("The meeting"), ["meeting_kind", "topic", "held", "not_held_reason"]),
    (
        "attendance",
        _("Attendance"),
        [
            "members_total",
            "members_present",
            "absent_with_reason",
            "absent_without_reason",
            "started_on_time",
            "committee_prepared",
            "chaired_by",
        ],
    ),
    (
        "ratings",
        _("Ratings"),
        [
            "rating_preparation",
            "rating_content",
            "rating_criticism",
            "rating_participation",
            "rating_resolution",
            "overall_rating",
        ],
    ),
    ("proceedings", _("What happened"), ["summary", "conveyed", "good_practices", "shortcomings"]),
    (
        "issues",
        _("Petitions and difficulties"),
        ["petitions", "petitions_escalate", "difficulties", "difficulties_escalate"],
    ),
    ("proposals", _("Proposals"), ["proposals"]),
]
NOTE_FIELDS = [name for _key, _label, names in SECTIONS for name in names]
SWITCHES = ["petitions_escalate", "difficulties_escalate"]
WIDGETS = {
    "not_held_reason": forms.Textarea(attrs={"rows": 2}),
    **{name: COUNT_WIDGET for name in NOTE_FIELDS if name.startswith(("members_", "absent_"))},
    **dict.fromkeys(("summary", "conveyed", "good_practices", "shortcomings"), TEXT_WIDGET),
    **dict.fromkeys(("petitions", "difficulties", "proposals"), TEXT_WIDGET),
    **dict.fromkeys(SWITCHES, SWITCH_WIDGET),
}


class NoteForm(forms.Form):
    """Every field of the note plus the version it was loaded at. A plain Form (not a ModelForm), so that
    validating never touches the note: note_save applies the data."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, note: AttendanceNote, **kwargs) -> None:
        kwargs.setdefault("initial", {**model_to_dict(note, fields=NOTE_FIELDS), "version": note.version})
        super().__init__(*args, **kwargs)
        self.note = note

    def note_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version")
        return data

    def sections(self) -> list[tuple[str, Any, list[forms.BoundField]]]:
        return [(key, label, [self[name] for name in names]) for key, label, names in SECTIONS]


NoteForm.base_fields.update(fields_for_model(AttendanceNote, fields=NOTE_FIELDS, widgets=WIDGETS))


def has_note_fields(data) -> bool:
    """A POST that carries the note's fields (the whole form), not only its version."""
    return any(name in data for name in NOTE_FIELDS if name not in SWITCHES)


def note_display_rows(note: AttendanceNote) -> list[tuple[str, Any, list[tuple[str, Any]]]]:
    """The locked, read-only view: (key, section label, [(field label, display value)]) per section."""
    rows = [(key, label, [_display(note, name) for name in names]) for key, label, names in SECTIONS]
    rows[0][2].insert(0, _display(note, "meeting_date"))
    return rows


def _display(note: AttendanceNote, name: str) -> tuple[str, Any]:
    field = AttendanceNote._meta.get_field(name)
    value = getattr(note, name)
    if field.choices and value:
        value = getattr(note, f"get_{name}_display")()
    elif isinstance(value, date):
        value = formats.date_format(value, "d/m/Y")
    elif isinstance(value, bool):
        value = _("Yes") if value else _("No")
    return capfirst(field.verbose_name), value


class CellChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        """The cell with its committee, as cadres know it: "Chi bộ Ấp 4 – Đảng bộ xã Tân Xuân"."""
        return f"{obj.name} – {obj.parent.name}" if obj.parent_id else obj.name


class UnplannedNoteForm(forms.Form):
    meeting_date = forms.DateField(label=_("Meeting date"), widget=DATE_WIDGET)
    cell = CellChoiceField(
        label=_("Cell"),
        queryset=Organization.objects.none(),
        help_text=_("The cells assigned to you in the issued plan of the meeting's year."),
    )
    meeting_kind = forms.ChoiceField(
        label=_("Kind of meeting"), choices=AttendanceNote._meta.get_field("meeting_kind").choices
    )
    topic = forms.CharField(label=_("Topic"), max_length=255, required=False)

    def __init__(self, *args, cadre: Cadre, today: date, state=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.year = _year_of((state or self.data or {}).get("meeting_date"), today)
        self.fields["cell"].queryset = assigned_cells(cadre, self.year)
        # A new date may fall in another year: htmx swaps in that year's cells (without JavaScript, a
        # submit shows them with the error).
        self.fields["meeting_date"].widget = forms.DateInput(
            format="%Y-%m-%d",
            attrs={
                "type": "date",
                "hx-get": reverse("assignments:note_unplanned"),
                "hx-trigger": "change",
                "hx-include": "closest form",
                "hx-target": "#div_id_cell",
                "hx-select": "#div_id_cell",
                "hx-swap": "outerHTML",
            },
        )


def _year_of(value: str | None, today: date) -> int:
    """The year of the typed meeting date (the cells offered are that year's), else this year."""
    try:
        return date.fromisoformat(value).year if value else today.year
    except ValueError:
        return today.year


def assigned_cells(cadre: Cadre, year: int) -> QuerySet[Organization]:
    """The cells the cadre is assigned to in the issued plan of ``year``: the choices of an unplanned
    attendance (note_record_unplanned accepts exactly these)."""
    return (
        Organization.objects.filter(
            assignments__cadre=cadre,
            assignments__plan__status=AssignmentPlan.Status.ISSUED,
            assignments__plan__year=year,
        )
        .select_related("parent")
        .distinct()
        .order_by("path")
    )


class AttachmentForm(forms.Form):
    upload = forms.FileField(
        label=_("Photo or PDF"),
        help_text=_("JPEG, PNG or PDF, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(NoteAttachment.ALLOWED_TYPES)}),
    )


ACCEPT = "accept"
RETURN = "return"


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept")), (RETURN, _("Return to the cadre"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning: tell the cadre what to fix."),
    )
    round_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == RETURN and not (data.get("comment") or "").strip():
            self.add_error("comment", ValidationError(_("Say what the cadre should fix."), code="required"))
        return data


class DirectForm(forms.Form):
    direction = forms.CharField(label=_("Direction"), widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("How it was resolved"), widget=forms.Textarea(attrs={"rows": 3}))
