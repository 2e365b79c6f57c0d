"""The FHIR R4 read endpoints of patient data (issue 14): read, search (GET, or POST
``_search`` with a form body), ``Patient/<id>/$everything``, and the public
CapabilityStatement and CodeSystems.

The views are thin: the API client's actor comes from ``fhir_api`` (a bearer token with the
SMART scope: ``.r`` to read, ``.s`` to search), the data from the resource modules through
hsreg.fhir.reads (the unit's patients only; another unit's is 404), and every patient a
response carries gets its READ audit row here (``reads.audit``), one insert per response.
Errors are OperationOutcomes that never repeat a value given (an id or an identifier may be a
national id number): 400 naming the search parameter, 404 naming only the resource type.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from oauth2_provider.oauth2_backends import get_oauthlib_core

from hsreg.accounts.actor import Actor
from hsreg.apiclients import scopes as smart
from hsreg.assessments.models import PatientReport
from hsreg.records.models import Status
from hsreg.treatments.models import DrugCourse, Intervention
from hsreg.units.models import Unit

from . import capability, codes, reads
from .api import fhir_api
from .capability import Kind
from .resources import (
    condition,
    medication,
    observation_reads,
    organization,
    patient,
    procedure,
    questionnaire_response,
)
from .resources.codesystem import code_systems
from .responses import fhir_response, outcome
from .search import MAX_COUNT, Page, Search, SearchError, bundle, parameters, parse, window
from .views import read_only

EVERYTHING_TYPES = (
    "Condition",
    "Observation",
    "QuestionnaireResponse",
    "MedicationStatement",
    "Procedure",
)


def _read_patient(actor: Actor, text: str) -> dict[str, Any]:
    found = reads.patient(actor=actor, patient_id=reads.pk_of(text), target="fhir Patient")
    return patient.build(found, unit=actor.clinical_unit)  # type: ignore[arg-type]


def _read_organization(actor: Actor, text: str) -> dict[str, Any]:
    unit = Unit.objects.filter(pk=reads.pk_of(text) if len(text) <= 9 else 0).first()
    if unit is None:
        raise reads.NotFoundError(text)
    return organization.build(unit)


def _read_condition(actor: Actor, text: str) -> dict[str, Any]:
    patient_id = condition.patient_of(text)
    if patient_id is None:
        raise reads.NotFoundError(text)
    found = reads.patient(actor=actor, patient_id=patient_id, target="fhir Condition")
    history = condition.histories(actor=actor, patient_ids=[found.pk]).get(found.pk)
    return condition.build(found, history)


def _read_medication(actor: Actor, text: str) -> dict[str, Any]:
    course = reads.record(DrugCourse, actor=actor, record_id=reads.pk_of(text))
    if course.status != Status.FINISHED:
        raise reads.NotFoundError(text)
    return medication.build(course, today=date.today())


def _read_procedure(actor: Actor, text: str) -> dict[str, Any]:
    found = reads.record(Intervention, actor=actor, record_id=reads.pk_of(text))
    if found.status != Status.FINISHED or not found.is_surgical:
        raise reads.NotFoundError(text)
    return procedure.build(found, today=date.today())


def _read_response(actor: Actor, text: str) -> dict[str, Any]:
    report = reads.record(PatientReport, actor=actor, record_id=reads.pk_of(text))
    return questionnaire_response.build(report)


KINDS: tuple[Kind, ...] = (
    Kind(
        "Patient",
        ("_id", "identifier"),
        patient.search,
        _read_patient,
        profile=codes.PATIENT_PROFILE,
    ),
    Kind(
        "Organization",
        ("_id", "identifier"),
        lambda *, actor, search: organization.search(search=search),
        _read_organization,
        profile=codes.ORGANIZATION_PROFILE,
    ),
    Kind("Condition", ("_id", "patient", "code"), condition.search, _read_condition),
    Kind(
        "Observation",
        ("_id", "patient", "code", "date"),
        observation_reads.search,
        lambda actor, text: observation_reads.read(actor=actor, text=text),
        date_parameter="date",
    ),
    Kind(
        "QuestionnaireResponse",
        ("_id", "patient", "authored"),
        questionnaire_response.search,
        _read_response,
        date_parameter="authored",
        extra=("create",),
    ),
    Kind(
        "MedicationStatement",
        ("_id", "patient", "code", "effective"),
        medication.search,
        _read_medication,
        date_parameter="effective",
    ),
    Kind(
        "Procedure",
        ("_id", "patient", "date"),
        procedure.search,
        _read_procedure,
        date_parameter="date",
    ),
)
BY_TYPE = {kind.type: kind for kind in KINDS}


def _not_found(type_name: str, *, where: str = " at the client's unit") -> HttpResponse:
    """404 naming the type only: an id may be a national id number, never repeated."""
    return outcome(status=404, code="not-found", diagnostics=f"No such {type_name}{where}.")


def _search_response(request: HttpRequest, actor: Actor, kind: Kind) -> HttpResponse:
    try:
        search = parse(
            parameters(request), allowed=kind.parameters, date_parameter=kind.date_parameter
        )
        page = kind.search(actor=actor, search=search)
    except SearchError as error:
        return outcome(
            status=400, code="invalid", diagnostics=str(error), expression=error.parameter
        )
    reads.audit(actor=actor, patient_ids=page.patient_ids, target=f"fhir {kind.type} search")
    extra: list[tuple[str, str]] = []
    if search.identifiers is not None:
        # the links name the matches by _id: a national id number never goes into a URL
        matches = page.resources
        if page.total > len(matches):  # every match, not just this page's (at most 100)
            matches = kind.search(actor=actor, search=replace(search, offset=0, count=MAX_COUNT))
            matches = matches.resources
        extra = [("_id", ",".join(r["id"] for r in matches) or "none")]
    return fhir_response(
        bundle(request, path=f"/fhir/{kind.type}", search=search, page=page, extra_links=extra)
    )


def _make_search(kind: Kind) -> Any:
    scopes = {"GET": f"system/{kind.type}.s"}
    if "create" in kind.extra:
        scopes["POST"] = f"system/{kind.type}.c"

    @fhir_api(**scopes)
    def search_view(request: HttpRequest, actor: Actor) -> HttpResponse:
        if request.method == "POST":
            from hsreg.fhir.writes.questionnaire_response import (  # noqa: PLC0415 - the writer's
                create_questionnaire_response,
            )

            return create_questionnaire_response(request, actor)
        return _search_response(request, actor, kind)

    search_view.__name__ = f"{kind.slug}_search"
    return search_view


def _make_search_post(kind: Kind) -> Any:
    @fhir_api(POST=f"system/{kind.type}.s")
    def search_post_view(request: HttpRequest, actor: Actor) -> HttpResponse:
        return _search_response(request, actor, kind)

    search_post_view.__name__ = f"{kind.slug}_search_post"
    return search_post_view


def _make_read(kind: Kind) -> Any:
    @fhir_api(GET=f"system/{kind.type}.r")
    def read_view(request: HttpRequest, actor: Actor, resource_id: str) -> HttpResponse:
        try:
            return fhir_response(kind.read(actor, resource_id))
        except reads.NotFoundError:
            return _not_found(kind.type)

    read_view.__name__ = f"{kind.slug}_read"
    return read_view


SEARCH = {kind.type: _make_search(kind) for kind in KINDS}
SEARCH_POST = {kind.type: _make_search_post(kind) for kind in KINDS}
READ = {kind.type: _make_read(kind) for kind in KINDS}


def _granted(request: HttpRequest) -> list[str]:
    """The scopes of the request's token (fhir_api has checked the token already)."""
    _valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
    token = getattr(oauth_request, "access_token", None)
    return token.scope.split() if token is not None else []


