"""One synthetic patient's forms, built in date order by a `Journey`.

A journey keeps a patient's forms consistent the way the registry would: one doctor's
assessment a day, nothing dated after ``today`` except planned courses, the patient's report
beside the assessment, scores computed by ``assessments.scoring`` as a form's save computes
them, and corrections stored as records.services stores them (the earlier version kept as
superseded). The forms are unsaved model instances linked by object; the writer inserts them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hsreg.assessments.models import (
    DoctorAssessment,
    MedicalHistory,
    Occasion,
    PatientReport,
    RegionFinding,
)
from hsreg.assessments.scoring import RegionCounts, dlqi, score_assessment
from hsreg.guideline import scores
from hsreg.guideline.case import SCREENING_TESTS
from hsreg.guideline.dates import add_months, age_in_years
from hsreg.patients.models import Patient
from hsreg.records.models import Record, Status
from hsreg.treatments.models import (
    AdverseEvent,
    DrugCourse,
    Intervention,
    InterventionType,
    LabCheck,
    Screening,
    Vaccination,
)

OSLO = ZoneInfo("Europe/Oslo")
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
#: body regions where HS is typical, with how often each is involved
TYPICAL_REGIONS = (
    ("axilla_left", 10),
    ("axilla_right", 10),
    ("groin_left", 8),
    ("groin_right", 8),
    ("gluteal_left", 5),
    ("gluteal_right", 5),
    ("inframammary_left", 3),
    ("inframammary_right", 3),
    ("genital", 2),
    ("perianal", 3),
    ("other", 1),
)
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
CORRECTION_REASONS = (
    "Feil antall noduli registrert i venstre aksille.",
    "Tastefeil i antall abscesser.",
    "Regionene var byttet om (høyre/venstre).",
    "Fistel var ikke talt med.",
)
ADVERSE_EFFECTS = {
    "tetracycline": ("Kvalme og magesmerter", "mild"),
    "lymecycline": ("Fotosensitivitet med solbrenthet", "mild"),
    "doxycycline": ("Spiserørsirritasjon og kvalme", "moderate"),
    "adalimumab": ("Injeksjonsstedsreaksjon og gjentatte luftveisinfeksjoner", "moderate"),
    "rifampicin_clindamycin": ("Diaré", "moderate"),
}


# --- the patient and their forms ----------------------------------------------------------


PAIN_QUESTIONS = (
    "worst_boil_pain",
    "vas_total",
    "vas_axilla_right",
    "vas_axilla_left",
    "vas_groin_right",
    "vas_groin_left",
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


# --- lesions ------------------------------------------------------------------------------

State = tuple[RegionCounts, ...]


def an_of(state: State) -> int:
    return sum(r.nodules + r.abscesses for r in state)


def lesions_of(state: State) -> scores.Lesions:
    return scores.Lesions(
        sum(r.nodules for r in state),
        sum(r.abscesses for r in state),
        sum(r.draining_tunnels for r in state),
    )


def _distance(rng: random.Random, lesions: int) -> Decimal:
    """A longest distance in cm (one decimal) growing with the number of lesions (XS-3)."""
    return Decimal(rng.randint(8, 30 + 25 * min(lesions, 8))) / 10


# --- one patient's story ------------------------------------------------------------------


class Journey:
    """Builds one patient's forms in date order, keeping them consistent (one assessment per
    day, no form dated after today, scores from assessments.scoring)."""

    def __init__(
        self, rng: random.Random, options: Options, seeded: SeededPatient, age: int
    ) -> None:
        self.rng = rng
        self.today = options.today
        self.p = seeded
        self.age = age
        self.female = seeded.patient.sex == "female"
        self.height = rng.randint(155, 180) if self.female else rng.randint(167, 196)
        self.weight = (
            rng.randint(52, 125) if self.female else rng.randint(62, 140)
        )  # HS goes with a high BMI
        if age < 18:
            self.weight = rng.randint(38, 78)
        self.sartorius = rng.random() < 0.45  # distances recorded, so XS-3 can be scored
        self.totals_only = rng.random() < 0.12  # counts typed as totals, not per region
        self.smoking = rng.choices((1, 2, 3, 9), (45, 22, 30, 3))[0]
        self.work = 1 if age < 62 else 5
        self.visit_days: set[date] = set()
        self.regions = self._pick_regions()

    # dates
    def ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def unit_for(self) -> int:
        ids = self.p.unit_ids
        return ids[1] if len(ids) > 1 and self.rng.random() < 0.3 else ids[0]

    def _record(self, record: Record, on: date, status: str = Status.FINISHED) -> None:
        record.patient = self.p.patient
        record.unit_id = self.unit_for()
        record.date = on
        record.status = status
        if status != Status.DRAFT:
            record.finished_at = datetime.combine(on, time(14, 0), tzinfo=OSLO)

    # disease state
    def _pick_regions(self) -> list[str]:
        regions, weights = zip(*TYPICAL_REGIONS, strict=True)
        count = self.rng.choices((1, 2, 3, 4, 5), (20, 35, 25, 13, 7))[0]
        chosen: list[str] = []
        while len(chosen) < count:
            region = self.rng.choices(regions, weights)[0]
            if region not in chosen:
                chosen.append(region)
        return chosen

    def state(self, severity: str, *, hurley: int | None = None) -> State:
        """Counts of a given IHS4 severity (ST-2: mild <= 3, moderate 4-10, severe >= 11)
        spread over the patient's regions; Hurley per region (ST-1) from its tunnels."""
        rng = self.rng
        while True:
            if severity == "mild":
                nodules, abscesses, tunnels = rng.randint(1, 3), rng.choice((0, 0, 1)), 0
            elif severity == "moderate":
                nodules, abscesses, tunnels = (
                    rng.randint(2, 6),
                    rng.randint(0, 2),
                    rng.choice((0, 1)),
                )
            else:
                nodules, abscesses, tunnels = (
                    rng.randint(4, 14),
                    rng.randint(1, 5),
                    rng.randint(1, 4),
                )
            category = scores.ihs4_category(scores.ihs4(nodules, abscesses, tunnels))
            if category == severity and nodules + abscesses >= (1 if severity == "mild" else 4):
                break
        regions = self.regions[: max(1, min(len(self.regions), nodules + abscesses + tunnels))]
        counts = {r: [0, 0, 0] for r in regions}
        for index, total in enumerate((nodules, abscesses, tunnels)):
            for n in range(total):
                # the nodules go one to each region first, the rest anywhere
                region = regions[n] if n < len(regions) and index == 0 else rng.choice(regions)
                counts[region][index] += 1
        stages = {
            r: 1 if t == 0 else (3 if t >= 3 or rng.random() < 0.25 else 2)
            for r, (_, _, t) in counts.items()
        }
        involved = [r for r in regions if sum(counts[r])]
        if hurley is not None and max(stages[r] for r in involved) < hurley:
            # scarring from earlier flares: Hurley II without a draining tunnel today
            stages[max(involved, key=lambda r: sum(counts[r]))] = hurley
        return tuple(
            self._region(r, counts[r][0], counts[r][1], counts[r][2], stages[r]) for r in involved
        )

    def _region(
        self,
        region: str,
        nodules: int,
        abscesses: int,
        tunnels: int,
        hurley: int | None,
    ) -> RegionCounts:
        lesions = nodules + abscesses + tunnels
        distance = separated = None
        if self.sartorius and lesions:
            distance = float(_distance(self.rng, lesions))
            separated = not (tunnels >= 2 and self.rng.random() < 0.5)
        return RegionCounts(region, nodules, abscesses, tunnels, hurley, distance, separated)

    def respond(self, base: State, kind: str) -> State:
        """The state after treatment, judged against ``base`` (TX-9, MO-2): ``responder`` AN
        reduced >= 50 % with no more abscesses or tunnels (HiSCR); ``partial`` 25-49 %;
        ``none`` < 25 % or worse."""
        rng = self.rng
        an = an_of(base)
        if kind == "responder":
            wanted = [x for x in range(an + 1) if scores.reduced_by(an, x, 50)]
        elif kind == "partial":
            wanted = [
                x
                for x in range(an + 1)
                if scores.reduced_by(an, x, 25) and not scores.reduced_by(an, x, 50)
            ]
        else:
            wanted = [x for x in range(an + 4) if not scores.reduced_by(an, x, 25)]
        target = rng.choice(wanted or [an])
        cells = [[r.nodules, r.abscesses, r.draining_tunnels] for r in base]
        while sum(c[0] + c[1] for c in cells) > target:
            cell = rng.choice([c for c in cells if c[0] + c[1] > 0])
            cell[0 if cell[0] and (not cell[1] or rng.random() < 0.6) else 1] -= 1
        while sum(c[0] + c[1] for c in cells) < target:
            rng.choice(cells)[0] += 1
        if kind == "responder":
            for cell in cells:
                cell[2] = rng.randint(0, cell[2]) if cell[2] else 0
        elif kind == "none":
            for cell in cells:
                cell[2] += rng.choice((0, 0, 0, 1))
        return tuple(
            self._region(r.region, min(c[0], 50), min(c[1], 20), min(c[2], 20), r.hurley)
            for r, c in zip(base, cells, strict=True)
        )

    # forms
    def history(self, on: date) -> MedicalHistory:
        rng = self.rng
        age_then = age_in_years(self.p.patient.birth_date, on)
        first_boil = rng.randint(min(11, age_then), max(min(age_then, 35), min(11, age_then)))
        first_gp = min(age_then, first_boil + rng.randint(0, 4))
        diagnosis = min(age_then, first_gp + rng.randint(0, 8))
        h = MedicalHistory(
            height_cm=self.height,
            age_first_boil=min(first_boil, 60),
            age_first_gp=first_gp,
            age_diagnosis=diagnosis,
            months_gp_to_specialist=min(99, (diagnosis - first_gp) * 12),
            prior_surgery=rng.choices((0, 1, 9), (60, 37, 3))[0],
            prior_medication=rng.choices((0, 1), (30, 70))[0],
            medication_antibiotic=rng.choice((0, 1, 2, 3, 9)),
            medication_isotretinoin=rng.choices((0, 1, 9), (85, 12, 3))[0],
            medication_acitretin=rng.choices((0, 1), (95, 5))[0],
            medication_metformin=rng.choices((0, 1, 2), (88, 8, 4))[0],
            medication_antiinflammatory=rng.choices((0, 1), (90, 10))[0],
            medication_biologic=0,
            medication_hormonal=rng.choices((0, 1), (70, 30))[0] if self.female else 0,
            medication_psychiatric=rng.choices((0, 1), (80, 20))[0],
            family_history=rng.choices((0, 1, 9), (55, 30, 15))[0],
            acne=rng.choices((0, 1, 9), (60, 35, 5))[0],
            skin_disease=rng.choices((0, 1), (88, 12))[0],
            pilonidal=rng.choices((0, 1), (85, 15))[0],
            rheumatic=rng.choices((0, 1), (95, 5))[0],
            bowel_disease=rng.choices((0, 1), (96, 4))[0],
            diabetes=rng.choices((0, 1), (90, 10))[0] if self.age > 25 else 0,
            hypertension=rng.choices((0, 1), (82, 18))[0] if self.age > 30 else 0,
            cardiovascular=rng.choices((0, 1), (94, 6))[0] if self.age > 40 else 0,
            other_disease=rng.choices((0, 1), (92, 8))[0],
        )
        if h.prior_medication != 1:  # the medication questions are asked only after a yes
            for name in (
                "antibiotic",
                "isotretinoin",
                "acitretin",
                "metformin",
                "antiinflammatory",
                "biologic",
                "hormonal",
                "psychiatric",
            ):
                setattr(h, f"medication_{name}", None)
        if h.prior_surgery == 1:
            h.surgery_drainage = rng.random() < 0.7
            h.surgery_excision = rng.random() < 0.4
            h.surgery_deroofing = rng.random() < 0.2
        if h.family_history == 1:
            h.family_mother = rng.random() < 0.5
            h.family_father = not h.family_mother or rng.random() < 0.2
            h.family_siblings = rng.random() < 0.3
        if h.skin_disease == 1:
            h.skin_disease_type = rng.choice((1, 2, 3, 4))
        if h.rheumatic == 1:
            h.rheumatic_type = rng.choice((1, 2, 3, 9))
        if h.bowel_disease == 1:
            h.bowel_disease_type = rng.choice((1, 1, 2, 3))
        if h.diabetes == 1:
            h.diabetes_type = rng.choices((1, 2), (15, 85))[0]
        if h.cardiovascular == 1:
            h.cardio_arrhythmia = rng.random() < 0.5
            h.cardio_angina = not h.cardio_arrhythmia
        if h.other_disease == 1:
            h.other_disease_text = rng.choice(
                ("Astma", "Hypotyreose", "Depresjon", "Migrene", "Polycystisk ovariesyndrom")
            )
        self._record(h, on)
        self.p.histories.append(h)
        return h

    def free_day(self, on: date) -> date:
        """``on`` or the nearest earlier day without an assessment (one per day, as the
        engine requires)."""
        while on in self.visit_days:
            on -= timedelta(days=1)
        return on

    def visit(
        self,
        on: date,
        state: State,
        *,
        dlqi_total: int | None,
        occasion: str = Occasion.PRE,
        intervention: Intervention | None = None,
        criteria: bool = False,
        weigh: bool | None = None,
        report: bool = True,
        status: str = Status.FINISHED,
    ) -> DoctorAssessment:
        """A doctor's assessment with its regions and, usually, the patient's report of the
        same day (DLQI near ``dlqi_total``, scored by assessments.scoring)."""
        rng = self.rng
        on = self.free_day(on)
        if status != Status.DRAFT:
            self.visit_days.add(on)
        if weigh is None:
            weigh = self.age < 18 or rng.random() < 0.5
        weight = self.weight + rng.randint(-3, 3) if weigh else None
        lesions = lesions_of(state)
        regions = () if self.totals_only else state
        result = score_assessment(
            regions=regions,
            nodules=lesions.nodules,
            abscesses=lesions.abscesses,
            draining_tunnels=lesions.draining_tunnels,
            hurley=max((r.hurley or 1) for r in state),
            weight_kg=weight,
            height_cm=self.height,
        )
        ihs4 = result.ihs4 or 0
        activity = "mild" if ihs4 <= 3 else ("moderate" if ihs4 <= 10 else "severe")
        if rng.random() < 0.15:
            activity = rng.choice(("mild", "moderate", "severe"))
        a = DoctorAssessment(
            occasion=occasion,
            intervention=intervention,
            weight_kg=weight,
            hurley=result.hurley,
            nodules=result.nodules,
            abscesses=result.abscesses,
            draining_tunnels=result.draining_tunnels,
            inflammatory_activity=activity,
            ihs4=result.ihs4,
            ihs4_category=result.ihs4_category,
            an_count=result.an_count,
            sartorius=result.sartorius,
            bmi=result.bmi,
        )
        if criteria:
            a.typical_lesions = True
            a.typical_location = True
            a.chronic_relapsing = True if rng.random() < 0.95 else None
        self._record(a, on, status)
        self.p.assessments.append(a)
        self.p.findings += [self._finding(a, r) for r in regions]
        if report:
            self.report(
                on, state, dlqi_total, occasion=occasion, intervention=intervention, status=status
            )
        return a

    @staticmethod
    def _finding(a: DoctorAssessment, r: RegionCounts) -> RegionFinding:
        return RegionFinding(
            assessment=a,
            region=r.region,
            nodules=r.nodules,
            abscesses=r.abscesses,
            draining_tunnels=r.draining_tunnels,
            hurley=r.hurley,
            longest_distance_cm=(
                None if r.longest_distance_cm is None else Decimal(str(r.longest_distance_cm))
            ),
            separated_by_normal_skin=r.separated_by_normal_skin,
        )

    def report(
        self,
        on: date,
        state: State,
        dlqi_total: int | None,
        *,
        occasion: str,
        intervention: Intervention | None,
        status: str = Status.FINISHED,
    ) -> PatientReport:
        rng = self.rng
        an = an_of(state)
        pain = Decimal(min(100, max(0, 15 + 6 * an + rng.randint(-15, 15)))) / 10
        r = PatientReport(
            occasion=occasion,
            intervention=intervention,
            smoking=self.smoking,
            work=self.work if rng.random() < 0.85 else rng.choice((2, 3, 4, 6)),
            boils_last_4_weeks=min(99, an + rng.randint(0, 3)),
            worst_boil_pain=min(Decimal(10), pain + Decimal(rng.randint(0, 15)) / 10),
            vas_total=pain,
        )
        involved = {x.region for x in state if x.nodules + x.abscesses + x.draining_tunnels}
        for region, name in (
            ("axilla_right", "vas_axilla_right"),
            ("axilla_left", "vas_axilla_left"),
            ("groin_right", "vas_groin_right"),
            ("groin_left", "vas_groin_left"),
        ):
            if region in involved:
                local = pain + Decimal(rng.randint(-10, 10)) / 10
                setattr(r, name, max(Decimal(0), min(Decimal(10), local)))
        for name in (*PAIN_QUESTIONS, "vas_other"):
            # HISREG's "Ukjent" box: asked, and the patient could not say
            setattr(r, f"{name}_unknown", getattr(r, name) is None)
        if dlqi_total is not None:
            answers, q7_problems = self.dlqi_answers(dlqi_total)
            for n, code in enumerate(answers, start=1):
                setattr(r, f"dlqi_{n}", code)
            r.dlqi_7_problems = q7_problems
            r.dlqi_total = dlqi(answers, q7_problems)[0]
        if occasion != Occasion.PRE and intervention is not None:
            r.satisfaction = rng.choices((1, 2, 3, 4, 5), (40, 25, 15, 10, 10))[0]
            r.would_repeat = rng.choices((1, 0, 9), (75, 15, 10))[0]
            r.would_recommend = rng.choices((1, 0, 9), (70, 15, 15))[0]
            medical = intervention.type in (InterventionType.MEDICAL, InterventionType.BOTH)
            r.still_on_treatment = rng.choices((1, 0), (80, 20))[0] if medical else 9
            if r.still_on_treatment == 1:
                r.dose_change = rng.choices((1, 2, 3), (80, 10, 10))[0]
            elif r.still_on_treatment == 0:
                r.stop_reason = rng.choice((1, 2, 9))
                if r.stop_reason == 2:
                    r.stop_adverse_effect = rng.choice((2, 3, 4, 5, 9))
            if intervention.type in (InterventionType.SURGICAL, InterventionType.BOTH):
                r.wound_infection = rng.choices((0, 1), (85, 15))[0]
                r.delayed_healing = rng.choices((0, 1), (80, 20))[0]
                r.scar_problems = rng.choices((0, 1), (90, 10))[0]
                r.nerve_damage = rng.choices((0, 1), (90, 10))[0]
                r.sepsis = 0
                r.bleeding = rng.choices((0, 1), (95, 5))[0]
                r.other_complications = 0
        if (
            occasion == Occasion.PRE
            and status == Status.FINISHED
            and rng.random() < 0.1
            and not any(0 < (on - day).days <= 20 for day in self.visit_days)
        ):
            on -= timedelta(days=rng.randint(1, 3))  # filled in at home before the visit
        self._record(r, on, status)
        self.p.reports.append(r)
        return r

    def dlqi_answers(self, total: int) -> tuple[list[int | None], int | None]:
        """HISREG codes for ten DLQI answers scoring ``total`` (MO-1a); now and then one
        question left unanswered (then scored 0, so the total holds)."""
        rng = self.rng
        total = max(0, min(30, total))
        item_scores = [0] * 10
        for _ in range(total):
            item_scores[rng.choice([i for i in range(10) if item_scores[i] < 3])] += 1
        codes: list[int | None] = []
        q7_problems = None
        for number, score in enumerate(item_scores, start=1):
            if number == 7:
                if score == 3:
                    codes.append(1)
                elif score == 0 and rng.random() < 0.3:
                    codes.append(5)
                else:
                    codes.append(0)
                    q7_problems = {2: rng.choice((1, 2)), 1: 3, 0: 4}[score]
            elif score:
                codes.append({3: 1, 2: 2, 1: 3}[score])
            else:
                not_relevant = number not in (1, 2) and rng.random() < 0.15
                codes.append(5 if not_relevant else 4)
        if rng.random() < 0.03:
            zeros = [i for i, s in enumerate(item_scores) if s == 0 and i != 6]
            if zeros:
                codes[rng.choice(zeros)] = None
        return codes, q7_problems

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
        """SC-1/SC-2 before a biologic: complete and without a bar, or with tests missing and
        the tuberculosis history not yet taken."""
        rng = self.rng
        s = Screening()
        tests = list(SCREENING_TESTS)
        if not complete:
            tests = [t for t in tests if rng.random() < 0.55]
        for test in tests:
            setattr(s, f"test_{test}", True)
        if "igra" in tests:
            s.igra = "negative"
        if "chest_xray" in tests:
            s.chest_xray = "normal"
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

    def control(
        self, intervention: Intervention, state: State, dlqi_total: int | None, on: date
    ) -> DoctorAssessment:
        """The 3- or 6-month control of an intervention (HISREG's follow-up)."""
        surgical = intervention.type in (InterventionType.SURGICAL, InterventionType.BOTH)
        occasion = Occasion.CONTROL_6 if surgical else Occasion.CONTROL_3
        return self.visit(
            on, state, dlqi_total=dlqi_total, occasion=occasion, intervention=intervention
        )

    def correct_one(self) -> None:
        """A finished assessment corrected: the version first typed (two nodules too many in
        one region) kept as superseded, the corrected one replacing it, as records.services
        stores a correction."""
        candidates = [
            a
            for a in self.p.assessments
            if a.status == Status.FINISHED and a.replaces is None and a.nodules
        ]
        if not candidates:
            return
        final = self.rng.choice(candidates)
        wrong = DoctorAssessment(
            **{
                f.attname: getattr(final, f.attname)
                for f in DoctorAssessment._meta.concrete_fields
                if not f.primary_key
            }
        )
        wrong.patient = final.patient
        wrong.intervention = final.intervention
        wrong.status = Status.SUPERSEDED
        regions = [self._counts(f) for f in self.p.findings if f.assessment is final]
        if regions:
            first = regions[0]
            regions[0] = RegionCounts(
                first.region,
                first.nodules + 2,
                first.abscesses,
                first.draining_tunnels,
                first.hurley,
                first.longest_distance_cm,
                first.separated_by_normal_skin,
            )
        result = score_assessment(
            regions=regions,
            nodules=(final.nodules or 0) + 2,
            abscesses=final.abscesses,
            draining_tunnels=final.draining_tunnels,
            hurley=final.hurley,
            weight_kg=final.weight_kg,
            height_cm=self.height,
        )
        wrong.nodules, wrong.ihs4, wrong.an_count = result.nodules, result.ihs4, result.an_count
        wrong.ihs4_category, wrong.sartorius = result.ihs4_category, result.sartorius
        self.p.assessments[self.p.assessments.index(final)] = wrong
        self.p.assessments.append(final)
        final.replaces = wrong
        final.correction_reason = self.rng.choice(CORRECTION_REASONS)
        self.p.findings += [self._finding(wrong, r) for r in regions]

    @staticmethod
    def _counts(f: RegionFinding) -> RegionCounts:
        return RegionCounts(
            f.region,
            f.nodules,
            f.abscesses,
            f.draining_tunnels,
            f.hurley,
            None if f.longest_distance_cm is None else float(f.longest_distance_cm),
            f.separated_by_normal_skin,
        )

    def draft(self) -> None:
        """A form started today and not finished: drafts never count in the case."""
        state = self.state(self.rng.choice(("mild", "moderate")))
        if self.rng.random() < 0.6:
            self.visit(self.today, state, dlqi_total=self.rng.randint(2, 15), status=Status.DRAFT)
        else:
            self.report(
                self.today,
                state,
                self.rng.randint(2, 15),
                occasion=Occasion.PRE,
                intervention=None,
                status=Status.DRAFT,
            )

    def earlier_visits(self, count: int) -> None:
        """``count`` extra assessments before the first one (a long-followed patient), each
        with its report: they change no decision, only the history's length."""
        if not self.p.assessments:
            return
        first = earliest = min(a.date for a in self.p.assessments)
        for _ in range(count):
            on = earliest - timedelta(days=self.rng.randint(60, 150))
            if age_in_years(self.p.patient.birth_date, on) < 12:
                break
            self.visit(
                on,
                self.state(self.rng.choice(("mild", "moderate", "moderate", "severe"))),
                dlqi_total=self.rng.randint(3, 18),
                report=self.rng.random() < 0.8,
            )
            earliest = on
        if earliest < first:
            for h in self.p.histories:
                self._registered(h, earliest)

    def _registered(self, h: MedicalHistory, on: date) -> None:
        """Moves the medical history to ``on``, its ages no higher than the age then."""
        h.date = on
        h.finished_at = datetime.combine(on, time(14, 0), tzinfo=OSLO)
        age = age_in_years(self.p.patient.birth_date, on)
        h.age_first_boil = min(h.age_first_boil or 0, age)
        h.age_first_gp = min(h.age_first_gp or 0, age)
        h.age_diagnosis = min(h.age_diagnosis or 0, age)
        h.months_gp_to_specialist = min(99, (h.age_diagnosis - h.age_first_gp) * 12)
