"""The forms of H-resept delegation (TX-6): the request, the decision, the department per
region."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hsreg.guideline.catalog import BIOLOGICS, DRUGS
from hsreg.units.models import HealthRegion, Unit
from hsreg.web.language import pick


def biologic_choices() -> list[tuple[str, str]]:
    return [(drug, pick(DRUGS[drug].name)) for drug in BIOLOGICS]


class RequestForm(forms.Form):
    drug = forms.ChoiceField(label=_("Biologic"), choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["drug"].choices = biologic_choices()  # type: ignore[attr-defined]


class ApproveForm(forms.Form):
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: 12 months after the decision (TX-6 delegation)."),
    )

    def clean_valid_until(self) -> date | None:
        value: date | None = self.cleaned_data.get("valid_until")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("The approval must be valid until today or later."))
        return value


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the practice with the decision; never written to the audit log."),
    )


class DepartmentForm(forms.Form):
    region = forms.ChoiceField(label=_("Health region"), choices=HealthRegion.choices)
    unit = forms.ModelChoiceField(
        label=_("University hospital dermatology department"),
        queryset=Unit.objects.filter(kind="hospital"),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        unit, region = cleaned.get("unit"), cleaned.get("region")
        if unit is not None and region and unit.region != region:
            self.add_error("unit", _("The department must belong to the same health region."))
        return cleaned
