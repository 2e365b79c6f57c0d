"""Reads of patients, always through the actor's current unit, and always audited.

This module is the one door to patient data: every view gets patients and their forms from
here, with the actor taken from the request (accounts.actor). A patient of another unit is
"not found" (404), never "forbidden", so ids cannot be probed; the attempt is logged as denied.
Every patient shown - a page, a form, a line of search results - writes its audit row here
(hsreg.audit), so no view can show patient data without leaving a trace.

Forms belong to the unit that wrote them (issue 11). A patient handed out here carries the
reading unit's ``ReadScope``: ``current``, ``drafts`` and ``get_record`` then return the unit's
own forms, and the finished forms of the patient's other units only once the patient's consent
to sharing them with this unit is recorded (SharingConsent). Drafts are never shared, and only
the unit that wrote a form may change it (``get_record(..., for_change=True)``).
"""

from __future__ import annotations

from typing import TypeVar

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from hsreg.accounts.actor import Actor
from hsreg.audit.models import Action, Outcome
from hsreg.audit.services import log, log_many
from hsreg.numbers import whole_number
from hsreg.records.models import Record, Status
from hsreg.units.models import Unit

from .models import Enrolment, Patient, ReadScope, SharingConsent
from .national_id import is_national_id

R = TypeVar("R", bound=Record)
SEARCH_LIMIT = 50
MAX_ID = 2**63 - 1  # the largest registry id a bigint primary key holds
MAX_ID_DIGITS = len(str(MAX_ID))


def unit_patients(*, unit: Unit | None) -> QuerySet[Patient]:
    """The patients enrolled at ``unit``; none without a unit."""
    if unit is None:
        return Patient.objects.none()
    return Patient.objects.filter(enrolments__unit=unit)


def enrolled_patient_ids(*, unit: Unit | None) -> QuerySet[Enrolment]:
    """The registry ids of the patients enrolled at ``unit``, as a subquery (the unit leader's
    audit review: every access to these patients, whichever unit made it)."""
    if unit is None:
        return Enrolment.objects.none().values("patient_id")
    return Enrolment.objects.filter(unit=unit).values("patient_id")


def form_models() -> list[type[Record]]:
    """Every kind of registry form (the concrete subclasses of records.Record)."""
    return [m for m in apps.get_models() if issubclass(m, Record)]


def _active_consent(unit: Unit, patient: str = "pk") -> Exists:
    return Exists(
        SharingConsent.objects.filter(
            patient=OuterRef(patient), unit=unit, withdrawn_at__isnull=True
        )
    )


def get_patient(*, actor: Actor, patient_id: int, target: str | None) -> Patient:
    """The patient if enrolled at the actor's unit (and the actor's role reads patient data),
    else 404, with the actor's unit's ReadScope. ``target`` names what is shown ("patient
    page") for the audit row; ``None`` writes no read row and is only for answers that show
    nothing stored about the patient (the live scores of values being typed). A miss is
    always logged as denied."""
    patient = _find(actor, patient_id, denied_target=target or "patient")
    if target is not None:
        log(actor=actor, action=Action.READ, patient_id=patient.pk, target=target)
    return patient


def _find(actor: Actor, patient_id: int, *, denied_target: str) -> Patient:
    unit = actor.clinical_unit
    try:
        if unit is None:
            raise Patient.DoesNotExist
        patient = _readable(actor).annotate(shared=_active_consent(unit)).get(pk=patient_id)
    except Patient.DoesNotExist:
        log(
            actor=actor,
            action=Action.READ,
            outcome=Outcome.DENIED,
            patient_id=patient_id if 0 < patient_id <= MAX_ID else None,
            target=denied_target,
        )
        raise Http404("No such patient at this unit") from None
    patient.scope = ReadScope(unit_id=unit.pk, shared=patient.shared)  # type: ignore[attr-defined, misc]
    return patient


def is_readable(*, actor: Actor, patient_id: int) -> bool:
    """Whether the actor may open the patient's page (enrolled at the actor's unit, and a role
    that reads patient data). Shows nothing of the patient, so it writes no audit row."""
    return _readable(actor).filter(pk=patient_id).exists()


