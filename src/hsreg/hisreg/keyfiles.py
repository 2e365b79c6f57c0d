"""hsreg's two files beside HISREG's tables (hisreg.readers reads them back, hisreg.people
imports them):

- ``units.csv``, always: every unit of the registry (RESH id, name, health trust, region,
  kind). HISREG's tables name a unit only by its RESH id; no patient data.
- ``patients.csv``, only when asked (``--national-ids``): each patient's registry id, the
  unit that registered them first, national id number and names. It is what a new registry
  needs to take the patients over (and what HISREG's platform kept outside its tables), and it
  is identifiable data: the export writes it only on the coordinator's explicit request, and
  its audit row says it was written (how many lines, never a value).
"""

from __future__ import annotations

import csv
from pathlib import Path

from hsreg.patients.models import Enrolment, Patient
from hsreg.units.models import Unit

from .dictionary import DELIMITER, ENCODING

UNITS_FILE = "units.csv"
UNITS_HEADER = ("CENTREID", "NAME", "HEALTH_TRUST", "REGION", "KIND")
PATIENTS_FILE = "patients.csv"
PATIENTS_HEADER = ("PATIENT_ID", "CENTREID", "NATIONAL_ID", "FIRST_NAME", "LAST_NAME")


def _write(path: Path, header: tuple[str, ...], rows: list[list[str]]) -> int:
    with path.open("w", encoding=ENCODING, newline="") as handle:
        writer = csv.writer(handle, delimiter=DELIMITER, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return len(rows)


def write_units(directory: Path) -> int:
    rows = [
        [str(u.resh_id), u.name, u.health_trust, u.region, u.kind]
        for u in Unit.objects.order_by("resh_id")
    ]
    return _write(directory / UNITS_FILE, UNITS_HEADER, rows)


def write_patients(directory: Path) -> int:
    """Every patient, by registry id, with the unit that registered them first."""
    first: dict[int, int] = {}
    earliest: dict[int, int] = {}
    enrolments = Enrolment.objects.order_by("patient_id", "enrolled_at", "id")
    for patient_id, unit_id, relationship in enrolments.values_list(
        "patient_id", "unit_id", "care_relationship"
    ):
        earliest.setdefault(patient_id, unit_id)
        if not relationship:  # the unit that registered the patient needed no relationship
            first.setdefault(patient_id, unit_id)
    rows = []
    fields = ("id", "national_id", "first_name", "last_name")
    for pk, number, first_name, last_name in Patient.objects.order_by("id").values_list(*fields):
        unit = first.get(pk, earliest.get(pk))
        rows.append([str(pk), str(unit or ""), number, first_name, last_name])
    return _write(directory / PATIENTS_FILE, PATIENTS_HEADER, rows)
