"""The pages of H-resept delegation (TX-6). Thin: delegations.selectors reads (scoped to the
actor's unit, audited), delegations.services writes; accounts.access.ACCESS says who reaches
each page, and the selectors which delegation they see."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hsreg.audit.models import Action
from hsreg.audit.services import log_many
from hsreg.guideline.catalog import drug_name
from hsreg.guideline.text import Text
from hsreg.patients.case_document import load
from hsreg.patients.selectors import get_patient
from hsreg.units.models import UnitKind
from hsreg.web.language import pick

from . import selectors, services
from .forms import ApproveForm, DepartmentForm, RejectForm, RequestForm
from .models import Delegation, DelegationStatus, RegionalDepartment
from .summary import eligibility_summary, evaluation_of

_MET = {True: "met", False: "not_met", None: "unknown"}


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _criteria(summary: dict[str, Any]) -> list[dict[str, str]]:
    """TX-6's criteria of a stored summary in the user's language."""
    return [
        {
            "name": name,
            "rule_id": row.get("rule_id", "TX-6"),
            "met": _MET[row.get("met")],
            "reason": pick(Text(row["reason"]["nb"], row["reason"]["en"])),
        }
        for name, row in summary.get("criteria", {}).items()
    ]


def _drug(delegation: Delegation) -> str:
    return pick(drug_name(delegation.drug))


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_http_methods(["GET", "POST"])
def request_view(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The practice's "Request H-resept approval" for one of its patients (TX-6), showing the
    eligibility summary with its rule ids before sending."""
    actor = request.actor  # type: ignore[attr-defined]
    patient = get_patient(actor=actor, patient_id=patient_id, target="H-resept request")
    unit = actor.clinical_unit
    is_practice = unit is not None and unit.kind == UnitKind.PRIVATE
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            delegation = services.request_delegation(
                actor=actor, patient=patient, drug=form.cleaned_data["drug"], site=_site(request)
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request, _("Delegation request #%(id)s is sent (TX-6).") % {"id": delegation.pk}
            )
            return redirect("delegations:detail", delegation_id=delegation.pk)
    summary = eligibility_summary(patient=patient, on=timezone.localdate())
    return render(
        request,
        "delegations/request.html",
        {
            "patient": patient,
            "form": form,
            "is_practice": is_practice,
            "department": selectors.department_for(region=unit.region) if unit else None,
            "summary": summary,
            "criteria": _criteria(summary),
            "earlier": list(selectors.patient_delegations(actor=actor, patient_id=patient.pk)),
        },
        status=400 if form.errors else 200,
    )


def index(request: HttpRequest) -> HttpResponse:
    """The department's worklist (pending requests, approvals expiring within 30 days) and
    the practice's own requests."""
    actor = request.actor  # type: ignore[attr-defined]
    today = timezone.localdate()
    unit = actor.clinical_unit
    worklist = None
    if selectors.is_department(unit=unit):
        worklist = selectors.department_worklist(actor=actor, today=today)
    own: list[Delegation] = []
    is_practice = unit is not None and unit.kind == UnitKind.PRIVATE
    if is_practice:
        own = list(selectors.practice_requests(actor=actor)[:200])
        log_many(
            actor=actor,
            action=Action.LIST,
            patient_ids=sorted({d.patient_id for d in own}),
            target="delegation requests",
        )
    return render(
        request,
        "delegations/index.html",
        {
            "worklist": worklist,
            "own": own,
            "today": today,
            "is_practice": is_practice,
        },
    )


