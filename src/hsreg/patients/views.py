"""Patient search, registration, the patient page and the patient's consent to sharing. Thin:
reads via selectors, writes via services, the page's content via patients.page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hsreg.accounts.models import Role
from hsreg.audit.selectors import patient_access_log

from . import page
from .forms import ConsentForm, PatientForm
from .selectors import get_patient, is_readable, search_patients
from .services import (
    AlreadyRegisteredError,
    CareRelationshipError,
    record_consent,
    register_patient,
    withdraw_consent,
)

RECENT_ACCESS = 8


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    patients = search_patients(actor=request.actor, query=query)  # type: ignore[attr-defined]
    return render(request, "patients/search.html", {"query": query, "patients": patients})


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """Registers a patient. When the number belongs to a patient another unit registered, the
    same form comes back with one more step, the care relationship, and says no more than that
    the patient is registered at another unit."""
    unit = request.actor.unit  # type: ignore[attr-defined]
    form = PatientForm(request.POST or None)
    status = 200
    if request.method == "POST" and unit is not None and form.is_valid():
        try:
            patient = register_patient(unit=unit, actor=request.actor, **form.cleaned_data)  # type: ignore[attr-defined]
        except CareRelationshipError as error:
            if form.asks_relationship:
                form.add_error(None, error)
            else:
                form = PatientForm(request.POST, ask_relationship=True)
                form.is_valid()
                messages.info(request, error.messages[0])
        except AlreadyRegisteredError as error:
            form.add_error("national_id", _already_registered(request, error.patient_id))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("patients:detail", patient_id=patient.pk)
    if form.errors:
        status = 400
    return render(request, "patients/create.html", {"form": form}, status=status)


def _already_registered(request: HttpRequest, patient_id: int) -> str:
    """The duplicate's message: its registry id, linked to its page when the user may open it
    (it is registered at the user's unit, so a registrar may; the link is left out otherwise)."""
    name = _("registry id #%(id)s") % {"id": patient_id}
    if is_readable(actor=request.actor, patient_id=patient_id):  # type: ignore[attr-defined]
        url = reverse("patients:detail", kwargs={"patient_id": patient_id})
        name = format_html('<a href="{}" id="duplicate-patient">{}</a>', url, name)
    text = conditional_escape(_("This patient is already registered at this unit: %(patient)s."))
    return mark_safe(text % {"patient": conditional_escape(name)})  # noqa: S308 - escaped above


@login_required
def detail(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient(
        actor=request.actor,  # type: ignore[attr-defined]
        patient_id=patient_id,
        target="patient page",
    )
    context = page.context(patient=patient)
    context["consent_form"] = ConsentForm()
    if request.actor.role == Role.UNIT_LEADER:  # type: ignore[attr-defined]
        # who has seen this patient lately, at any unit (the whole log is one click away)
        context["recent_access"] = list(patient_access_log(patient_id=patient.pk)[:RECENT_ACCESS])
    return render(request, "patients/detail.html", context)


@login_required
@require_POST
def consent(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Records the patient's consent that this unit sees their forms from other units."""
    actor = request.actor  # type: ignore[attr-defined]
    patient = get_patient(actor=actor, patient_id=patient_id, target="sharing consent")
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            record_consent(actor=actor, patient=patient, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The consent is recorded. The forms of the other units are shown read-only."),
            )
            return redirect("patients:detail", patient_id=patient.pk)
    context = {"patient": patient, "consent_form": form}
    return render(request, "patients/consent.html", context, status=400)


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Records that the patient withdrew the consent: other units' forms are hidden again."""
    actor = request.actor  # type: ignore[attr-defined]
    patient = get_patient(actor=actor, patient_id=patient_id, target="sharing consent")
    try:
        withdraw_consent(actor=actor, patient=patient)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The consent is withdrawn."))
    return redirect("patients:detail", patient_id=patient.pk)
