"""The clinic's pages about invitations: a patient's questionnaire page (contact details,
sending a form or the access-log link, the invitations and their state, withdrawing one), the
clinic tablet's hand-over, the link shown once, and the unit's page of figures with the switch
of automatic controls.

Thin: the patient is read through patients.selectors.get_patient (scoped to the unit and
audited), invitations through questionnaires.selectors, and every write goes through
questionnaires.services. Each sending form carries a one-time token (records.submissions): a
double click makes one invitation, and both clicks land where the first one went.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hsreg.accounts.models import Role
from hsreg.patients.models import Patient
from hsreg.patients.selectors import get_patient
from hsreg.records import submissions

from . import selectors, services, stats
from .forms import AccessLogForm, ContactForm, SendForm
from .models import Channel, Invitation, Purpose, State
from .qr import grouped, qr_svg

#: the session's list of "link" invitations whose link is still to be shown (once); the ids
#: only, the token is derived when shown (services.token_of) and never stored
SHOW_LINK = "questionnaires.show_link"


def _patient(request: HttpRequest, patient_id: int, target: str) -> Patient:
    return get_patient(actor=request.actor, patient_id=patient_id, target=target)  # type: ignore[attr-defined]


def _page(
    request: HttpRequest,
    patient: Patient,
    *,
    contact_form: ContactForm | None = None,
    send_form: SendForm | None = None,
    access_form: AccessLogForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    interventions = selectors.followed_up_interventions(patient=patient)
    context = {
        "patient": patient,
        "contact_form": contact_form
        or ContactForm(initial={"mobile": patient.mobile, "email": patient.email}),
        "send_form": send_form or SendForm(interventions=interventions),
        "access_form": access_form or AccessLogForm(),
        "invitations": list(selectors.patient_invitations(actor=actor, patient=patient)),
        "State": State,
    }
    return render(request, "questionnaires/staff/patient.html", context, status=status)


@login_required
def patient(request: HttpRequest, patient_id: int) -> HttpResponse:
    return _page(request, _patient(request, patient_id, "questionnaires page"))


@login_required
@require_POST
def contact(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Saves the patient's mobile number and e-mail address (services.set_contact)."""
    patient = _patient(request, patient_id, "contact details")
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.set_contact(
                actor=request.actor,  # type: ignore[attr-defined]
                patient=patient,
                mobile=form.cleaned_data["mobile"],
                email=form.cleaned_data["email"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The contact details are saved."))
            return redirect("questionnaires:patient", patient_id=patient.pk)
    patient.refresh_from_db(fields=["mobile", "email"])
    return _page(request, patient, contact_form=form, status=400)


@login_required
@require_POST
def send(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Sends the patient a form to answer: by SMS or e-mail, on the clinic tablet, or as a
    link shown once to copy."""
    patient = _patient(request, patient_id, "questionnaire invitation")
    form = SendForm(
        request.POST, interventions=selectors.followed_up_interventions(patient=patient)
    )
    if form.is_valid():
        data = form.cleaned_data
        made = _create_once(
            request,
            form=form,
            patient=patient,
            channel=data["channel"],
            purpose=Purpose.QUESTIONNAIRE,
            form_name=data["form"],
            intervention=data["intervention"],
        )
        if made is not None:
            return made
    return _page(request, patient, send_form=form, status=400)


@login_required
@require_POST
def send_access_log(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Sends the patient the link to their own access log (who has seen their data)."""
    patient = _patient(request, patient_id, "access-log invitation")
    form = AccessLogForm(request.POST)
    if form.is_valid():
        made = _create_once(
            request,
            form=form,
            patient=patient,
            channel=form.cleaned_data["channel"],
            purpose=Purpose.ACCESS_LOG,
            form_name="",
            intervention=None,
        )
        if made is not None:
            return made
    return _page(request, patient, access_form=form, status=400)


def _create_once(
    request: HttpRequest,
    *,
    form: SendForm | AccessLogForm,
    patient: Patient,
    channel: str,
    purpose: str,
    form_name: str,
    intervention: Any,
) -> HttpResponse | None:
    """Makes the invitation once per form token and answers where it leads; None (and the
    reason at its field of ``form``) when the service refuses it."""
    actor = request.actor  # type: ignore[attr-defined]
    done = submissions.used(token=form.token)
    if done is None:
        try:
            with transaction.atomic():
                invitation, _token = services.create_invitation(
                    actor=actor,
                    unit=actor.clinical_unit,
                    patient=patient,
                    channel=channel,
                    purpose=purpose,
                    form=form_name,
                    intervention=intervention,
                )
                submissions.remember(token=form.token, record=invitation)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error(None, error)
            return None
        except IntegrityError:
            # the same token saved by a click a moment earlier: go where that one went
            done = submissions.used(token=form.token)
            if done is None:
                raise
        else:
            return _after_sending(request, invitation, first=True)
    invitation = selectors.unit_invitation(actor=actor, invitation_id=done.form_id)
    return _after_sending(request, invitation, first=False)


def _after_sending(request: HttpRequest, invitation: Invitation, *, first: bool) -> HttpResponse:
    if invitation.channel == Channel.TABLET:
        return redirect("questionnaires:tablet", invitation_id=invitation.pk)
    if invitation.channel == Channel.LINK:
        if first:
            request.session[SHOW_LINK] = [*request.session.get(SHOW_LINK, []), invitation.pk]
        return redirect("questionnaires:link", invitation_id=invitation.pk)
    if first:
        messages.success(request, _sent_message(invitation))
    return redirect(
        reverse("questionnaires:patient", kwargs={"patient_id": invitation.patient_id})
        + "#invitations"
    )


def _sent_message(invitation: Invitation) -> str:
    if invitation.sent_at and invitation.sent_at > timezone.now():
        when = formats.date_format(timezone.localtime(invitation.sent_at), "SHORT_DATETIME_FORMAT")
        return _("No SMS is sent at night: this one goes at %(when)s.") % {"when": when}
    if invitation.channel == Channel.SMS:
        return _("The invitation is being sent by SMS.")
    return _("The invitation is being sent by e-mail.")


@login_required
@require_POST
def withdraw(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """Withdraws an open link (sent to the wrong number, say): it opens nothing after this."""
    actor = request.actor  # type: ignore[attr-defined]
    invitation = selectors.unit_invitation(actor=actor, invitation_id=invitation_id)
    patient = _patient(request, invitation.patient_id, "questionnaire invitation")
    was_open = invitation.state == State.OPEN
    services.withdraw(actor=actor, invitation=invitation)
    if was_open:
        messages.success(request, _("The link is withdrawn: it opens nothing now."))
    else:
        messages.info(request, _("The link was no longer open."))
    return redirect(
        reverse("questionnaires:patient", kwargs={"patient_id": patient.pk}) + "#invitations"
    )


@login_required
def tablet(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """The clinic tablet's invitation: its short code, large, and the QR code of its link,
    while the code is valid; then "Hand over this tablet"."""
    invitation = selectors.unit_invitation(actor=request.actor, invitation_id=invitation_id)  # type: ignore[attr-defined]
    patient = _patient(request, invitation.patient_id, "questionnaire tablet")
    usable = (
        invitation.channel == Channel.TABLET and invitation.usable and invitation.short_code_valid
    )
    context: dict[str, Any] = {"invitation": invitation, "patient": patient, "usable": usable}
    if usable:
        link = services.link_for(services.token_of(invitation))
        context["short_code"] = grouped(invitation.short_code or "")
        context["qr"] = qr_svg(link, title=_("QR code of the patient's link"))
    return render(request, "questionnaires/staff/tablet.html", context)


@login_required
@require_POST
def hand_over(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """Hands the device to the patient: the clinician is logged out (audited as a logout),
    then the device opens the patient's page of this invitation, so the clinician's session
    is never on the tablet in the patient's hands."""
    invitation = selectors.unit_invitation(actor=request.actor, invitation_id=invitation_id)  # type: ignore[attr-defined]
    _patient(request, invitation.patient_id, "questionnaire tablet")
    if invitation.channel != Channel.TABLET or not invitation.usable:
        messages.error(request, _("This link can no longer be used: send a new one."))
        return redirect("questionnaires:tablet", invitation_id=invitation.pk)
    token = services.token_of(invitation)
    logout(request)
    return redirect(reverse("patient:start", kwargs={"token": token}))


@login_required
def link(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """The link of a "link" invitation, shown once, right after it was made (it is not stored:
    after that only a new invitation gives a link)."""
    invitation = selectors.unit_invitation(actor=request.actor, invitation_id=invitation_id)  # type: ignore[attr-defined]
    patient = _patient(request, invitation.patient_id, "questionnaire link")
    waiting = request.session.get(SHOW_LINK, [])
    shown = None
    if invitation.pk in waiting:
        request.session[SHOW_LINK] = [pk for pk in waiting if pk != invitation.pk]
        if invitation.channel == Channel.LINK and invitation.usable:
            shown = services.link_for(services.token_of(invitation))
    context = {"invitation": invitation, "patient": patient, "link": shown}
    return render(request, "questionnaires/staff/link.html", context)


@login_required
def unit(request: HttpRequest) -> HttpResponse:
    """The unit's invitations in figures, and the switch of automatic patient controls."""
    actor = request.actor  # type: ignore[attr-defined]
    months, total = stats.unit_figures(unit=actor.clinical_unit)
    context = {
        "unit": actor.clinical_unit,
        "months": months,
        "total": total,
        "may_switch": actor.role == Role.UNIT_LEADER,
    }
    return render(request, "questionnaires/staff/unit.html", context)


@login_required
@require_POST
def automatic(request: HttpRequest) -> HttpResponse:
    """The unit leader turns the automatic sending of patient controls on or off."""
    on = request.POST.get("invites_patients") == "on"
    services.set_automatic(actor=request.actor, on=on)  # type: ignore[attr-defined]
    messages.success(
        request,
        _("Patient controls are now sent automatically when their window opens.")
        if on
        else _("Patient controls are no longer sent automatically."),
    )
    return redirect("questionnaires:unit")
