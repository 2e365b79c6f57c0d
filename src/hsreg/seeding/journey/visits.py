"""The doctor's assessments and patient's reports of a journey, their corrections and drafts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hsreg.assessments.models import (
    COMPLICATIONS,
    DoctorAssessment,
    Occasion,
    PatientReport,
    RegionFinding,
)
from hsreg.assessments.scoring import RegionCounts, dlqi, score_assessment
from hsreg.guideline.dates import age_in_years
from hsreg.records.models import Status
from hsreg.treatments.models import (
    Intervention,
    InterventionType,
)

from .answers import control_possible
from .disease import Disease, State, an_of, lesions_of
from .history import Histories

CORRECTION_REASONS = (
    "Feil antall noduli registrert i venstre aksille.",
    "Tastefeil i antall abscesser.",
    "Regionene var byttet om (høyre/venstre).",
    "Fistel var ikke talt med.",
)
PAIN_QUESTIONS = (
    "worst_boil_pain",
    "vas_total",
    "vas_axilla_right",
    "vas_axilla_left",
    "vas_groin_right",
    "vas_groin_left",
)


class Visits(Disease, Histories):
    """Assessments, reports, controls, corrections and drafts."""

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
            else:  # asked at every control (the dictionary); after a medical treatment: no
                for name in COMPLICATIONS:
                    setattr(r, name, 0)
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
                    # 2 "a lot" (DLQI 7b has no "very much", issue 12); the draw that
                    # chose 1 or 2 stays, so a seed still gives the same registry
                    q7_problems = {2: rng.choice((2, 2)), 1: 3, 0: 4}[score]
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

    def control(
        self, intervention: Intervention, state: State, dlqi_total: int | None, on: date
    ) -> DoctorAssessment:
        """The 3- or 6-month control of an intervention (HISREG's follow-up)."""
        surgical = intervention.type in (InterventionType.SURGICAL, InterventionType.BOTH)
        occasion = Occasion.CONTROL_6 if surgical else Occasion.CONTROL_3
        possible, reason = control_possible(self.rng)
        if not possible:
            return self.not_possible(on, occasion, intervention, reason)
        a = self.visit(
            on, state, dlqi_total=dlqi_total, occasion=occasion, intervention=intervention
        )
        a.control_possible = 1
        for r in self.p.reports:
            if r.intervention is intervention and r.occasion == occasion:
                r.control_possible = 1
        return a

    def not_possible(
        self, on: date, occasion: str, intervention: Intervention, reason: int | None
    ) -> DoctorAssessment:
        """A control that could not be done: both forms say so and why, nothing else
        (assessments.control)."""
        on = self.free_day(on)
        self.visit_days.add(on)
        a = DoctorAssessment(
            occasion=occasion,
            intervention=intervention,
            control_possible=0,
            impossible_reason=reason,
        )
        self._record(a, on)
        self.p.assessments.append(a)
        r = PatientReport(
            occasion=occasion,
            intervention=intervention,
            control_possible=0,
            impossible_reason=reason,
        )
        self._record(r, on)
        self.p.reports.append(r)
        return a

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
