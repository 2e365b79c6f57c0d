"""Registering a patient: the national id number gives birth date and sex; a patient another
unit has registered needs the care relationship (a second step of the same form); the
patient's consent to sharing forms between units."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hsreg.web.choices import EMPTY_CHOICE

from .models import CareRelationship
from .national_id import parse

NOTE_HELP = _(
    "Optional. For example the referring department or the plan. Do not write names or id numbers."
)


class PatientForm(forms.Form):
    national_id = forms.CharField(
        label=_("National id number (fødselsnummer or D-number)"),
        max_length=14,
        help_text=_("11 digits. Birth date and sex are read from the number."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    care_relationship = forms.ChoiceField(
        label=_("Care relationship"),
        choices=[("", EMPTY_CHOICE), *CareRelationship.choices],
        required=False,
        help_text=_("Why your unit follows this patient too (job need)."),
    )
    note = forms.CharField(
        label=_("Note on the care relationship"),
        max_length=200,
        required=False,
        help_text=NOTE_HELP,
    )

    def __init__(self, *args: object, ask_relationship: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.asks_relationship = ask_relationship or bool(
            self.data.get("care_relationship") or self.data.get("step") == "relationship"
        )
        if not self.asks_relationship:
            # the first step asks only the number and the name
            del self.fields["care_relationship"]
            del self.fields["note"]

    def clean_national_id(self) -> str:
        return parse(self.cleaned_data["national_id"]).number


class ConsentForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_(
            "How the consent was given and why the forms are needed, e.g. 'consented at the "
            "consultation; shared care'. Do not write names or id numbers."
        ),
    )
    confirm = forms.BooleanField(
        label=_("The patient has consented to this unit seeing their forms from other units."),
    )
