"""The coordinator's unit forms: a new unit (its RESH id included) and an edit of one (the
RESH id is the primary key and stays), and the region filter of the list.

The forms only validate; units.services writes, so the audit row and the uniqueness check
of the RESH id live with the write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hsreg.web.choices import label_empty_choices

from .models import MAX_RESH_ID, HealthRegion, Unit
from .services import RESH_TAKEN


class UnitEditForm(forms.ModelForm):
    """What the coordinator may change about a unit: everything but its RESH id."""

    class Meta:
        model = Unit
        fields = ["name", "health_trust", "region", "kind"]
        labels = {
            "name": _("Name"),
            "health_trust": _("Health trust"),
            "region": _("Health region"),
            "kind": _("Kind"),
        }
        help_texts = {
            "name": _("The department or practice as users and reports name it."),
            "health_trust": _("The health trust (or the company of a private practice)."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        label_empty_choices(self.fields)  # "– choose –", not "---------" (issue 12)


class UnitCreateForm(UnitEditForm):
    """A new unit: the RESH id first, a whole number from 1 that no unit has yet."""

    resh_id = forms.IntegerField(
        label=_("RESH id"),
        min_value=1,
        max_value=MAX_RESH_ID,
        help_text=_("The unit's id in the register of health organisations (RESH)."),
        error_messages={
            "invalid": _("A RESH id is a whole number, at least 1."),
            "min_value": _("A RESH id is a whole number, at least 1."),
            "max_value": _("This number is too large to be a RESH id."),
        },
    )

    class Meta(UnitEditForm.Meta):
        fields = ["resh_id", *UnitEditForm.Meta.fields]

    def clean_resh_id(self) -> int:
        resh_id: int = self.cleaned_data["resh_id"]
        if Unit.objects.filter(pk=resh_id).exists():
            raise forms.ValidationError(RESH_TAKEN, code="taken", params={"resh": resh_id})
        return resh_id


class RegionFilterForm(forms.Form):
    region = forms.ChoiceField(
        label=_("Health region"),
        choices=[("", _("All regions")), *HealthRegion.choices],
        required=False,
    )