def search_patients(*, actor: Actor, query: str) -> list[Patient]:
    """Patients of the actor's unit by national id number (exact), registry id (#123 or 123) or
    name (every word must start a first or last name, or "Last, First" as the list shows
    names); each one shown is logged as listed."""
    patients = list(_search(_readable(actor), query))
    log_many(actor=actor, action=Action.LIST, patient_ids=[p.pk for p in patients], target="search")
    return patients


def _readable(actor: Actor) -> QuerySet[Patient]:
    return unit_patients(unit=actor.clinical_unit)


def _search(patients: QuerySet[Patient], query: str) -> QuerySet[Patient]:
    """Odd input finds nobody rather than failing: a NUL byte (PostgreSQL refuses it in text),
    digits other than 0-9 such as ``²`` (``int`` refuses them), and numbers longer than any
    registry id (``int`` refuses more than 4,300 digits)."""
    text = query.strip()
    if "\x00" in text:
        return patients.none()
    if not text:
        return patients.order_by("-registered_at", "-id")[:SEARCH_LIMIT]
    if is_national_id(text):
        return patients.filter(national_id=text.replace(" ", ""))
    registry_id = text.removeprefix("#")
    if registry_id.isascii() and registry_id.isdigit():  # a registry id, never a name
        number = whole_number(registry_id, max_digits=MAX_ID_DIGITS)
        if number is None or number > MAX_ID:
            return patients.none()
        return patients.filter(pk=number)
    if "," in text:
        patients = _last_comma_first(patients, text)
    else:
        for word in text.split():
            patients = patients.filter(
                Q(first_name__istartswith=word) | Q(last_name__istartswith=word)
            )
    return patients.order_by("last_name", "first_name", "id")[:SEARCH_LIMIT]


def _last_comma_first(patients: QuerySet[Patient], text: str) -> QuerySet[Patient]:
    """A name as the patient list shows it, "Foss, Ragnhild" (issue 12): the part before the
    comma starts the last name, the part after it the first name (either may be left out, and
    either may be the start of several words: "van der Berg, Anne Ma"). The same prefix
    filters as a search by words: on PostgreSQL the last name's upper-case prefix index
    answers it (tests/registry/test_issue12_form_defects.py), no patient row beyond them."""
    last, _comma, first = text.partition(",")
    last, first = " ".join(last.split()), " ".join(first.replace(",", " ").split())
    if last:
        patients = patients.filter(last_name__istartswith=last)
    if first:
        patients = patients.filter(first_name__istartswith=first)
    return patients


def _scoped(rows: QuerySet[R], patient: Patient) -> QuerySet[R]:
    """``rows`` narrowed to the forms the patient's reader may see (all for hsreg itself)."""
    scope = patient.scope
    if scope is None or scope.shared:
        return rows
    return rows.filter(unit_id=scope.unit_id)


def current(model: type[R], *, patient: Patient, whole_history: bool = False) -> QuerySet[R]:
    """The patient's finished forms of one kind that the reader may see, corrections applied
    (no drafts, no earlier versions). ``whole_history`` reads every unit's, whoever reads: only
    for what hsreg derives for the patient itself (the due items, worklists.services), which is
    then shown by the same rule (``sees_whole_history``)."""
    rows = model.objects.filter(patient=patient, status=Status.FINISHED)
    return rows if whole_history else _scoped(rows, patient)


def drafts(model: type[R], *, patient: Patient) -> QuerySet[R]:
    """The patient's drafts of one kind: the reader's unit's only (drafts are never shared)."""
    rows = model.objects.filter(patient=patient, status=Status.DRAFT)
    scope = patient.scope
    return rows if scope is None else rows.filter(unit_id=scope.unit_id)


def shown(model: type[R], *, patient: Patient) -> QuerySet[R]:
    """Drafts and finished forms of one kind as the patient page lists them (with their unit,
    for the label of another unit's form): the reader's drafts and the finished forms the
    reader may see."""
    scope = patient.scope
    rows = model.objects.filter(patient=patient).select_related("unit")
    if scope is None:
        return rows.filter(status__in=(Status.DRAFT, Status.FINISHED))
    own = Q(unit_id=scope.unit_id, status=Status.DRAFT)
    finished = Q(status=Status.FINISHED)
    if not scope.shared:
        finished &= Q(unit_id=scope.unit_id)
    return rows.filter(own | finished)


