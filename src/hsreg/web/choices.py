"""The empty choice of a select list, in words: "– choose –" ("– velg –") instead of Django's
"---------" (issue 12). ``label_empty_choices`` relabels a form's fields once, where the form
is drawn (records.forms.RecordForm.layout), so every registry form and the fields a subclass
adds later get it; forms of their own use ``EMPTY_CHOICE`` directly."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

EMPTY_CHOICE = _("– choose –")
DJANGO_EMPTY = BLANK_CHOICE_DASH[0][1]  # "---------"


def label_empty_choices(fields: Mapping[str, forms.Field]) -> None:
    """Gives every select list among ``fields`` the empty choice ``EMPTY_CHOICE``."""
    for field in fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DJANGO_EMPTY:
                field.empty_label = EMPTY_CHOICE
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if any(label == DJANGO_EMPTY for _value, label in choices):
                field.choices = [
                    (value, EMPTY_CHOICE if label == DJANGO_EMPTY else label)
                    for value, label in choices
                ]
