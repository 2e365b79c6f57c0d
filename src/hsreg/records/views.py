"""The registry forms' pages, generic over records.kinds: new, edit (drafts), detail (read-only
with the versions), correct, discard, and the live scores of a form being typed.

Thin: patients and forms are read through patients.selectors with the user's unit (another
unit's patient or form is 404), every write goes through records.services via the form's
``commit``; what a form asks and checks is in its form class.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hsreg.accounts import kept_forms
from hsreg.accounts.actor import Actor
from hsreg.patients.models import Patient
from hsreg.patients.selectors import current, drafts, get_patient, get_record, held_elsewhere

from . import saving
from .conflicts import ConflictError, parse_version
from .forms import CorrectionForm, RecordForm
from .kinds import Kind, get_kind
from .models import Record, Status
from .services import ReadOnlyError, discard_draft, save_record, start_correction


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined, no-any-return]


def _detail(kind: Kind, record: Record) -> HttpResponse:
    return redirect(
        "records:detail", patient_id=record.patient_id, kind=kind.slug, record_id=record.pk
    )


def _edit(kind: Kind, record: Record) -> HttpResponse:
    return redirect(
        "records:edit", patient_id=record.patient_id, kind=kind.slug, record_id=record.pk
    )


def _versions(record: Record) -> dict[str, Any]:
    """The earlier versions this form corrects (newest first) and the one correcting it."""
    earlier = []
    step = record.replaces
    while step is not None:
        earlier.append(step)
        step = step.replaces
    later = type(record).objects.filter(replaces=record).first()
    return {"earlier": earlier, "later": later}


def _form_page(
    request: HttpRequest,
    kind: Kind,
    patient: Patient,
    record: Record,
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    """Shows the form, or saves it as a draft (action=draft) or finished (action=finish). A
    form posted after the user's session expired is shown as it was typed (kept_forms)."""
    status = 200
    kept = None
    if request.method == "POST":
        if (again := saving.repeated(request, kind, patient)) is not None:
            return again  # this page was saved already (double-click, two tabs, Back)
        finishing = request.POST.get("action") == "finish"
        form: RecordForm = kind.form(
            request.POST, patient=patient, instance=record, finishing=finishing
        )
        if form.is_valid():
            state = saving.page_state(request, record)
            try:
                saved = form.commit(
                    actor=_actor(request),
                    loaded_version=parse_version(request.POST.get("version")),
                    token=state["submission"],
                )
            except ConflictError as conflict:
                again = saving.repeated(request, kind, patient)  # a second click lost the race
                return again or saving.conflict_page(request, kind, patient, form, conflict)
            except IntegrityError:
                if (again := saving.repeated(request, kind, patient)) is not None:
                    return again
                if not kind.single:
                    raise
                return saving.lost_race(request, kind, patient)
            except ReadOnlyError:
                messages.error(request, _("This form was finished meanwhile and was not changed."))
                return _detail(kind, record)
            _announce(request, kind, form, saved)
            return redirect("patients:detail", patient_id=patient.pk)
        status = 400
    elif (kept := kept_forms.take(request)) is not None:
        # typed before the session expired: shown filled in again, not saved (issue 12)
        form = kind.form(kept, patient=patient, instance=record)
    else:
        form = kind.form(patient=patient, instance=record, initial=initial)
    context = {
        "kind": kind,
        "patient": patient,
        "record": record,
        "form": form,
        "live": form.live_context() if kind.live else None,  # type: ignore[attr-defined]
        "corrects": record.replaces,
        "kept": kept,
        **saving.page_state(request, record, posted=kept),
    }
    return render(request, kind.template, context, status=status)


def _announce(request: HttpRequest, kind: Kind, form: RecordForm, saved: Record) -> None:
    if saved.status == Status.FINISHED:
        text = _("%(form)s #%(id)s finished.") % {"form": kind.title, "id": saved.pk}
        if saved.replaces_id is not None:
            text += " " + _("The earlier version #%(id)s is kept as corrected.") % {
                "id": saved.replaces_id
            }
        messages.success(request, text)
    else:
        messages.success(
            request, _("Draft of %(form)s #%(id)s saved.") % {"form": kind.title, "id": saved.pk}
        )
    for name, warning in form.warnings.items():
        messages.warning(request, f"{form.fields[name].label}: {warning}")
    for text, url in form.next_steps(saved):
        messages.info(request, format_html('<a href="{}">{}</a>', url, text))


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, patient_id: int, kind: str) -> HttpResponse:
    found = get_kind(kind)
    patient = get_patient(actor=_actor(request), patient_id=patient_id, target=f"new {kind}")
    if found.single:
        draft = drafts(found.model, patient=patient).first()
        if draft is not None:
            return _edit(found, draft)
        done = current(found.model, patient=patient).first()
        if done is not None:
            if done.unit_id != _actor(request).unit.pk:
                text = _("Another unit has registered this form; only that unit can correct it.")
            else:
                text = _("The patient has this form; correct it to change it.")
            messages.info(request, text)
            return _detail(found, done)
        if held_elsewhere(found.model, patient=patient):
            messages.info(
                request,
                _(
                    "Another unit has registered this form for the patient. It is shown "
                    "read-only once the patient's consent to sharing is recorded."
                ),
            )
            return redirect("patients:detail", patient_id=patient.pk)
    record = found.model(patient=patient, unit=_actor(request).unit)
    initial = found.form.initial_from_query(request.GET, patient)
    return _form_page(request, found, patient, record, initial)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, patient_id: int, kind: str, record_id: int) -> HttpResponse:
    found = get_kind(kind)
    record = get_record(
        found.model,
        actor=_actor(request),
        patient_id=patient_id,
        record_id=record_id,
        for_change=True,  # only the unit that wrote a form changes it
    )
    if not record.is_editable:
        if (conflict := saving.finished_meanwhile(request, found, record)) is not None:
            return conflict
        messages.info(request, _("A finished form is read-only; correct it to change it."))
        return _detail(found, record)
    return _form_page(request, found, record.patient, record)


