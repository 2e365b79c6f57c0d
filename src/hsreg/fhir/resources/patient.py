"""Patient on the Norwegian base profile no-basis-Patient (HL7Norway/basisprofiler-r4).

The identifier is the national id number in the system of its kind: a D-number (given to
people without a fødselsnummer) has 4 added to its first digit, so its first digit is 4-7
(the day 41-71); everything else hsreg stores is a fødselsnummer (python-stdnum has checked it
when the patient was registered, patients.national_id). Name, sex and birth date are what the
registry holds; birth date and sex come from the number. ``managingOrganization`` is the unit
reading the patient, the one the client belongs to.
"""

from __future__ import annotations

from typing import Any

from hsreg.fhir import codes
from hsreg.fhir.search import Page, Search, is_pk, window
from hsreg.patients.models import Patient
from hsreg.patients.national_id import is_national_id
from hsreg.units.models import Unit

from ..reads import patients, with_scope

#: the first digit of a D-number: the day of birth plus 40
D_NUMBER_FIRST_DIGITS = frozenset("4567")


def identifier_system(national_id: str) -> str:
    """The no-basis identifier system of a national id number: the D-number's or the
    fødselsnummer's."""
    return codes.DNR_SYSTEM if national_id[:1] in D_NUMBER_FIRST_DIGITS else codes.FNR_SYSTEM


def build(patient: Patient, *, unit: Unit) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": str(patient.pk),
        "meta": {"profile": [codes.PATIENT_PROFILE]},
        "identifier": [
            {
                "use": "official",
                "system": identifier_system(patient.national_id),
                "value": patient.national_id,
            }
        ],
        "name": [{"use": "official", "family": patient.last_name, "given": [patient.first_name]}],
        "gender": patient.sex,
        "birthDate": patient.birth_date.isoformat(),
        "managingOrganization": {"reference": f"Organization/{unit.pk}", "display": unit.name},
    }


def search(*, actor: Any, search: Search) -> Page:
    """The unit's patients matching ``_id`` and ``identifier``, by registry id: two queries
    (the count and the page)."""
    found = patients(actor=actor)
    if search.ids is not None:
        found = found.filter(pk__in=[int(i) for i in search.ids if is_pk(i)])
    if search.identifiers is not None:
        # only what can be a national id number (11 digits) reaches the database: no NUL byte
        numbers = [
            value.replace(" ", "")
            for system, value in search.identifiers
            if is_national_id(value)
            and system in (None, codes.FNR_SYSTEM, codes.DNR_SYSTEM)
            and (system is None or identifier_system(value.replace(" ", "")) == system)
        ]
        found = found.filter(national_id__in=numbers)
    found = found.order_by("pk")
    total = found.count()
    page = with_scope(window(found, search) if search.count else [], actor=actor)  # type: ignore[arg-type]
    unit = actor.clinical_unit
    return Page([build(p, unit=unit) for p in page], total, frozenset(p.pk for p in page))
