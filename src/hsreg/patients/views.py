"""Patient search, registration and the patient page. Thin: reads via selectors, writes via
services, the page's content via patients.page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from . import page
from .forms import PatientForm
from .selectors import get_patient, search_patients
from .services import register_patient


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    patients = list(search_patients(unit=request.unit, query=query))  # type: ignore[attr-defined]
    return render(request, "patients/search.html", {"query": query, "patients": patients})


@login_required
def create(request: HttpRequest) -> HttpResponse:
    unit = request.unit  # type: ignore[attr-defined]
    form = PatientForm(request.POST or None)
    if request.method == "POST" and unit is not None and form.is_valid():
        try:
            patient = register_patient(unit=unit, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("patients:detail", patient_id=patient.pk)
    return render(
        request, "patients/create.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def detail(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient(unit=request.unit, patient_id=patient_id)  # type: ignore[attr-defined]
    return render(request, "patients/detail.html", page.context(patient=patient))
