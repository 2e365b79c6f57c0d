"""What a form page answers when a save cannot be done as asked (issue 11): a repeated
submission of one page (double-click, two tabs, Back and resubmit) goes to the form the first
one saved; a save over a newer version shows the conflict page (409) with both values of every
changed answer and the typed ones still in the form; a lost race for a form the patient has
once (the medical history) goes to the form that won. records.views calls these; the rules
themselves are in records.services, records.conflicts and records.submissions.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hsreg.patients.models import Patient
from hsreg.patients.selectors import current, drafts

from . import submissions
from .conflicts import ConflictError, differences, parse_version
from .forms import RecordForm
from .kinds import Kind
from .models import Record


def page_state(request: HttpRequest, record: Any, posted: Any = None) -> dict[str, Any]:
    """The hidden fields of a form page: its one-time token (the posted one again when the page
    is shown again unsaved, so a later save of it still counts once) and the version the user
    started from (the posted one, never the row's current one, which may be newer). ``posted``
    is a POST kept over an expired session (accounts.kept_forms), read as the POST would be."""
    if posted is None and request.method == "POST":
        posted = request.POST
    if posted is not None:
        token = submissions.posted_token(posted.get("submission"))
        version = parse_version(posted.get("version"))
        return {
            "submission": token or submissions.new_token(),
            "version": record.version if version is None else version,
        }
    return {"submission": submissions.new_token(), "version": record.version}


def repeated(request: HttpRequest, kind: Kind, patient: Patient) -> HttpResponse | None:
    """Where a POST goes whose page was already saved (its token used), or None."""
    done = submissions.used(token=submissions.posted_token(request.POST.get("submission")))
    if done is None:
        return None
    messages.info(
        request, _("This page was already saved; the repeated submission was not saved again.")
    )
    if done.form != kind.model._meta.model_name:
        return redirect("patients:detail", patient_id=patient.pk)
    return redirect("records:detail", patient_id=patient.pk, kind=kind.slug, record_id=done.form_id)


def conflict_page(
    request: HttpRequest, kind: Kind, patient: Patient, form: RecordForm, conflict: ConflictError
) -> HttpResponse:
    """The form as typed, above it every answer that differs from the stored version (both
    values) and who saved that version when; its hidden version is now the stored one, so
    saving again saves over it on purpose. A form finished meanwhile is not offered for saving:
    the typed answers stay listed beside the stored ones, for a correction."""
    stored = conflict.stored
    context = {
        "kind": kind,
        "patient": patient,
        "record": form.instance,
        "form": form,
        "live": form.live_context() if kind.live else None,  # type: ignore[attr-defined]
        "corrects": form.instance.replaces,
        "conflict": {
            "stored": stored,
            "loaded": conflict.loaded,
            "editable": stored.is_editable,
            "differences": differences(typed=form, stored=stored),
        },
        **page_state(request, form.instance),
        "version": stored.version,  # saving again saves over the stored version on purpose
    }
    return render(request, kind.template, context, status=409)


def finished_meanwhile(request: HttpRequest, kind: Kind, record: Record) -> HttpResponse | None:
    """A POST of a draft's page after the draft was finished by someone else: the conflict
    page (typed and stored answers side by side, nothing saved) rather than a redirect that
    would drop what was typed. None when this is no such POST."""
    if request.method != "POST":
        return None
    loaded = parse_version(request.POST.get("version"))
    if loaded is None or loaded == record.version:
        return None
    if (again := repeated(request, kind, record.patient)) is not None:
        return again
    stored = type(record).objects.get(pk=record.pk)  # the form below fills ``record`` in
    form = kind.form(request.POST, patient=record.patient, instance=record)
    form.is_valid()  # the answers that can be read are compared; the others are not saved
    return conflict_page(request, kind, record.patient, form, ConflictError(stored, loaded=loaded))


def lost_race(request: HttpRequest, kind: Kind, patient: Patient) -> HttpResponse:
    """A new form the patient may have only once, refused by the database because another
    request stored one first: opens that one (the reader's unit's draft, or the current
    finished form) instead of an error."""
    messages.info(
        request, _("The patient has this form already (it was started meanwhile); it is opened.")
    )
    draft = drafts(kind.model, patient=patient).first()
    if draft is not None:
        return redirect("records:edit", patient_id=patient.pk, kind=kind.slug, record_id=draft.pk)
    done = current(kind.model, patient=patient).first()
    if done is not None:
        return redirect("records:detail", patient_id=patient.pk, kind=kind.slug, record_id=done.pk)
    messages.info(request, _("Another unit is writing it; a patient has one."))
    return redirect("patients:detail", patient_id=patient.pk)
