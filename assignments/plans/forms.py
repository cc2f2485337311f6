"""Forms of the plan pages. Choices come from selectors scoped to the editing user and the plan's root."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import AssignmentPlan
from assignments.plans import selectors as plan_selectors
from assignments.plans.rules import Finding
from assignments.plans.services import FIRST_YEAR, LAST_YEAR, PLAN_FIELDS, override_field
from core.forms import DateInput


class PlanForm(forms.ModelForm):
    """The notice's header. A ``root`` choice appears only for a user who may draft for several roots."""

    root = forms.ModelChoiceField(label=_("Issuing committee"), queryset=None)

    class Meta:
        model = AssignmentPlan
        fields = PLAN_FIELDS
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "recipients": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        year.validators += [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
        year.widget.attrs.update(min=FIRST_YEAR, max=LAST_YEAR)
        roots = plan_selectors.plan_roots_for(user)
        if self.instance.pk is not None or roots.count() == 1:
            del self.fields["root"]
            self.single_root = roots.first() if self.instance.pk is None else self.instance.root
        else:
            self.fields["root"].queryset = roots
            self.single_root = None
        self.fields["issuer_abbreviation"].required = False  # taken from the last plan when left empty

    def clean_issuer_abbreviation(self) -> str:
        value = self.cleaned_data["issuer_abbreviation"].strip()
        if not value and self.instance.pk is not None:
            raise forms.ValidationError(_("This field is required."))
        return value

    def service_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in PLAN_FIELDS}
        if self.instance.pk is None and not fields["issuer_abbreviation"]:
            del fields["issuer_abbreviation"]  # plan_create picks the default
        return fields

    @property
    def chosen_root(self):
        return self.cleaned_data.get("root") or self.single_root


class AssignForm(forms.Form):
    cadre = forms.ModelChoiceField(label=_("Cadre"), queryset=None)
    cell = forms.ModelChoiceField(label=_("Cell"), queryset=None)

    def __init__(self, user, plan: AssignmentPlan, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = plan_selectors.plan_cadres(user, plan).select_related("organization")
        self.fields["cell"].queryset = plan_selectors.plan_cells_for(user, plan)


class IssueForm(forms.Form):
    """The issue date and, for each failing rule, the reason to issue anyway."""

    issued_on = forms.DateField(label=_("Issue date"), widget=DateInput())

    def __init__(self, findings: list[Finding], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].initial = timezone.localdate()
        self.findings = findings
        for finding in findings:
            self.fields[override_field(finding.rule)] = forms.CharField(
                label=_("Reason to issue although “%(rule)s” fails") % {"rule": finding.label},
                required=False,  # plan_issue says which reasons are missing
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def overrides(self) -> dict[str, str]:
        return {
            finding.rule: self.cleaned_data.get(override_field(finding.rule), "") for finding in self.findings
        }


ADD_LINE = re.compile(r"^\s*([^,;\s]+)\s*[,;\s]\s*([^,;\s]+)\s*$")


class AmendForm(forms.Form):
    """The reason, the assignments to remove (ticked in their cadre's row), the pairs to add (chosen with
    the pair picker, posted as "cadre id:cell id"), and a pasted list of codes as another way to add."""

    reason = forms.CharField(label=_("Reason for the amendment"), widget=forms.Textarea(attrs={"rows": 3}))
    remove = forms.ModelMultipleChoiceField(
        label=_("Assignments to remove"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    add_pair = forms.MultipleChoiceField(label=_("Assignments to add"), required=False)
    add = forms.CharField(
        label=_("Paste a list of assignments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "CB001, XA-AP1"}),
        help_text=_("One line per assignment: the cadre's code and the cell's code, separated by a comma."),
    )

    def __init__(self, user, plan: AssignmentPlan, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.plan = user, plan
        self.fields["remove"].queryset = plan_selectors.plan_assignments(user, plan)
        self.fields["remove"].label_from_instance = lambda a: (
            f"{a.cadre.full_name} ({a.cadre.code}) → {a.cell.code}"
        )
        tokens = self.data.getlist("add_pair") if hasattr(self.data, "getlist") else []
        self.fields["add_pair"].choices = [(token, token) for token in tokens]

    def clean_add_pair(self) -> list[tuple]:
        pairs, bad = plan_selectors.plan_pairs(self.user, self.plan, self.cleaned_data["add_pair"])
        if bad:
            raise forms.ValidationError(_("A chosen cadre or cell is not in this plan's committee."))
        return pairs

    def clean(self) -> dict:
        data = super().clean()
        if "add" in data and "add_pair" in data:
            data["add"] = [*data["add_pair"], *data["add"]]
        return data

    def clean_add(self) -> list[tuple]:
        lines = [
            (number, line)
            for number, line in enumerate(self.cleaned_data["add"].splitlines(), 1)
            if line.strip()
        ]
        pairs = [(number, ADD_LINE.match(line)) for number, line in lines]
        errors = [
            _("Line %(line)s: write the cadre's code and the cell's code.") % {"line": number}
            for number, match in pairs
            if match is None
        ]
        codes = [(number, match.group(1), match.group(2)) for number, match in pairs if match is not None]
        cadres = {
            c.code: c
            for c in plan_selectors.plan_cadres(self.user, self.plan).filter(
                code__in={c for _n, c, _l in codes}
            )
        }
        cells = {
            c.code: c
            for c in plan_selectors.plan_cells_for(self.user, self.plan).filter(
                code__in={c for _n, _c, c in codes}
            )
        }
        added = []
        for number, cadre_code, cell_code in codes:
            if cadre_code not in cadres:
                errors.append(
                    _("Line %(line)s: unknown cadre %(code)s.") % {"line": number, "code": cadre_code}
                )
            elif cell_code not in cells:
                errors.append(
                    _("Line %(line)s: unknown cell %(code)s.") % {"line": number, "code": cell_code}
                )
            else:
                added.append((cadres[cadre_code], cells[cell_code]))
        if errors:
            raise forms.ValidationError(errors)
        return added


class SourcePlanField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AssignmentPlan) -> str:
        if obj.is_issued:
            return _("No. %(number)s (%(year)s) – %(root)s") % {
                "number": obj.document_number,
                "year": obj.year,
                "root": obj.root.name,
            }
        return _("Draft (%(year)s) – %(root)s") % {"year": obj.year, "root": obj.root.name}


class PlanStartForm(forms.Form):
    """Which plan to start from (last year's issued one unless staff choose another) and for which year."""

    source = SourcePlanField(label=_("Start from"), queryset=AssignmentPlan.objects.none())
    year = forms.IntegerField(
        label=_("Year of the new plan"),
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        sources = plan_selectors.plan_sources(user)
        self.fields["source"].queryset = sources
        latest = sources.filter(status=AssignmentPlan.Status.ISSUED).first()
        if latest is not None:
            self.fields["source"].initial = latest.pk
            self.fields["year"].initial = latest.year + 1
        else:
            self.fields["year"].initial = timezone.localdate().year + 1
