"""The filters of the audit log review page: what a reviewer narrows the log to."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .models import Action, Outcome

# The dates a filter may name: the selector turns them into moments in the registry's time
# zone and "until" into the start of the next day, which overflows at 9999-12-31 (and year 1
# at UTC), so dates far outside any log are refused on the field instead.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(9998, 12, 31)
_DAY_ERRORS = {
    "min_value": _("Give a date from 1900 on."),
    "max_value": _("Give a date before the year 9999."),
}


class EventFilterForm(forms.Form):
    """Every field is optional; an empty form shows the newest rows."""

    since = forms.DateField(
        label=_("From (date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)],
        error_messages=_DAY_ERRORS,
    )
    until = forms.DateField(
        label=_("To (date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)],
        error_messages=_DAY_ERRORS,
    )
    username = forms.CharField(label=_("Username"), required=False, max_length=150)
    patient = forms.IntegerField(
        label=_("Patient (registry id)"), required=False, min_value=1, max_value=2**63 - 1
    )
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("any")), *Action.choices]
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("any")), *Outcome.choices]
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            raise ValidationError({"until": _("The end date is before the start date.")})
        return cleaned

    def query_string(self) -> str:
        """The filters as they were given, for the page links and the CSV link."""
        return self.data.urlencode() if hasattr(self.data, "urlencode") else ""
