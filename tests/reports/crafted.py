"""A small crafted registry for the report tests: each function writes finished forms as a
clinic would, with exactly the values a test names, so every expectation can be counted by
hand. The forms are written directly, not through records.services, so each function then
refreshes the patient's stored episode facts as a finished form does there."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import count
from typing import TypeVar

from hsreg.assessments.models import DoctorAssessment, MedicalHistory, Occasion, PatientReport
from hsreg.patients.models import Enrolment, Patient
from hsreg.records.models import Record, Status
from hsreg.reports.episodes import refresh_episodes
from hsreg.treatments.models import DrugCourse, Intervention, InterventionType
from hsreg.units.models import Unit
from tests.registry.conftest import make_number

_numbers = count(1)


F = TypeVar("F", bound=Record)


def _refreshed(form: F) -> F:
    refresh_episodes(patient_ids=[form.patient_id])
    return form


SURGICAL = InterventionType.SURGICAL
MEDICAL = InterventionType.MEDICAL
BOTH = InterventionType.BOTH


def unit(resh_id: int, *, region: str = "vest", trust: str = "Helse Bergen") -> Unit:
    return Unit.objects.create(
        resh_id=resh_id, name=f"Enhet {resh_id}", health_trust=trust, region=region
    )


def patient(at: Unit, *, born: date | None = None, sex: str = "female") -> Patient:
    n = next(_numbers)
    born = born or date(1990, 6, 15) + timedelta(days=n)  # one number per birth date
    p = Patient.objects.create(
        national_id=make_number(1, born),
        first_name="Test",
        last_name=f"Pasient{n}",
        birth_date=born,
        sex=sex,
    )
    Enrolment.objects.create(patient=p, unit=at)
    return p


def doctor(p: Patient, at: Unit, on: date, *, occasion: str = Occasion.PRE,
           intervention: Intervention | None = None, status: str = Status.FINISHED,
           ihs4: int | None = None, hurley: int | None = None, nodules: int | None = None,
           abscesses: int | None = None, tunnels: int | None = None) -> DoctorAssessment:  # fmt: skip
    an = None if nodules is None or abscesses is None else nodules + abscesses
    return _refreshed(
        DoctorAssessment.objects.create(
            patient=p,
            unit=at,
            date=on,
            status=status,
            occasion=occasion,
            intervention=intervention,
            ihs4=ihs4,
            hurley=hurley,
            nodules=nodules,
            abscesses=abscesses,
            draining_tunnels=tunnels,
            an_count=an,
        )
    )


def report(p: Patient, at: Unit, on: date, *, occasion: str = Occasion.PRE,
           intervention: Intervention | None = None, status: str = Status.FINISHED,
           dlqi: int | None = None, vas: str | None = None, **answers: object) -> PatientReport:  # fmt: skip
    return _refreshed(
        PatientReport.objects.create(
            patient=p,
            unit=at,
            date=on,
            status=status,
            occasion=occasion,
            intervention=intervention,
            dlqi_total=dlqi,
            vas_total=None if vas is None else Decimal(vas),
            **answers,
        )
    )


def intervention(p: Patient, at: Unit, on: date, kind: int = MEDICAL,
                 status: str = Status.FINISHED) -> Intervention:  # fmt: skip
    return _refreshed(
        Intervention.objects.create(patient=p, unit=at, date=on, status=status, type=kind)
    )


def history(p: Patient, at: Unit, on: date, **answers: object) -> MedicalHistory:
    """The patient's one medical history; a second call (after ``episode`` made one for a
    complete episode) gives the history its date, unit and answers."""
    found = MedicalHistory.objects.filter(patient=p, status=Status.FINISHED).first()
    if found is None:
        found = MedicalHistory.objects.create(
            patient=p, unit=at, date=on, status=Status.FINISHED, **answers
        )
    else:
        found.unit, found.date = at, on
        for name, value in answers.items():
            setattr(found, name, value)
        found.save()
    return _refreshed(found)


def biologic(p: Patient, at: Unit, i: Intervention, drug: str = "adalimumab") -> DrugCourse:
    return _refreshed(
        DrugCourse.objects.create(
            patient=p, unit=at, date=i.date, status=Status.FINISHED, drug=drug, intervention=i
        )
    )


def control_occasion(kind: int) -> str:
    """The control that judges an intervention of ``kind`` (issue 5)."""
    return Occasion.CONTROL_3 if kind == MEDICAL else Occasion.CONTROL_6


def episode(at: Unit, on: date, *, kind: int = MEDICAL, before: dict | None = None,
            after: dict | None = None, before_report: dict | None = None,
            after_report: dict | None = None, p: Patient | None = None,
            complete: bool = True) -> Intervention:  # fmt: skip
    """An intervention on ``on`` with a baseline a week before and its judging control (12 or
    26 weeks later) holding the given values; None leaves a form out. A ``complete`` episode
    (issue 16, D1) gets the forms HISREG requires even when left out: a before form of each
    kind without values, and the patient's medical history."""
    p = p or patient(at)
    baseline_day = on - timedelta(days=7)
    if complete:
        before, before_report = before or {}, before_report or {}
        if not MedicalHistory.objects.filter(patient=p, status=Status.FINISHED).exists():
            history(p, at, baseline_day)
    if before is not None:
        doctor(p, at, baseline_day, **before)
    if before_report is not None:
        report(p, at, baseline_day, **before_report)
    i = intervention(p, at, on, kind)
    later = on + timedelta(weeks=12 if kind == MEDICAL else 26)
    if after is not None:
        doctor(p, at, later, occasion=control_occasion(kind), intervention=i, **after)
    if after_report is not None:
        report(p, at, later, occasion=control_occasion(kind), intervention=i, **after_report)
    return i
