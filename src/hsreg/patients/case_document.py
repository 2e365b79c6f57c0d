"""A patient's registry forms as the guideline engine's case document.

Only finished, current forms count. A patient's report (DLQI, pain) joins the doctor's
assessment of the same occasion: the one on the same date, else the nearest within
``PAIRING_DAYS``; a report without a doctor's assessment near it has no lesion counts and is
left out of the case (the engine needs counts for every assessment). The number of queries is
fixed, whatever the length of the patient's history.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from hsreg.assessments.models import (
    DoctorAssessment,
    MedicalHistory,
    PatientReport,
    RegionFinding,
)
from hsreg.assessments.scoring import report_item_scores
from hsreg.guideline import scores
from hsreg.guideline.dates import age_in_years
from hsreg.records.models import Record
from hsreg.treatments.funding import funding_statuses
from hsreg.treatments.models import DrugCourse, LabCheck, Screening, Vaccination

from .models import Patient
from .selectors import current

R = TypeVar("R", bound=Record)
PAIRING_DAYS = 14
SMOKING = {1: "current", 2: "former", 3: "never"}
YES = 1
# MedicalHistory.medication_antibiotic (assessments.models.ANTIBIOTIC_USE) as the case
# document says it; 9 "don't know" is left out (TX-6 Reading, C0 and the medical history).
ANTIBIOTIC_USE = {
    0: "no",
    1: "more_than_3_months",
    2: "less_than_3_months",
    3: "last_2_weeks",
}
# SC-2 reads IGRA and the chest X-ray; the other results are the SC-1 Reading's (results).
SCREENING_RESULTS = (
    "igra",
    "chest_xray",
    "hiv",
    "hepatitis_b",
    "hepatitis_c",
    "blood_tests",
    "urine_dipstick",
)


def _comorbidities(history: MedicalHistory | None) -> list[str]:
    if history is None:
        return []
    found = []
    if history.cardiovascular == YES:
        found.append("cardiovascular")
    if history.bowel_disease == YES and history.bowel_disease_type in (1, 2):
        found.append("ibd")
    if history.rheumatic == YES and history.rheumatic_type == 3:
        found.append("spondyloarthropathy")
    if history.diabetes == YES:
        found.append("diabetes")
    if history.hypertension == YES:
        found.append("hypertension")
    return found


def _pair(
    reports: list[PatientReport], assessments: list[DoctorAssessment]
) -> dict[int, PatientReport]:
    """Each doctor's assessment id -> the patient's report joined with it."""
    paired: dict[int, PatientReport] = {}
    for report in sorted(reports, key=lambda r: r.date):
        candidates = [
            a
            for a in assessments
            if a.pk not in paired and abs((a.date - report.date).days) <= PAIRING_DAYS
        ]
        if candidates:
            best = min(candidates, key=lambda a: (abs((a.date - report.date).days), a.date))
            paired[best.pk] = report
    return paired


def _assessment(
    a: DoctorAssessment,
    regions: list[RegionFinding],
    report: PatientReport | None,
    birth_date: date,
) -> dict[str, Any]:
    item: dict[str, Any] = {"date": a.date.isoformat()}
    if regions:
        item["regions"] = [
            {
                "region": r.region,
                "nodules": r.nodules,
                "abscesses": r.abscesses,
                "draining_tunnels": r.draining_tunnels,
                **({"hurley": r.hurley} if r.hurley is not None else {}),
                **(
                    {"longest_distance_cm": float(r.longest_distance_cm)}
                    if r.longest_distance_cm is not None
                    else {}
                ),
                **(
                    {"separated_by_normal_skin": r.separated_by_normal_skin}
                    if r.separated_by_normal_skin is not None
                    else {}
                ),
            }
            for r in regions
        ]
        if a.hurley is not None and not any(r.hurley for r in regions):
            item["hurley"] = a.hurley
    else:
        item.update(
            nodules=a.nodules or 0,
            abscesses=a.abscesses or 0,
            draining_tunnels=a.draining_tunnels or 0,
        )
        if a.hurley is not None:
            item["hurley"] = a.hurley
    if a.inflammatory_activity:
        item["inflammatory_activity"] = a.inflammatory_activity
    if report is not None:
        # XB-6: the engine reads ``dlqi_items`` as the instrument of the patient's age on the
        # assessment date (the CDLQI under 16). A report answered in the other one (a child's
        # CDLQI joined with an assessment after the 16th birthday, or the reverse) is left out
        # rather than read on the wrong scale; so is one whose instrument is not the one for
        # the patient's age on the report's own date (recorded on the wrong scale).
        applies = {
            scores.quality_of_life_instrument(max(0, age_in_years(birth_date, day)))
            for day in (a.date, report.date)
        }
        items = report_item_scores(report) if applies == {report.dlqi_instrument} else []
        if any(i is not None for i in items):
            item["dlqi_items"] = items
        if report.vas_total is not None:
            item["pain_vas"] = float(report.vas_total)
    return item


@dataclass(frozen=True, slots=True)
class PatientForms:
    """A patient's finished, current forms, each list by date then id; ``regions`` maps a
    doctor's assessment id to its region findings. ``funding`` is each biologic's funding
    status (XB-5) as the registry coordinator recorded it over the catalog's default, read once
    when the forms are gathered (one query), so every case built from them carries it."""

    assessments: list[DoctorAssessment]
    regions: Mapping[int, list[RegionFinding]]
    reports: list[PatientReport]
    histories: list[MedicalHistory]
    courses: list[DrugCourse]
    screenings: list[Screening]
    vaccinations: list[Vaccination]
    labs: list[LabCheck]
    funding: Mapping[str, str] = field(default_factory=funding_statuses)


def load(patient: Patient) -> PatientForms:
    """The patient's finished forms at every unit (the due items are derived from the whole
    history; patients.page builds the page's case from the forms its reader may see), one
    query per form model and one for the regions."""
    assessments = list(
        current(DoctorAssessment, patient=patient, whole_history=True)
        .prefetch_related("regions")
        .order_by("date", "id")
    )

    def ordered(model: type[R]) -> list[R]:
        return list(current(model, patient=patient, whole_history=True).order_by("date", "id"))

    return PatientForms(
        assessments=assessments,
        regions={a.pk: list(a.regions.all()) for a in assessments},
        reports=ordered(PatientReport),
        histories=ordered(MedicalHistory),
        courses=ordered(DrugCourse),
        screenings=ordered(Screening),
        vaccinations=ordered(Vaccination),
        labs=ordered(LabCheck),
    )


def build_case(patient: Patient, *, as_of: date) -> dict[str, Any]:
    """The case document of ``patient`` on ``as_of`` (JSON-ready), read from the database."""
    return case_from_forms(patient, load(patient), as_of=as_of)


def case_from_forms(patient: Patient, forms: PatientForms, *, as_of: date) -> dict[str, Any]:
    """The case document from forms already read (the patient page, the seeder): no query."""
    assessments = case_assessments(forms, as_of=as_of)
    reports = [r for r in forms.reports if r.date <= as_of]
    history = max(forms.histories, key=lambda h: (h.date, h.pk)) if forms.histories else None
    screening = latest_screening(forms)
    vaccinations = case_vaccinations(forms, as_of=as_of)
    labs = [lab for lab in forms.labs if lab.date <= as_of]
    paired = _pair(reports, assessments)

    person: dict[str, Any] = {"birth_date": patient.birth_date.isoformat(), "sex": patient.sex}
    weights = [a for a in assessments if a.weight_kg]
    if weights:
        person["weight_kg"] = weights[-1].weight_kg
    if history is not None and history.height_cm:
        person["height_cm"] = history.height_cm
    smoking = [r for r in sorted(reports, key=lambda r: r.date) if r.smoking in SMOKING]
    if smoking:
        person["smoking"] = SMOKING[smoking[-1].smoking]
    person["comorbidities"] = _comorbidities(history)

    diagnosis: dict[str, Any] = {}
    for a in assessments:
        for criterion in ("typical_lesions", "typical_location", "chronic_relapsing"):
            value = getattr(a, criterion)
            if value is not None:
                diagnosis[criterion] = value

    case: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "patient": person,
        "diagnosis": diagnosis,
        "assessments": [
            _assessment(a, forms.regions.get(a.pk, []), paired.get(a.pk), patient.birth_date)
            for a in assessments
        ],
        "treatments": [_treatment(c, as_of) for c in forms.courses],
        "vaccinations": [
            {
                "vaccine": v.vaccine,
                "date": v.date.isoformat(),
                **({"live": v.live} if v.live is not None else {}),
            }
            for v in vaccinations
        ],
        "lab_checks": sorted(lab.date.isoformat() for lab in labs),
        # XB-5: the coordinator's funding status overrides the catalog's default
        "funding_status": dict(forms.funding),
    }
    if screening is not None:
        case["screening"] = _screening(screening)
    antibiotics = ANTIBIOTIC_USE.get(history.medication_antibiotic) if history else None
    if antibiotics is not None:
        case["medical_history"] = {"earlier_systemic_antibiotics": antibiotics}
    return case


def case_assessments(forms: PatientForms, *, as_of: date) -> list[DoctorAssessment]:
    """The doctor's assessments in the case document, in its order (``assessments[i]`` is the
    i-th): those up to ``as_of``, one per date, as the engine refuses two on the same day; the
    later form wins. A control that could not be done (issue 16: ``control_possible`` 0) has no
    examination, so it is no assessment (its empty counts are not zeros)."""
    by_date = {a.date: a for a in forms.assessments if a.date <= as_of and a.control_possible != 0}
    return list(by_date.values())


def case_vaccinations(forms: PatientForms, *, as_of: date) -> list[Vaccination]:
    """The vaccinations in the case document, in its order (``vaccinations[i]``)."""
    return [v for v in forms.vaccinations if v.date <= as_of]


def latest_screening(forms: PatientForms) -> Screening | None:
    """The screening the case document reads: the latest."""
    return max(forms.screenings, key=lambda s: (s.date, s.pk)) if forms.screenings else None


def _treatment(course: DrugCourse, as_of: date) -> dict[str, Any]:
    item: dict[str, Any] = {"drug": course.drug, "start": course.date.isoformat()}
    if course.end is not None and course.end <= as_of:
        item["end"] = course.end.isoformat()
        if course.stop_reason:
            item["stop_reason"] = course.stop_reason
    if course.regimen:
        item["regimen"] = course.regimen
    return item


def _screening(s: Screening) -> dict[str, Any]:
    result: dict[str, Any] = {"tests_done": s.tests_done()}
    for name in SCREENING_RESULTS:
        if getattr(s, name):
            result[name] = getattr(s, name)
    for name in (
        "cancer_within_5_years",
        "demyelinating_disease",
        "pregnant_or_planning",
        "tb_symptoms",
        "tb_exposure",
        "tb_treated_before",
        "tb_referral_cleared",
        "heart_failure_nyha",
    ):
        value = getattr(s, name)
        if value is not None:
            result[name] = value
    return result