def held_elsewhere(model: type[Record], *, patient: Patient) -> bool:
    """Whether another unit holds a current form of this kind that the reader may not see
    (a form the patient has once, such as the medical history, written at another unit)."""
    scope = patient.scope
    if scope is None or scope.shared:
        return False
    return (
        model.objects.filter(patient=patient)
        .exclude(unit_id=scope.unit_id)
        .exclude(status=Status.SUPERSEDED)
        .exists()
    )


def hidden_form_counts(*, patient: Patient) -> dict[int, int]:
    """Unit id -> how many finished forms other units hold that the reader may not see (no
    content: the page says they exist and how to open them). One query per form model, and
    none when the patient is enrolled nowhere else."""
    scope = patient.scope
    if scope is None or scope.shared:
        return {}
    counts: dict[int, int] = {}
    for model in form_models():
        rows = (
            model.objects.filter(patient=patient, status=Status.FINISHED)
            .exclude(unit_id=scope.unit_id)
            .values("unit_id")
            .annotate(n=Count("id"))
            .values_list("unit_id", "n")
        )
        for unit_id, n in rows:
            counts[unit_id] = counts.get(unit_id, 0) + n
    return counts


def get_record(
    model: type[R], *, actor: Actor, patient_id: int, record_id: int, for_change: bool = False
) -> R:
    """One form of a patient of the actor's unit, else 404; logged as read, or as denied.
    The unit's own forms in any status; another unit's finished (or corrected) forms only with
    the patient's consent to sharing, and never ``for_change`` (edit, correct, discard): only
    the unit that wrote a form changes it."""
    target = f"{model._meta.model_name} {record_id}"
    patient = _find(actor, patient_id, denied_target=target)
    scope = patient.scope
    assert scope is not None  # noqa: S101 - get_patient always sets it
    record = model.objects.filter(pk=record_id, patient=patient).select_related("unit").first()
    own = record is not None and record.unit_id == scope.unit_id
    visible = record is not None and (
        own or (scope.shared and record.status != Status.DRAFT and not for_change)
    )
    if not visible:
        log(
            actor=actor,
            action=Action.CHANGE if for_change else Action.READ,
            outcome=Outcome.DENIED,
            patient_id=patient.pk,
            target=target,
            detail={"reason": "form of another unit"} if record is not None else None,
        )
        raise Http404("No such form")
    log(actor=actor, action=Action.READ, patient_id=patient.pk, target=target)
    record.patient = patient  # the scoped patient, for the forms that read its history
    return record  # type: ignore[return-value]


def enrolments(*, patient: Patient) -> list[Enrolment]:
    """The patient's enrolments at every unit, oldest first, with their unit and who enrolled
    (the page says where else the patient is followed, since when and why). One query."""
    return list(patient.enrolments.select_related("unit", "enrolled_by").order_by("enrolled_at"))


def active_consent(*, patient: Patient) -> SharingConsent | None:
    """The consent recorded for the reader's unit, if any and not withdrawn."""
    scope = patient.scope
    if scope is None or not scope.shared:
        return None
    return (
        SharingConsent.objects.filter(
            patient=patient, unit_id=scope.unit_id, withdrawn_at__isnull=True
        )
        .select_related("recorded_by")
        .first()
    )


def sees_whole_history(*, unit: Unit, patient: str = "patient") -> Q:
    """A condition on rows with a patient (``patient`` is the field's path) that holds when
    ``unit`` may see everything derived from the patient's whole history (the due items): no
    other unit holds a finished form of the patient, or the patient's consent to sharing with
    ``unit`` is recorded. One correlated NOT EXISTS per form model, each on the patient's
    index."""
    elsewhere = Q()
    for model in form_models():
        forms = model.objects.filter(patient=OuterRef(patient), status=Status.FINISHED)
        elsewhere |= Q(Exists(forms.exclude(unit=unit)))
    return ~elsewhere | Q(_active_consent(unit, patient))
