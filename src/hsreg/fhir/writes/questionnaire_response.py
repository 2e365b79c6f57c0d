"""``POST /fhir/QuestionnaireResponse`` (issue 14 point 1): a patient's answers collected by
another system (a patient portal, the hospital record) become the patient's report, as if
typed into the clinic's form.

The answers are read by questionnaires.response (``from_response``: the same reader and the
same checks as the patient's own pages, every refusal at its item's path); they then go into
the clinic's ``PatientReportForm`` with the date (``authored``), the occasion (the
Questionnaire answered: the status form, or the 3- or 6-month control) and, for a control, the
intervention followed up (extension codes.INTERVENTION_EXTENSION), and are saved by its
``commit`` through records.services.save_record: the same validation, the same audit row
(the client as the actor), the patient's due items refreshed.

``status`` is the client's word: ``completed`` is saved finished, ``in-progress`` as a draft
(for a draft an unanswered question is no problem, every answer given is still checked).
The report says it was sent by the patient (``reported_by``) when ``source`` or ``author`` is
the patient, else by the unit; its channel is ``fhir``.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError as PydanticError

from hsreg.accounts.actor import Actor
from hsreg.assessments.forms import PatientReportForm
from hsreg.assessments.models import PatientReport
from hsreg.fhir import codes
from hsreg.fhir.api import BodyError, json_body
from hsreg.fhir.resources.questionnaire_response import build
from hsreg.fhir.responses import fhir_response
from hsreg.patients.models import Patient
from hsreg.questionnaires.answers import UNKNOWN, field_of, from_response
from hsreg.questionnaires.definitions.build import UNKNOWN_SUFFIX
from hsreg.questionnaires.definitions.items import INSTRUMENT_LINK_ID
from hsreg.questionnaires.models import Form
from hsreg.questionnaires.services import OCCASION_OF_FORM

from .problems import Problems, Refused, form_text, pydantic_issues, value_path
from .references import day_of, find_patient, intervention_of, patient_number

ROOT = "QuestionnaireResponse"
#: QuestionnaireResponse.status -> finished (True) or a draft (False)
FINISHES = {"completed": True, "in-progress": False}
#: how questionnaires.response names a question not answered (it has no element to point at)
_MISSING = re.compile(rf"{ROOT}\.item \(linkId ([a-z0-9_-]+)\)")
CHANNEL = "fhir"  # PatientReport.reported_channel (max_length 8)
LANGUAGE = "en"  # the OperationOutcome's texts are English machine texts


def create_questionnaire_response(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Stores a QuestionnaireResponse as the patient's report: 201 with its Location and the
    stored response, or an OperationOutcome (400 unreadable, 404 patient not found, 422 an
    answer or a field the form refuses, one issue per problem). ``fhir_api`` has checked the
    token and ``system/QuestionnaireResponse.c``."""
    try:
        resource = json_body(request)
    except BodyError as error:
        return error.response()
    with translation.override(LANGUAGE):
        try:
            report = write_report(resource=resource, actor=actor)
        except Refused as refused:
            return refused.response()
        stored = build(report)
    response = fhir_response(stored, status=201)
    response["Location"] = request.build_absolute_uri(f"{request.path.rstrip('/')}/{report.pk}")
    return response


def write_report(*, resource: dict[str, Any], actor: Actor) -> PatientReport:
    """The report of ``resource``, saved; ``Refused`` with every problem found otherwise."""
    if resource.get("resourceType") != ROOT:
        raise Refused([(ROOT, "The body is not a QuestionnaireResponse.")], status=400)
    try:
        QuestionnaireResponse.model_validate(resource)
    except PydanticError as error:
        raise Refused(pydantic_issues(error, root=ROOT), status=400) from None
    problems = Problems()
    status = resource.get("status")
    if status not in FINISHES:
        problems.add(f"{ROOT}.status", "Give status completed (finished) or in-progress (draft).")
    number = patient_number(resource.get("subject"), path=f"{ROOT}.subject", problems=problems)
    problems.raise_if_any()
    assert number is not None  # noqa: S101 - no problem means a number
    patient = find_patient(actor=actor, number=number, path=f"{ROOT}.subject")
    day, moment = (None, None)
    if "authored" in resource:
        day, moment = day_of(resource["authored"], path=f"{ROOT}.authored", problems=problems)
    intervention, intervention_path = intervention_of(resource, path=ROOT, problems=problems)
    finish = FINISHES[str(status)]
    form_name, answers = _answers(resource, finish=finish, problems=problems)
    problems.raise_if_any()
    return _save(
        resource=resource,
        actor=actor,
        patient=patient,
        finish=finish,
        form_name=form_name,
        answers=answers,
        data={
            "date": (day or timezone.localdate()).isoformat(),
            "occasion": OCCASION_OF_FORM[Form(form_name)],
            "intervention": intervention,
        },
        # when sent: the time authored, none for a date alone, else the time it arrived
        moment=moment if moment or day else timezone.now(),
        intervention_path=intervention_path,
    )


