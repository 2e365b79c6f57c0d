"""``POST /fhir/`` (issue 14 point 1): a transaction Bundle carrying a doctor's assessment is
stored as the doctor's assessment page stores one: the clinic's ``DoctorAssessmentForm`` checks
it (the same limits, the same rule for regions and totals, ST-1), its ``commit`` saves it with
its regions through records.services.save_record (all or nothing, one audit row with the client
as the actor) and the engine computes IHS4 (ST-2), AN (MO-2), the worst Hurley stage and BMI
as for the page. The answer is a ``transaction-response`` Bundle with each Observation's id
(hsreg.fhir.resources.ids: ``da-<pk>-<code>[-<region>]``).

A retry does not register the assessment twice: a Bundle's ``identifier`` (system|value) is
kept as the save's one-time token (records.submissions, as a page's token), so the same
transaction sent again answers the first result; the same identifier with other content is a
409. Tokens are kept two days (records.submissions.KEPT).
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from hsreg.accounts.actor import Actor
from hsreg.assessments.forms import DoctorAssessmentForm
from hsreg.assessments.models import DoctorAssessment
from hsreg.fhir import codes
from hsreg.fhir.api import BodyError, fhir_api, json_body
from hsreg.fhir.resources.ids import DOCTOR, observation_id
from hsreg.fhir.responses import fhir_response
from hsreg.records import submissions

from .assessment import ROOT, VALUES, Assessment, read_bundle
from .problems import Problems, Refused, form_text
from .references import find_patient

LANGUAGE = "en"  # the OperationOutcome's texts are English machine texts
TOTALS = ("nodules", "abscesses", "draining_tunnels", "hurley")
#: what to send for a field the form asks for and no entry gave
MISSING = {
    **{
        cell: f"Send the Observation {slug} (per body region, or without bodySite for all)."
        for slug, cell in VALUES.values()
        if cell in TOTALS
    },
    "intervention": f"A control names the intervention it follows up: extension "
    f"{codes.INTERVENTION_EXTENSION}.",
}


@fhir_api(POST="system/Observation.c")
def transaction_view(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Answers a transaction Bundle of one doctor's assessment: 200 with the
    transaction-response Bundle, or an OperationOutcome (400 a Bundle not taken, 404 a patient
    not found, 409 an identifier reused for another transaction, 413/415 the body)."""
    try:
        bundle = json_body(request)
    except BodyError as error:
        return error.response()
    with translation.override(LANGUAGE):
        try:
            found, record = write_assessment(bundle=bundle, actor=actor)
        except Refused as refused:
            return refused.response()
    return fhir_response(transaction_response(found, record))


def write_assessment(
    *, bundle: dict[str, Any], actor: Actor
) -> tuple[Assessment, DoctorAssessment]:
    """The assessment of ``bundle`` saved (or, for a retry, the one saved first), with what
    the Bundle said; ``Refused`` with every problem otherwise."""
    found = read_bundle(bundle)
    key, content = _tokens(bundle, actor=actor)
    if key and (first := _first_result(key, content)) is not None:
        return found, first
    assert found.patient is not None  # noqa: S101 - read_bundle refuses a Bundle without one
    patient = find_patient(actor=actor, number=found.patient, path=found.paths["patient"])
    form = DoctorAssessmentForm(
        found.data(),
        patient=patient,
        instance=DoctorAssessment(patient=patient, unit=actor.unit),
        finishing=bool(found.finish),
    )
    problems = Problems()
    if not form.is_valid():
        for name in form.errors:
            text = form_text(form, name)
            if name not in found.paths and name in MISSING:
                text += f" {MISSING[name]}"
            problems.add(found.path_of(name), text)
    else:
        _check_totals(found, form, problems)
    problems.raise_if_any(status=400)
    try:
        with transaction.atomic():
            record = form.commit(actor=actor, token=key)
            submissions.remember(token=content, record=record)
    except IntegrityError:
        # the same transaction sent twice at once: the first one saved it
        first = _first_result(key, content) if key else None
        if first is None:
            raise
        return found, first
    assert isinstance(record, DoctorAssessment)  # noqa: S101
    return found, record


def _check_totals(found: Assessment, form: DoctorAssessmentForm, problems: Problems) -> None:
    """A total sent beside counts per region must be what the regions give (the form takes the
    regions' sums and worst stage, ST-1): a different one is refused, never silently replaced."""
    for value in found.values:
        if value.cell in TOTALS and not value.region:
            derived = form.cleaned_data.get(value.cell)
            if derived is not None and str(derived) != value.value:
                problems.add(
                    value.value_path,
                    f"The body regions give {derived} (ST-1); leave the total out or send "
                    "the regions' total.",
                )


def _tokens(bundle: dict[str, Any], *, actor: Actor) -> tuple[str, str]:
    """(token of the Bundle's identifier for this client, token of the identifier with the
    Bundle's content), or ('', '') without an identifier. Tokens fit records.submissions."""
    identifier = bundle.get("identifier")
    if not isinstance(identifier, dict):
        return "", ""
    system, value = identifier.get("system"), identifier.get("value")
    if not isinstance(value, str) or not value:
        return "", ""
    client = getattr(actor.known_user, "pk", "")
    key = _digest(f"fhir-transaction|{client}|{system}|{value}")
    entries = json.dumps(bundle.get("entry"), sort_keys=True, separators=(",", ":"))
    return key, _digest(f"{key}|{entries}")


def _digest(text: str) -> str:
    raw = hashlib.sha256(text.encode()).digest()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _first_result(key: str, content: str) -> DoctorAssessment | None:
    """The assessment a transaction with this identifier saved, if one did; ``Refused`` 409
    when that transaction had other content, or its assessment is gone (a discarded draft)."""
    done = submissions.used(token=key)
    if done is None:
        return None
    record = DoctorAssessment.objects.filter(pk=done.form_id).first()
    same = submissions.used(token=content)
    if record is None or same is None or same.form_id != done.form_id:
        raise Refused(
            [
                (
                    f"{ROOT}.identifier",
                    "This identifier was used for another transaction (or its assessment was "
                    "discarded); give a new identifier.",
                )
            ],
            status=409,
            code="duplicate",
        )
    return record


def transaction_response(found: Assessment, record: DoctorAssessment) -> dict[str, Any]:
    """The transaction-response Bundle: an entry per entry sent, in order, with the
    Observation's id and version."""
    by_index = {value.index: value for value in found.values}
    entries = []
    for index in sorted(by_index):
        value = by_index[index]
        oid = observation_id(form=DOCTOR, pk=record.pk, slug=value.slug, region=value.region)
        entries.append(
            {
                "response": {
                    "status": "201 Created",
                    "location": f"Observation/{oid}",
                    "etag": f'W/"{record.version}"',
                    "lastModified": record.updated_at.isoformat(),
                }
            }
        )
    return {"resourceType": "Bundle", "type": "transaction-response", "entry": entries}
