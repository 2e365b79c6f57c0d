"""The treatments of a journey: interventions, drug courses and their adverse events, screening
before a biologic (SC-1, SC-2), vaccinations (VA) and lab checks (LM-1)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hsreg.guideline.case import SCREENING_TESTS
from hsreg.guideline.dates import add_months
from hsreg.records.models import Status
from hsreg.treatments.models import (
    AdverseEvent,
    DrugCourse,
    Intervention,
    InterventionType,
    LabCheck,
    Screening,
    Vaccination,
)

from .answers import answer_intervention, note_course
from .base import OSLO, JourneyBase
from .screening_results import record_results

TETRACYCLINE_DOSE = {
    "tetracycline": "500 mg x 2",
    "lymecycline": "300 mg x 2",
    "doxycycline": "100 mg x 2",
}
BIOLOGIC_DOSE = {
    "infliximab": "5 mg/kg uke 0, 2, 6, deretter hver 8. uke",
    "secukinumab": "300 mg hver 2. uke",
    "bimekizumab": "320 mg hver 2. uke",
}
SURGERY_SITES = {
    "axilla_left": "axilla_left",
    "axilla_right": "axilla_right",
    "groin_left": "groin_left",
    "groin_right": "groin_right",
    "gluteal_left": "gluteal_left",
    "gluteal_right": "gluteal_right",
    "inframammary_left": "mammae_left",
    "inframammary_right": "mammae_right",
    "genital": "genital_left",
    "perianal": "perianal_right",
    "other": "other",
}
ADVERSE_EFFECTS = {
    "tetracycline": ("Kvalme og magesmerter", "mild"),
    "lymecycline": ("Fotosensitivitet med solbrenthet", "mild"),
    "doxycycline": ("Spiserørsirritasjon og kvalme", "moderate"),
    "adalimumab": ("Injeksjonsstedsreaksjon og gjentatte luftveisinfeksjoner", "moderate"),
    "rifampicin_clindamycin": ("Diaré", "moderate"),
}


class Treatments(JourneyBase):
    """Interventions, courses, screening, vaccines and lab checks."""

    def intervention(self, on: date, kind: int, **fields: object) -> Intervention:
        rng = self.rng
        i = Intervention(type=kind, **fields)
        if kind in (InterventionType.SURGICAL, InterventionType.BOTH):
            technique = rng.choice(
                ("excision_suture", "excision_granulation", "laser", "deroofing")
            )
            setattr(i, f"surgery_{technique}", True)
            i.anaesthesia_general = technique.startswith("excision") and rng.random() < 0.6
            i.anaesthesia_local = not i.anaesthesia_general
            i.operation_time = rng.choice((1, 2, 3, 4))
            i.operation_diameter = rng.choice((1, 2, 3))
            i.bleeding_diathermy = rng.choice((0, 1))
            i.bleeding_ligation = 0
            i.surgery_sites = sorted({SURGERY_SITES[r] for r in self.regions[:2]})
            i.analgesic_paracetamol = True
            i.analgesic_nsaid = rng.random() < 0.6
            i.analgesic_opioid = rng.random() < 0.2
        elif kind == InterventionType.NONE_BY_PATIENT:
            i.no_treatment_reason = "Pasienten ønsket å avvente behandling."
        elif kind == InterventionType.NONE_BY_DOCTOR:
            i.no_treatment_reason = "Lite aktivitet; kontroll ved behov."
        answer_intervention(i, rng)
        self._record(i, on)
        self.p.interventions.append(i)
        return i

    def course(
        self,
        drug: str,
        start: date,
        *,
        end: date | None = None,
        stop: str = "",
        regimen: str = "",
        intervention: Intervention | None = None,
        dose: str = "",
    ) -> DrugCourse:
        """A drug course; an ended one is, now and then, registered as the original without an
        end and its correction with the end (as the registry records ending a course)."""
        if not dose:
            dose = TETRACYCLINE_DOSE.get(drug) or BIOLOGIC_DOSE.get(drug, "")
        if drug == "adalimumab" and not dose:
            dose = (
                "40 mg hver 2. uke fra uke 1" if self.age < 18 else "160 mg, 80 mg, deretter 40 mg"
            )
        c = DrugCourse(drug=drug, dose=dose, regimen=regimen, intervention=intervention)
        note_course(intervention, drug)
        self._record(c, start)
        if end is not None and self.rng.random() < 0.2 and end <= self.today:
            original = c
            original.status = Status.SUPERSEDED
            self.p.courses.append(original)
            c = DrugCourse(
                drug=drug,
                dose=dose,
                regimen=regimen,
                intervention=intervention,
                replaces=original,
                correction_reason="Kuren er avsluttet.",
            )
            self._record(c, start)
            c.finished_at = datetime.combine(end, time(15, 0), tzinfo=OSLO)
        c.end = end
        c.stop_reason = stop
        self.p.courses.append(c)
        if stop in ("adverse_effect", "inadequate_effect_and_adverse_effect") and end is not None:
            self.adverse(c, end)
        return c

    def adverse(self, course: DrugCourse, on: date) -> None:
        what, seriousness = ADVERSE_EFFECTS.get(course.drug, ("Bivirkning", "mild"))
        e = AdverseEvent(
            drug_course=course,
            description=what,
            seriousness=seriousness,
            action_taken="stopped",
            reported_to_dmp=seriousness != "mild" and self.rng.random() < 0.5,
        )
        self._record(e, on)
        self.p.adverse_events.append(e)

    def screening(self, on: date, *, complete: bool = True) -> Screening:
        """SC-1/SC-2 before a biologic: complete and without a bar, each result recorded (now
        and then an abnormal blood test or a positive serology, a warning of the SC-1 Reading),
        or with tests missing, some results awaited and the tuberculosis history not yet
        taken."""
        rng = self.rng
        s = Screening()
        tests = list(SCREENING_TESTS)
        if not complete:
            tests = [t for t in tests if rng.random() < 0.55]
        for test in tests:
            setattr(s, f"test_{test}", True)
        record_results(s, taken=tests, complete=complete, key=f"{self.p.number}-{on}")
        s.cancer_within_5_years = False
        s.heart_failure_nyha = 0
        s.demyelinating_disease = False
        s.pregnant_or_planning = (rng.random() < 0.1) if self.female else False
        if complete:
            s.tb_symptoms = s.tb_exposure = s.tb_treated_before = False
        self._record(s, on)
        self.p.screenings.append(s)
        return s

    def vaccinate(self, vaccine: str, on: date, *, live: bool | None = False) -> None:
        if on > self.today:
            return
        v = Vaccination(vaccine=vaccine, live=live)
        self._record(v, on)
        self.p.vaccinations.append(v)

    def vaccines_before(self, start: date) -> None:
        """VA-1/VA-2: pneumococcal and influenza before a biologic; DTaP-IPV for some."""
        rng = self.rng
        self.vaccinate("pneumococcal", start - timedelta(days=rng.randint(30, 60)))
        if rng.random() < 0.6:
            self.vaccinate("dtap_ipv", start - timedelta(days=rng.randint(30, 70)))
        self.flu_seasons(start - timedelta(days=rng.randint(60, 200)))

    def flu_seasons(self, since: date) -> None:
        """An influenza vaccine each autumn from ``since`` until today (VA-2), a few missed."""
        for year in range(since.year, self.today.year + 1):
            day = date(year, 10, 1) + timedelta(days=self.rng.randint(0, 50))
            if since <= day <= self.today and self.rng.random() < 0.85:
                self.vaccinate("influenza", day)

    def labs(self, start: date, *, overdue: bool = False, until: date | None = None) -> None:
        """LM-1: the first check a month after the start, then every 2-3 months; ``overdue``
        stops them long enough ago that the next is late."""
        rng = self.rng
        last = min(until or self.today, self.today)
        if overdue:
            last = self.today - timedelta(days=rng.randint(100, 160))
        on = add_months(start, 1) + timedelta(days=rng.randint(-2, 6))
        while on <= last:
            lab = LabCheck(abnormal=rng.random() < 0.08)
            if lab.abnormal:
                lab.note = rng.choice(("Lett forhøyet ALAT", "CRP 14", "Lett nøytropeni"))
            self._record(lab, on)
            self.p.labs.append(lab)
            on += timedelta(days=rng.randint(62, 88))
