"""The medical history (Medisinske opplysninger): the registration form, once per patient; it
checks the ages asked about against the patient's age on the form's date."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hsreg.records.forms import RecordForm, When, group, only_when

from ..models import MedicalHistory
from .common import AGES, age_on


class MedicalHistoryForm(RecordForm):
    LAYOUT = (
        group(
            _("Registration"),
            "date",
            "height_cm",
            "age_first_boil",
            "age_first_gp",
            "age_diagnosis",
            "months_gp_to_specialist",
        ),
        group(
            _("Earlier treatment of HS"),
            "prior_surgery",
            group(
                _("Which surgery"),
                "surgery_excision",
                "surgery_drainage",
                "surgery_co2_laser",
                "surgery_deroofing",
                "surgery_other",
                "surgery_unknown",
                when=When("prior_surgery", ("1",)),
            ),
            "prior_medication",
            group(
                _("Which medication"),
                "medication_antibiotic",
                "medication_isotretinoin",
                "medication_acitretin",
                "medication_metformin",
                "medication_antiinflammatory",
                "medication_biologic",
                "medication_hormonal",
                "medication_psychiatric",
                when=When("prior_medication", ("1",)),
            ),
        ),
        group(
            _("HS in the family"),
            "family_history",
            group(
                _("Which relatives"),
                "family_father",
                "family_mother",
                "family_siblings",
                "family_children",
                "family_other",
                "family_unknown",
                when=When("family_history", ("1",)),
            ),
        ),
        group(
            _("Other diseases"),
            "acne",
            "skin_disease",
            only_when("skin_disease", "1", items=["skin_disease_type"]),
            "pilonidal",
            "rheumatic",
            only_when("rheumatic", "1", items=["rheumatic_type"]),
            "bowel_disease",
            only_when("bowel_disease", "1", items=["bowel_disease_type"]),
            "diabetes",
            only_when("diabetes", "1", items=["diabetes_type"]),
            "hypertension",
            "cardiovascular",
            group(
                _("Which heart or vascular disease"),
                "cardio_angina",
                "cardio_infarction",
                "cardio_failure",
                "cardio_arrhythmia",
                "cardio_other",
                when=When("cardiovascular", ("1",)),
            ),
            "other_disease",
            only_when("other_disease", "1", items=["other_disease_text"]),
        ),
        group(_("Comment"), "comment"),
    )

    class Meta:
        model = MedicalHistory
        exclude = [
            "patient",
            "unit",
            "status",
            "created_by",
            "finished_at",
            "replaces",
            "correction_reason",
        ]

    def clean_record(self, values: dict[str, Any]) -> None:
        """An age asked about cannot exceed the patient's age on the form's date."""
        day = values.get("date")
        if day is None:
            return
        age = age_on(self.patient.birth_date, day)
        for name in AGES:
            value = values.get(name)
            if value is not None and value > age and name not in self.errors:
                self.add_error(
                    name,
                    gettext("Cannot be more than the patient's age on the date (%(age)s).")
                    % {"age": age},
                )
