"""A synthetic patient's forms as the seeder holds them before writing, and the options every
patient of a run shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from hsreg.assessments.models import (
    DoctorAssessment,
    MedicalHistory,
    PatientReport,
    RegionFinding,
)
from hsreg.patients.models import Patient
from hsreg.treatments.models import (
    AdverseEvent,
    DrugCourse,
    Intervention,
    LabCheck,
    Screening,
    Vaccination,
)


@dataclass
class SeededPatient:
    """One synthetic patient: the Patient and every form, unsaved, in the order they are
    inserted. A form that corrects another (``replaces`` set) follows the one it replaces."""

    number: int
    story: str
    patient: Patient
    unit_ids: list[int]
    histories: list[MedicalHistory] = field(default_factory=list)
    interventions: list[Intervention] = field(default_factory=list)
    courses: list[DrugCourse] = field(default_factory=list)
    assessments: list[DoctorAssessment] = field(default_factory=list)
    findings: list[RegionFinding] = field(default_factory=list)
    reports: list[PatientReport] = field(default_factory=list)
    screenings: list[Screening] = field(default_factory=list)
    vaccinations: list[Vaccination] = field(default_factory=list)
    labs: list[LabCheck] = field(default_factory=list)
    adverse_events: list[AdverseEvent] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Options:
    """What every patient of a run shares."""

    seed: int
    today: date
    #: mean number of extra earlier assessments per patient (the load benchmark's ~10 a patient)
    extra_visits: float = 0.0
