"""Writes of H-resept delegation (TX-6): request, approve, reject, renew, withdraw.

Each step checks who may take it (the practice's members for request, renew and withdraw; the
department's clinical members for a decision), writes one audit row with the patient's id and
only ids and statuses in its detail (a reason may name people: it stays on the delegation),
and queues a mail to the other side (hsreg.jobs.mails, sent by the worker after the commit).
The mail names no patient: "delegation request #id" and the link to its page.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hsreg.accounts.actor import Actor
from hsreg.accounts.models import Membership, Role
from hsreg.audit.models import Action
from hsreg.audit.services import log
from hsreg.guideline.catalog import BIOLOGICS
from hsreg.guideline.dates import add_months
from hsreg.jobs.mails import queue_mail
from hsreg.patients.models import Enrolment, Patient
from hsreg.units.models import Unit, UnitKind

from .models import Delegation, DelegationStatus, RegionalDepartment
from .selectors import department_for
from .summary import eligibility_summary

#: TX-6 delegation: an approval's default validity, from the decision
DEFAULT_VALIDITY_MONTHS = 12
#: the roles at the department that decide and are mailed a request
DECIDERS = (Role.REGISTRAR, Role.UNIT_LEADER)


class DelegationError(ValidationError):
    """A step that is not allowed, with the reason to show on the page."""


def _practice(actor: Actor) -> Unit:
    unit = actor.clinical_unit
    if unit is None or unit.kind != UnitKind.PRIVATE:
        raise DelegationError(_("Only a private practice requests H-resept approval (TX-6)."))
    return unit


def _deciding(actor: Actor, delegation: Delegation) -> None:
    unit = actor.clinical_unit
    if unit is None or unit.pk != delegation.department_id:
        raise DelegationError(_("Only the department the request was sent to decides it."))


def _link(delegation: Delegation, site: str) -> str:
    path = reverse("delegations:detail", kwargs={"delegation_id": delegation.pk})
    return f"{site.rstrip('/')}{path}"


def _audit(actor: Actor, delegation: Delegation, *, action: Action, step: str) -> None:
    log(
        actor=actor,
        action=action,
        patient_id=delegation.patient_id,
        target=f"delegation {delegation.pk}",
        detail={
            "delegation": delegation.pk,
            "step": step,
            "status": delegation.status,
            "drug": delegation.drug,
            "practice": delegation.practice_id,
            "department": delegation.department_id,
            "renews": delegation.renews_id,
        },
    )


def _department_addresses(delegation: Delegation) -> list[str]:
    return sorted(
        set(
            Membership.objects.filter(
                unit_id=delegation.department_id, role__in=DECIDERS, user__is_active=True
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def _mail_department(delegation: Delegation, *, site: str) -> None:
    to = _department_addresses(delegation)
    if not to:
        return
    queue_mail(  # sent by the worker (hsreg.jobs.mails); no patient is named
        _("hsreg: delegation request #%(id)s (H-resept, TX-6)") % {"id": delegation.pk},
        _(
            "%(practice)s asks your department for approval of delegation request #%(id)s "
            "(H-resept, TX-6). Open it in hsreg to decide: %(link)s"
        )
        % {
            "practice": delegation.practice.name,
            "id": delegation.pk,
            "link": _link(delegation, site),
        },
        to,
    )


def _mail_requester(delegation: Delegation, *, site: str) -> None:
    requester = delegation.requested_by
    email = requester.email if requester is not None else ""
    if not email:
        return
    queue_mail(  # sent by the worker (hsreg.jobs.mails); no patient is named
        _("hsreg: delegation request #%(id)s (H-resept, TX-6)") % {"id": delegation.pk},
        _(
            "%(department)s has decided delegation request #%(id)s (H-resept, TX-6): "
            "%(status)s. Open it in hsreg: %(link)s"
        )
        % {
            "department": delegation.department.name,
            "id": delegation.pk,
            "status": delegation.get_status_display(),
            "link": _link(delegation, site),
        },
        [email],
    )


def _open(
    actor: Actor, *, patient: Patient, drug: str, renews: Delegation | None, site: str
) -> Delegation:
    practice = _practice(actor)
    if drug not in BIOLOGICS:
        raise DelegationError(_("Choose a biologic from the catalog."))
    if not Enrolment.objects.filter(patient=patient, unit=practice).exists():
        raise DelegationError(_("The patient is not enrolled at this practice."))
    department = department_for(region=practice.region)
    if department is None:
        raise DelegationError(
            _("No department is configured to decide H-resept requests for this region (TX-6).")
        )
    duplicate = Delegation.objects.select_for_update().filter(
        patient=patient, drug=drug, status=DelegationStatus.PENDING
    )
    if duplicate.exists():
        raise DelegationError(
            _("A request for this patient and this drug is already pending (TX-6).")
        )
    delegation = Delegation.objects.create(
        patient=patient,
        practice=practice,
        department=department,
        drug=drug,
        summary=eligibility_summary(patient=patient, on=timezone.localdate()),
        requested_by=actor.user,
        renews=renews,
    )
    _audit(actor, delegation, action=Action.CREATE, step="renew" if renews else "request")
    _mail_department(delegation, site=site)
    return delegation


@transaction.atomic
def request_delegation(*, actor: Actor, patient: Patient, drug: str, site: str = "") -> Delegation:
    """A private practice asks its region's department to approve ``drug`` for ``patient``
    (TX-6), with TX-6's eligibility summary as of today."""
    return _open(actor, patient=patient, drug=drug, renews=None, site=site)


