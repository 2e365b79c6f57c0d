"""Patient search, registration and the patient page. Thin: reads via selectors, writes via
services, the page's content via patients.page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from hsreg.accounts.models import Role
from hsreg.audit.selectors import patient_access_log

from . import page
from .forms import PatientForm
from .selectors import get_patient, search_patients
from .services import register_patient

RECENT_ACCESS = 8


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    patients = search_patients(actor=request.actor, query=query)  # type: ignore[attr-defined]
    return render(request, "patients/search.html", {"query": query, "patients": patients})


@login_required
def create(request: HttpRequest) -> HttpResponse:
    unit = request.actor.unit  # type: ignore[attr-defined]
    form = PatientForm(request.POST or None)
    if request.method == "POST" and unit is not None and form.is_valid():
        try:
            patient = register_patient(unit=unit, actor=request.actor, **form.cleaned_data)  # type: ignore[attr-defined]
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("patients:detail", patient_id=patient.pk)
    return render(
        request, "patients/create.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def detail(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient(
        actor=request.actor,  # type: ignore[attr-defined]
        patient_id=patient_id,
        target="patient page",
    )
    context = page.context(patient=patient)
    if request.actor.role == Role.UNIT_LEADER:  # type: ignore[attr-defined]
        # who has seen this patient lately (the whole log is one click away)
        context["recent_access"] = list(patient_access_log(patient_id=patient.pk)[:RECENT_ACCESS])
    return render(request, "patients/detail.html", context)