@login_required
@require_http_methods(["GET"])
def detail(request: HttpRequest, patient_id: int, kind: str, record_id: int) -> HttpResponse:
    found = get_kind(kind)
    record = get_record(
        found.model, actor=_actor(request), patient_id=patient_id, record_id=record_id
    )
    if record.is_editable:
        return _edit(found, record)
    form = found.form(patient=record.patient, instance=record)
    context = {
        "kind": found,
        "patient": record.patient,
        "record": record,
        "form": form,
        "rows": form.display(),
        "next_steps": form.next_steps(record),
        **_versions(record),
    }
    if record.unit_id != _actor(request).unit.pk:  # another unit's, shown with consent
        context["other_unit"] = record.unit
        if context["later"] is not None and context["later"].status == Status.DRAFT:
            context["later"] = None  # the other unit's drafts are not shared
    return render(request, found.detail_template, context)


@login_required
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, patient_id: int, kind: str, record_id: int) -> HttpResponse:
    """Asks why, then opens a draft copy that replaces the form when finished."""
    found = get_kind(kind)
    record = get_record(
        found.model,
        actor=_actor(request),
        patient_id=patient_id,
        record_id=record_id,
        for_change=True,  # only the unit that wrote a form changes it
    )
    started = found.model.objects.filter(replaces=record, status=Status.DRAFT).first()
    if started is not None:
        return _edit(found, started)
    if record.status != Status.FINISHED:
        if record.is_editable:
            return _edit(found, record)
        messages.info(request, _("Only the current version of a form can be corrected."))
        return _detail(found, record)
    kept = kept_forms.take(request) if request.method == "GET" else None
    form = CorrectionForm(request.POST or kept or None)
    if request.method == "POST" and form.is_valid():
        copy = start_correction(
            record=record,
            user=request.user,
            reason=form.cleaned_data["reason"],
            actor=_actor(request),
        )
        try:
            save_record(
                record=copy,
                actor=_actor(request),
                finish=False,
                children=found.form.copy_children(record),
            )
        except IntegrityError:
            messages.info(request, _("A correction of this form was started meanwhile."))
            return _detail(found, record)
        return _edit(found, copy)
    context = {"kind": found, "patient": record.patient, "record": record, "form": form}
    context["kept"] = kept
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "records/correct.html", context, status=status)


@login_required
@require_POST
def discard(request: HttpRequest, patient_id: int, kind: str, record_id: int) -> HttpResponse:
    """Discards a draft once the user has confirmed it (``confirmed=yes``); without that, the
    page that asks."""
    found = get_kind(kind)
    record = get_record(
        found.model,
        actor=_actor(request),
        patient_id=patient_id,
        record_id=record_id,
        for_change=True,  # only the unit that wrote a form changes it
    )
    if not record.is_editable:
        messages.error(request, _("Only drafts can be discarded."))
        return _detail(found, record)
    if request.POST.get("confirmed") != "yes":
        # asked first, on a page of its own (hsreg.js asks in a dialog instead when it runs)
        context = {"kind": found, "patient": record.patient, "record": record}
        return render(request, "records/discard.html", context)
    try:
        discard_draft(record=record, actor=_actor(request))
    except ProtectedError:
        messages.error(request, _("Other forms refer to this draft; it was kept."))
        return _edit(found, record)
    messages.success(request, _("The draft was discarded."))
    return redirect("patients:detail", patient_id=patient_id)


@login_required
@require_POST
def live(request: HttpRequest, patient_id: int, kind: str) -> HttpResponse:
    """The scores of the form as typed (HTML fragment for hsreg.js), computed by the engine."""
    found = get_kind(kind)
    if not found.live:
        raise Http404("This form has no live scores")
    # the scores of what is being typed: nothing stored about the patient is shown
    patient = get_patient(actor=_actor(request), patient_id=patient_id, target=None)
    form = found.form(
        request.POST,
        patient=patient,
        instance=found.model(patient=patient, unit=_actor(request).unit),
    )
    context = {"live": form.live_context(), "patient": patient}  # type: ignore[attr-defined]
    return render(request, "records/_live_scores.html", context)