@transaction.atomic
def renew_delegation(*, actor: Actor, delegation: Delegation, site: str = "") -> Delegation:
    """A new request linked to an approval before it expires; the approval stays valid until
    its own ``valid_until`` whatever the renewal's decision."""
    today = timezone.localdate()
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if delegation.status != DelegationStatus.APPROVED or (
        delegation.valid_until is not None and delegation.valid_until < today
    ):
        raise DelegationError(_("Only an approval that has not expired is renewed."))
    if actor.clinical_unit is None or actor.clinical_unit.pk != delegation.practice_id:
        raise DelegationError(_("Only the practice that holds the approval renews it."))
    return _open(
        actor, patient=delegation.patient, drug=delegation.drug, renews=delegation, site=site
    )


def _pending(delegation: Delegation) -> Delegation:
    locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if locked.status != DelegationStatus.PENDING:
        raise DelegationError(_("This request has already been decided or withdrawn."))
    return locked


@transaction.atomic
def approve_delegation(
    *, actor: Actor, delegation: Delegation, valid_until: date | None = None, site: str = ""
) -> Delegation:
    """The department approves: valid from today until ``valid_until`` (default 12 months
    after today; for a renewal, 12 months after the renewed approval's end when that is
    later)."""
    _deciding(actor, delegation)
    delegation = _pending(delegation)
    today = timezone.localdate()
    if valid_until is None:
        base = today
        renewed = delegation.renews
        if renewed is not None and renewed.valid_until and renewed.valid_until > today:
            base = renewed.valid_until
        valid_until = add_months(base, DEFAULT_VALIDITY_MONTHS)
    if valid_until < today:
        raise DelegationError(_("The approval must be valid until today or later."))
    delegation.status = DelegationStatus.APPROVED
    delegation.valid_from = today
    delegation.valid_until = valid_until
    delegation.decided_at = timezone.now()
    delegation.decided_by = actor.user
    delegation.save()
    _audit(actor, delegation, action=Action.CHANGE, step="approve")
    _mail_requester(delegation, site=site)
    return delegation


@transaction.atomic
def reject_delegation(
    *, actor: Actor, delegation: Delegation, reason: str, site: str = ""
) -> Delegation:
    """The department rejects, with a reason (kept on the delegation, never in the audit
    log)."""
    _deciding(actor, delegation)
    reason = reason.strip()
    if not reason:
        raise DelegationError(_("Give the reason for the rejection."))
    delegation = _pending(delegation)
    delegation.status = DelegationStatus.REJECTED
    delegation.reject_reason = reason[:500]
    delegation.decided_at = timezone.now()
    delegation.decided_by = actor.user
    delegation.save()
    _audit(actor, delegation, action=Action.CHANGE, step="reject")
    _mail_requester(delegation, site=site)
    return delegation


@transaction.atomic
def withdraw_delegation(*, actor: Actor, delegation: Delegation, site: str = "") -> Delegation:
    """The practice withdraws a pending request, or an approval it no longer needs (the
    approval then covers no day)."""
    if actor.clinical_unit is None or actor.clinical_unit.pk != delegation.practice_id:
        raise DelegationError(_("Only the practice that asked withdraws the request."))
    locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if locked.status not in (DelegationStatus.PENDING, DelegationStatus.APPROVED):
        raise DelegationError(_("This request has already been decided or withdrawn."))
    locked.status = DelegationStatus.WITHDRAWN
    locked.save(update_fields=["status"])
    _audit(actor, locked, action=Action.CHANGE, step="withdraw")
    _mail_department(locked, site=site)
    return locked


@transaction.atomic
def set_department(*, actor: Actor, region: str, unit: Unit) -> RegionalDepartment:
    """The coordinator configures which unit decides for ``region`` (audited)."""
    found, _created = RegionalDepartment.objects.update_or_create(
        region=region, defaults={"unit": unit}
    )
    log(
        actor=actor,
        action=Action.CHANGE,
        target=f"regional department {region}",
        detail={"region": region, "unit": unit.pk},
    )
    return found