def detail(request: HttpRequest, delegation_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    delegation = selectors.get_delegation(actor=actor, delegation_id=delegation_id)
    return _detail(request, delegation)


def _detail(
    request: HttpRequest,
    delegation: Delegation,
    *,
    approve: ApproveForm | None = None,
    reject: RejectForm | None = None,
    error: str = "",
) -> HttpResponse:
    unit = request.actor.clinical_unit  # type: ignore[attr-defined]
    is_department = unit is not None and unit.pk == delegation.department_id
    is_practice = unit is not None and unit.pk == delegation.practice_id
    pending = delegation.status == DelegationStatus.PENDING
    today = timezone.localdate()
    return render(
        request,
        "delegations/detail.html",
        {
            "delegation": delegation,
            "drug": _drug(delegation),
            "criteria": _criteria(delegation.summary),
            "summary": delegation.summary,
            "is_department": is_department,
            "is_practice": is_practice,
            "can_decide": is_department and pending,
            "can_withdraw": is_practice
            and delegation.status in (DelegationStatus.PENDING, DelegationStatus.APPROVED),
            "can_renew": is_practice
            and delegation.status == DelegationStatus.APPROVED
            and delegation.valid_until is not None
            and delegation.valid_until >= today,
            "can_read_patient": is_department
            and delegation.status in (DelegationStatus.PENDING, DelegationStatus.APPROVED),
            "approve_form": approve or ApproveForm(),
            "reject_form": reject or RejectForm(),
            "error": error,
        },
        status=400 if error or (approve and approve.errors) or (reject and reject.errors) else 200,
    )


def _step(
    request: HttpRequest,
    delegation_id: int,
    *,
    act: Callable[[Any, Delegation, dict[str, Any], str], Delegation | None],
    done: str,
    form_class: type[forms.Form] | None = None,
    form_name: str = "",
) -> HttpResponse:
    """One step on a delegation (approve, reject, withdraw, renew): its form checked, the
    service called, a refusal shown on the request's page with its reason. ``act`` returns the
    delegation shown next (for a renewal, the new request); ``done`` is the message."""
    actor = request.actor  # type: ignore[attr-defined]
    delegation = selectors.get_delegation(actor=actor, delegation_id=delegation_id)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _detail(request, delegation, **{form_name: form})
    values = form.cleaned_data if form is not None else {}
    try:
        shown = act(actor, delegation, values, _site(request)) or delegation
    except ValidationError as error:
        return _detail(request, delegation, error=_error_text(error))
    messages.success(request, done % {"id": shown.pk})
    return redirect("delegations:detail", delegation_id=shown.pk)


@require_POST
def approve(request: HttpRequest, delegation_id: int) -> HttpResponse:
    return _step(
        request,
        delegation_id,
        act=lambda actor, delegation, values, site: services.approve_delegation(
            actor=actor, delegation=delegation, valid_until=values["valid_until"], site=site
        ),
        done=_("Delegation request #%(id)s is approved."),
        form_class=ApproveForm,
        form_name="approve",
    )


@require_POST
def reject(request: HttpRequest, delegation_id: int) -> HttpResponse:
    return _step(
        request,
        delegation_id,
        act=lambda actor, delegation, values, site: services.reject_delegation(
            actor=actor, delegation=delegation, reason=values["reason"], site=site
        ),
        done=_("Delegation request #%(id)s is rejected."),
        form_class=RejectForm,
        form_name="reject",
    )


@require_POST
def withdraw(request: HttpRequest, delegation_id: int) -> HttpResponse:
    return _step(
        request,
        delegation_id,
        act=lambda actor, delegation, _values, site: services.withdraw_delegation(
            actor=actor, delegation=delegation, site=site
        ),
        done=_("Delegation request #%(id)s is withdrawn."),
    )


@require_POST
def renew(request: HttpRequest, delegation_id: int) -> HttpResponse:
    return _step(
        request,
        delegation_id,
        act=lambda actor, delegation, _values, site: services.renew_delegation(
            actor=actor, delegation=delegation, site=site
        ),
        done=_("Delegation request #%(id)s (a renewal) is sent."),
    )


def patient_summary(request: HttpRequest, delegation_id: int) -> HttpResponse:
    """The department reads the delegated patient's summary under this care relationship:
    TX-6's criteria today, the current courses and the latest scores (read-only; logged)."""
    actor = request.actor  # type: ignore[attr-defined]
    delegation = selectors.delegated_patient(actor=actor, delegation_id=delegation_id)
    patient = delegation.patient
    today = timezone.localdate()
    summary = eligibility_summary(patient=patient, on=today)
    evaluation = evaluation_of(patient=patient, on=today)
    courses = [c for c in load(patient).courses if c.end is None or c.end >= today]
    return render(
        request,
        "delegations/patient_summary.html",
        {
            "delegation": delegation,
            "patient": patient,
            "drug": _drug(delegation),
            "summary": summary,
            "criteria": _criteria(summary),
            "courses": [(c, pick(drug_name(c.drug))) for c in courses],
            "staging": evaluation.staging if evaluation else None,
            "dlqi": evaluation.dlqi if evaluation else None,
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
def departments(request: HttpRequest) -> HttpResponse:
    """The coordinator's configuration: which university hospital department decides H-resept
    requests for each health region (TX-6)."""
    form = DepartmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_department(
            actor=request.actor,  # type: ignore[attr-defined]
            region=form.cleaned_data["region"],
            unit=form.cleaned_data["unit"],
        )
        messages.success(request, _("The department is saved."))
        return redirect("delegations:departments")
    return render(
        request,
        "delegations/departments.html",
        {"form": form, "rows": RegionalDepartment.objects.select_related("unit")},
        status=400 if form.errors else 200,
    )
