"""The registry coordinator's page of funding status (XB-5, beyond the NFDV guideline (2019);
Nye metoder): every biologic with its status, the decision's date and source, and who changed it
when; each row is a form. COORDINATOR in accounts.access; the write is treatments.funding's."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hsreg.guideline.catalog import BIOLOGICS

from .funding import FundingRow, funding_rows, set_funding, status_label
from .models import FundingStatusChoice


class FundingForm(forms.Form):
    """One biologic's funding decision; the row's drug is the form's prefix."""

    status = forms.ChoiceField(label=gettext_lazy("Funding status"), choices=FundingStatusChoice)
    decided_on = forms.DateField(
        label=gettext_lazy("Decision date (Nye metoder)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("The decision's id at Nye metoder, e.g. ID2023_045."),
    )

    def clean_decided_on(self) -> date:
        decided_on: date = self.cleaned_data["decided_on"]
        if decided_on > timezone.localdate():
            raise forms.ValidationError(_("A decision date cannot be in the future."))
        return decided_on


def _form_for(row: FundingRow, data: Any = None) -> FundingForm:
    initial: dict[str, Any] = {"status": row.status}
    if row.decision is not None:
        initial |= {"decided_on": row.decision.decided_on, "note": row.decision.note}
    return FundingForm(data, prefix=row.drug, initial=initial)


def funding(request: HttpRequest) -> HttpResponse:
    """GET: the list; POST (``drug`` names the row): record that biologic's decision, or show
    the row again with each bad field and its reason (400)."""
    rows = funding_rows()
    posted = request.POST.get("drug", "") if request.method == "POST" else None
    if posted is not None and posted not in BIOLOGICS:
        messages.error(request, _("Choose one of the biologics in the list."))
        posted = None
        status = 400
    else:
        status = 200
    entries = []
    for row in rows:
        form = _form_for(row, request.POST if row.drug == posted else None)
        if row.drug == posted:
            if form.is_valid():
                set_funding(actor=request.actor, drug=row.drug, **form.cleaned_data)  # type: ignore[attr-defined]
                messages.success(
                    request,
                    _(
                        "Funding status (XB-5, beyond the NFDV guideline (2019); Nye metoder) of %(drug)s: "
                        "%(status)s."
                    )
                    % {"drug": row.name, "status": status_label(form.cleaned_data["status"])},
                )
                return redirect("treatments:funding")
            status = 400
        entries.append((row, form))
    return render(request, "treatments/funding.html", {"entries": entries}, status=status)
