"""Registering a patient: the national id number gives birth date and sex."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .national_id import parse


class PatientForm(forms.Form):
    national_id = forms.CharField(
        label=_("National id number (fødselsnummer or D-number)"),
        max_length=14,
        help_text=_("11 digits. Birth date and sex are read from the number."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)

    def clean_national_id(self) -> str:
        return parse(self.cleaned_data["national_id"]).number