def _answers(
    resource: dict[str, Any], *, finish: bool, problems: Problems
) -> tuple[str, dict[str, str]]:
    """(form, answers with ``instrument``) as questionnaires.response reads them."""
    try:
        return from_response(resource, complete=finish)
    except ValidationError as error:
        for path, messages in error.message_dict.items():
            problems.add(_fhirpath(resource, path), " ".join(messages))
        return "", {}


def _fhirpath(resource: dict[str, Any], path: str) -> str:
    """The FHIRPath of a problem questionnaires.response names: an answer's value
    (``...answer[0].valueCoding``), or for a question not answered at all, where its item is
    missing (``QuestionnaireResponse.repeat(item).where(linkId='smoking')``)."""
    match = _MISSING.fullmatch(path)
    if match is not None:
        return f"{ROOT}.repeat(item).where(linkId='{match[1]}')"
    return value_path(resource, path)


def _form_data(answers: dict[str, str]) -> dict[str, str]:
    """The answers as the clinic's form posts them: each in its PatientReport field, a
    "don't know" as the field's Unknown box."""
    data = {}
    for link, value in answers.items():
        if link == INSTRUMENT_LINK_ID:
            continue
        name = field_of(link)
        if value == UNKNOWN:
            data[f"{name}_unknown"] = "on"
        else:
            data[name] = value
    return data


def _answer_paths(items: Any, path: str, found: dict[str, str]) -> dict[str, str]:
    """linkId -> the path of its first answer's value, for every answered item."""
    if not isinstance(items, list):
        return found
    for index, item in enumerate(items):
        here = f"{path}.item[{index}]"
        if not isinstance(item, dict):
            continue
        link = item.get("linkId")
        if isinstance(link, str) and isinstance(item.get("answer"), list) and item["answer"]:
            found.setdefault(link.removesuffix(UNKNOWN_SUFFIX), f"{here}.answer[0]")
        _answer_paths(item.get("item"), here, found)
    return found


def _reported_by(resource: dict[str, Any], patient: Patient) -> str:
    """ "patient" when the response says the patient answered (``source`` or ``author``)."""
    own = f"Patient/{patient.pk}"
    for key in ("source", "author"):
        reference = resource.get(key)
        if isinstance(reference, dict) and reference.get("reference") == own:
            return "patient"
    return "clinic"


def _save(
    *,
    resource: dict[str, Any],
    actor: Actor,
    patient: Patient,
    finish: bool,
    form_name: str,
    answers: dict[str, str],
    data: dict[str, str],
    moment: datetime | None,
    intervention_path: str,
) -> PatientReport:
    """Checks the report with the clinic's PatientReportForm and saves it by its ``commit``."""
    record = PatientReport(
        patient=patient,
        unit=actor.unit,
        reported_by=_reported_by(resource, patient),
        reported_channel=CHANNEL,
        reported_at=moment,
    )
    form = PatientReportForm(
        {**_form_data(answers), **data}, patient=patient, instance=record, finishing=finish
    )
    paths = {
        link: value_path(resource, path)
        for link, path in _answer_paths(resource.get("item"), ROOT, {}).items()
    }
    problems = Problems()
    given = answers.get(INSTRUMENT_LINK_ID)
    if given and given != form.instrument:
        problems.add(
            value_path(resource, paths.get(INSTRUMENT_LINK_ID, f"{ROOT}.item")),
            f"The patient answers the {form.instrument.upper()} by their age today (XB-6), "
            f"not the {given.upper()}.",
        )
    problems.raise_if_any()
    if not form.is_valid():
        for name in form.errors:
            problems.add(
                _path_of(name, paths, intervention_path),
                _text(name, form, bool(intervention_path)),
            )
        problems.raise_if_any()
    return form.commit(actor=actor)  # type: ignore[return-value]


def _path_of(name: str, paths: dict[str, str], intervention_path: str) -> str:
    """The element a field of the clinic's form came from."""
    if name == "date":
        return f"{ROOT}.authored"
    if name == "occasion":
        return f"{ROOT}.questionnaire"
    if name == "intervention":
        return intervention_path or f"{ROOT}.extension"
    for link, path in paths.items():
        if name in (field_of(link), f"{field_of(link)}_unknown"):
            return path
    return f"{ROOT}.item" if name != "__all__" else ROOT


def _text(name: str, form: PatientReportForm, intervention_given: bool) -> str:
    if name == "intervention" and not intervention_given:
        return (
            "A control follows up an intervention: give its registry id in the extension "
            f"{codes.INTERVENTION_EXTENSION} (valueReference.identifier, system "
            f"{codes.INTERVENTION_SYSTEM})."
        )
    return form_text(form, name)
