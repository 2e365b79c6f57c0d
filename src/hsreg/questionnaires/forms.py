"""The clinic's forms about a patient's invitations: the contact details, sending a form, and
sending the access-log link. Each carries a one-time submission token (records.submissions),
so a double click sends one invitation only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from hsreg.records import submissions
from hsreg.treatments.models import Intervention

from .contact import norwegian_mobile
from .models import Channel, Form

QUESTIONNAIRE_CHANNELS = [
    (Channel.SMS, _("SMS")),
    (Channel.EMAIL, _("E-mail")),
    (Channel.TABLET, _("Clinic tablet (QR code and short code)")),
    (Channel.LINK, _("Show the link to copy")),
]
ACCESS_LOG_CHANNELS = [
    (Channel.SMS, _("SMS")),
    (Channel.EMAIL, _("E-mail")),
    (Channel.LINK, _("Show the link to copy")),
]


class ContactForm(forms.Form):
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        required=False,
        help_text=_("8 digits, or + and the country code. Used only for the patient's links."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def clean_mobile(self) -> str:
        return norwegian_mobile(self.cleaned_data.get("mobile", ""))


class _Once(forms.Form):
    """A form whose POST is done once: its hidden token is stored with what it made."""

    submission = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission"] = submissions.new_token()

    @property
    def token(self) -> str:
        return submissions.posted_token(self.data.get("submission"))


def intervention_label(intervention: Intervention) -> str:
    return (
        f"{date_format(intervention.date, 'SHORT_DATE_FORMAT')} · {intervention.get_type_display()}"
    )


class SendForm(_Once):
    form = forms.ChoiceField(label=_("Form"), choices=Form.choices)
    intervention = forms.ModelChoiceField(
        label=_("Intervention followed up"),
        queryset=Intervention.objects.none(),
        required=False,
        empty_label=_("(none: the status form)"),
        help_text=_("A 3- or 6-month control follows up one of the patient's interventions."),
    )
    channel = forms.ChoiceField(
        label=_("How"), choices=QUESTIONNAIRE_CHANNELS, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, interventions: QuerySet[Intervention], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["intervention"]
        field.queryset = interventions  # type: ignore[attr-defined]
        field.label_from_instance = intervention_label  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        form, intervention = data.get("form"), data.get("intervention")
        if form in (Form.CONTROL_3M, Form.CONTROL_6M) and intervention is None:
            self.add_error(
                "intervention", ValidationError(_("Choose the intervention followed up."))
            )
        if form == Form.STATUS and intervention is not None:
            self.add_error(
                "intervention",
                ValidationError(_("Only a control follows up an intervention.")),
            )
        return data


class AccessLogForm(_Once):
    channel = forms.ChoiceField(
        label=_("How"), choices=ACCESS_LOG_CHANNELS, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "access")
        super().__init__(*args, **kwargs)
