"""The coordinator's objection page: record an objection, see those recorded. Thin: the
work is in objections.services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .forms import ObjectionForm
from .selectors import recent_objections
from .services import record_objection


def index(request: HttpRequest) -> HttpResponse:
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recorded = record_objection(
                actor=request.actor,  # type: ignore[attr-defined]
                national_id=form.cleaned_data["national_id"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if recorded.patient_id is None:
                text = _(
                    "The objection is recorded. The number was not registered, and now it "
                    "cannot be."
                )
            else:
                text = ngettext(
                    "The objection is recorded. Patient #%(id)s and their %(forms)s form are "
                    "deleted.",
                    "The objection is recorded. Patient #%(id)s and their %(forms)s forms are "
                    "deleted.",
                    recorded.forms_deleted,
                ) % {"id": recorded.patient_id, "forms": recorded.forms_deleted}
            messages.success(request, text)
            return redirect("objections:index")
    return render(
        request,
        "objections/index.html",
        {"form": form, "objections": recent_objections()},
        status=400 if form.errors else 200,
    )
