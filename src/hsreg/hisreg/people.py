"""The units and patients of an import, from hsreg's two files beside HISREG's tables.

- ``units.csv`` (CENTREID;NAME;HEALTH_TRUST;REGION;KIND): HISREG's tables name a unit only by
  its RESH id. A unit the registry has is kept as it is; one it lacks is created from its line,
  validated by the coordinator's unit form and written by units.services.create_unit (its
  audit row), as hsreg itself acting as the coordinator.
- ``patients.csv`` (PATIENT_ID;CENTREID;NATIONAL_ID;FIRST_NAME;LAST_NAME): HISREG kept the
  national id number outside its tables, in the registry platform's patient list; hsreg needs
  it (birth date and sex come from it, and an objection is checked by it). Each line is
  registered by patients.services.register_patient at CENTREID (the unit that registered the
  patient first), with the PATIENT_ID as registry id, and enrolled in shared care at every
  other unit that wrote one of the patient's forms. Names may be empty (HISREG's tables have
  none); the national id number is never quoted in a problem.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from hsreg.accounts.actor import Actor
from hsreg.accounts.models import Role
from hsreg.patients.models import CareRelationship, Patient
from hsreg.patients.national_id import NationalId, parse
from hsreg.patients.services import register_patient
from hsreg.units.forms import UnitCreateForm
from hsreg.units.models import Unit
from hsreg.units.services import create_unit

from . import ids
from .problems import Problems
from .readers import PATIENTS_FILE, UNITS_FILE, Line

#: the note of an enrolment at a further unit (shown to the units with the care relationship)
SHARED_NOTE = "HISREG import: this unit registered forms of the patient"
NAME_LENGTH = 100
#: the largest id every database holds in an integer column (PostgreSQL's integer)
MAX_ID = 2**31 - 1


def coordinator(actor: Actor) -> Actor:
    """hsreg itself as the registry coordinator (units.services refuses anyone else)."""
    return Actor(
        user=AnonymousUser(), unit=None, role=Role.COORDINATOR, request_id=actor.request_id
    )


def whole(value: str) -> int | None:
    """A positive whole number as the keys hold it, or None."""
    if not (value.isascii() and value.isdigit()) or len(value) > 10:
        return None
    return int(value) if 0 < int(value) <= MAX_ID else None


def import_units(*, lines: list[Line], problems: Problems, actor: Actor) -> tuple[set[int], int]:
    """Creates the units of ``units.csv`` the registry lacks; returns every RESH id usable
    (the registry's and those created) and how many were created."""
    known = set(Unit.objects.values_list("pk", flat=True))
    created = 0
    for line in lines:
        resh = whole(line["CENTREID"])
        if resh is not None and resh in known:
            continue  # the registry's unit is kept as it is
        form = UnitCreateForm(
            data={
                "resh_id": line["CENTREID"],
                "name": line["NAME"],
                "health_trust": line["HEALTH_TRUST"],
                "region": line["REGION"],
                "kind": line["KIND"],
            }
        )
        if not form.is_valid():
            column = {"resh_id": "CENTREID"}
            for field, errors in form.errors.items():
                for error in errors:
                    name = column.get(field, field.upper())
                    problems.add(UNITS_FILE, line.number, name, str(error))
            continue
        values = form.cleaned_data
        create_unit(
            actor=coordinator(actor),
            resh_id=values["resh_id"],
            name=values["name"],
            health_trust=values["health_trust"],
            region=values["region"],
            kind=values["kind"],
        )
        known.add(values["resh_id"])
        created += 1
    return known, created


@dataclass(frozen=True, slots=True)
class Person:
    line: Line
    registry_id: int
    unit: int
    number: NationalId


def _person(line: Line, units: set[int], seen: dict[str, int], problems: Problems) -> Person | None:
    ok = True
    registry_id = whole(line["PATIENT_ID"])
    if registry_id is None:
        problems.add(PATIENTS_FILE, line.number, "PATIENT_ID", "is not a whole number from 1")
        ok = False
    unit = whole(line["CENTREID"])
    if unit is None or unit not in units:
        problems.add(
            PATIENTS_FILE,
            line.number,
            "CENTREID",
            f"{line['CENTREID'] or '(empty)'} is no unit of the registry or of {UNITS_FILE}",
        )
        ok = False
    number = None
    try:
        number = parse(line["NATIONAL_ID"])
    except ValidationError as error:
        problems.add(PATIENTS_FILE, line.number, "NATIONAL_ID", " ".join(error.messages))
        ok = False
    if number is not None:
        if number.number in seen:
            problems.add(
                PATIENTS_FILE,
                line.number,
                "NATIONAL_ID",
                f"the same national id number as line {seen[number.number]}",
            )
            ok = False
        seen.setdefault(number.number, line.number)
    for column in ("FIRST_NAME", "LAST_NAME"):
        if len(line[column]) > NAME_LENGTH:
            problems.add(
                PATIENTS_FILE, line.number, column, f"longer than {NAME_LENGTH} characters"
            )
            ok = False
    if not ok or registry_id is None or unit is None or number is None:
        return None
    return Person(line, registry_id, unit, number)


def import_patients(
    *,
    lines: list[Line],
    units: set[int],
    other_units: dict[int, list[int]],
    problems: Problems,
    actor: Actor,
) -> dict[int, Patient]:
    """Registers every line's patient (ascending registry ids); returns them by registry id.
    ``other_units``: registry id -> the further units that wrote the patient's forms."""
    people: dict[int, Person] = {}
    seen: dict[str, int] = {}
    first_line: dict[int, int] = {}
    for line in lines:
        person = _person(line, units, seen, problems)
        if person is None:
            continue
        if person.registry_id in first_line:
            problems.add(
                PATIENTS_FILE,
                line.number,
                "PATIENT_ID",
                f"{person.registry_id} is listed on line {first_line[person.registry_id]} too",
            )
            continue
        first_line[person.registry_id] = line.number
        people[person.registry_id] = person
    registered: dict[int, Patient] = {}
    units_by_id = Unit.objects.in_bulk(units)
    for registry_id in sorted(people):
        person = people[registry_id]
        ids.give_next(Patient, registry_id)
        try:
            patient = register_patient(
                unit=units_by_id[person.unit],
                national_id=person.number.number,
                first_name=person.line["FIRST_NAME"],
                last_name=person.line["LAST_NAME"],
                actor=actor,
            )
        except ValidationError as error:  # an objection (reservasjon)
            problems.add(PATIENTS_FILE, person.line.number, "NATIONAL_ID", " ".join(error.messages))
            continue
        ids.check(patient, registry_id)
        for unit in other_units.get(registry_id, []):
            if unit != person.unit and unit in units_by_id:
                register_patient(
                    unit=units_by_id[unit],
                    national_id=person.number.number,
                    first_name=patient.first_name,
                    last_name=patient.last_name,
                    actor=actor,
                    care_relationship=CareRelationship.SHARED_CARE,
                    note=SHARED_NOTE,
                )
        registered[registry_id] = patient
    return registered
