"""The medical history of a journey (registered once, moved back for a long-followed patient)."""

from __future__ import annotations

from datetime import date, datetime, time

from hsreg.assessments.models import (
    MedicalHistory,
)
from hsreg.guideline.dates import age_in_years

from .base import OSLO, JourneyBase


class Histories(JourneyBase):
    """The medical history form."""

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

    def _registered(self, h: MedicalHistory, on: date) -> None:
        """Moves the medical history to ``on``, its ages no higher than the age then."""
        h.date = on
        h.finished_at = datetime.combine(on, time(14, 0), tzinfo=OSLO)
        age = age_in_years(self.p.patient.birth_date, on)
        h.age_first_boil = min(h.age_first_boil or 0, age)
        h.age_first_gp = min(h.age_first_gp or 0, age)
        h.age_diagnosis = min(h.age_diagnosis or 0, age)
        h.months_gp_to_specialist = min(99, (h.age_diagnosis - h.age_first_gp) * 12)
