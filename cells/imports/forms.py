"""The upload form of the import page: which kind of file, and the file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cells.imports.parsing import ALLOWED_EXTENSIONS, file_extension
from cells.imports.registry import importer_choices

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=importer_choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8, as Excel saves it) or XLSX; the first row names the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    allow_unassigned = forms.BooleanField(
        label=_("Attendance history: accept cadres who were not assigned to the cell that year"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if file_extension(upload.name) not in ALLOWED_EXTENSIONS:
            raise forms.ValidationError(_("The file must be a CSV or an XLSX file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