@fhir_api(GET="system/Patient.r")
def everything(request: HttpRequest, actor: Actor, resource_id: str) -> HttpResponse:
    """``Patient/<id>/$everything``: the patient, their unit, and every resource of theirs
    whose read scope the token grants, as one searchset paged by ``_count`` and ``_offset``."""
    try:
        search = parse(parameters(request), allowed=())
    except SearchError as error:
        return outcome(
            status=400, code="invalid", diagnostics=str(error), expression=error.parameter
        )
    try:
        found = reads.patient(
            actor=actor, patient_id=reads.pk_of(resource_id), target="fhir Patient $everything"
        )
    except reads.NotFoundError:
        return _not_found("Patient")
    unit = actor.clinical_unit
    resources = [patient.build(found, unit=unit), organization.build(unit)]  # type: ignore[arg-type]
    granted = _granted(request)
    for type_name in EVERYTHING_TYPES:
        if smart.covers(granted, f"system/{type_name}.r"):
            page = BY_TYPE[type_name].search(
                actor=actor, search=Search(patients=[found.pk], count=10**9)
            )
            resources.extend(page.resources)
    page = Page(window(resources, search), len(resources), frozenset({found.pk}))
    path = f"/fhir/Patient/{found.pk}/$everything"
    return fhir_response(bundle(request, path=path, search=search, page=page))


@read_only
def metadata(request: HttpRequest) -> HttpResponse:
    """``GET /fhir/metadata``: the CapabilityStatement (public)."""
    return fhir_response(capability.statement(request, kinds=KINDS))


@read_only
def code_system(request: HttpRequest, resource_id: str) -> HttpResponse:
    """``GET /fhir/CodeSystem/<id>``: one of hsreg's own CodeSystems (public)."""
    found = code_systems().get(resource_id)
    if found is None:
        return _not_found("CodeSystem", where=" in hsreg")
    return fhir_response(found)
