"""The coordinator's objection form: the number, and a confirmation that cannot be skipped,
since what follows deletes the patient's data for good."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hsreg.patients.national_id import parse


class ObjectionForm(forms.Form):
    national_id = forms.CharField(
        label=_("National id number (fødselsnummer or D-number)"),
        max_length=14,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    confirm = forms.BooleanField(
        label=_(
            "The patient has objected to registration. Delete all their data from the "
            "registry; this cannot be undone."
        ),
        required=True,
    )

    def clean_national_id(self) -> str:
        return parse(self.cleaned_data["national_id"]).number
