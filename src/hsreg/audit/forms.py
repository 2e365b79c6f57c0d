"""The filters of the audit log review page: what a reviewer narrows the log to."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Action, Outcome


class EventFilterForm(forms.Form):
    """Every field is optional; an empty form shows the newest rows."""

    since = forms.DateField(
        label=_("From (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
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
