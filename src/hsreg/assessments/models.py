"""The clinical forms of HISREG: medical history, the patient's own report (before treatment
and at the 3- and 6-month controls) and the doctor's assessment with counts per body region.

Scores (IHS4, AN, Sartorius, DLQI, BMI) are stored as computed by the guideline engine when the
form is saved (assessments.scoring), so lists and reports read them without recomputing.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hsreg.records.models import Record, coded, number, scale, yes_no

from .choices import (
    ACTIVITY,
    ADVERSE,
    ANTIBIOTIC_USE,
    BOWEL,
    CDLQI_7,
    CDLQI_7_PERIOD,
    CONTROL_POSSIBLE,
    DIABETES,
    DLQI_ANSWER,
    DLQI_ANSWER_OR_NOT_RELEVANT,
    DLQI_Q7,
    DLQI_Q7_PROBLEMS,
    DOSE,
    HISCR_CATEGORIES,
    HURLEY,
    INSTRUMENT,
    MEDICATION_USE,
    REPORTED_BY,
    RHEUMATIC,
    SATISFACTION,
    SKIN_DISEASE,
    SMOKING,
    STOPPED,
    WORK,
    ImpossibleReason,
    Occasion,
    Region,
)

#: the patient's pain scores (0-10, one decimal), each with its "don't know" box
PAIN_FIELDS = (
    "worst_boil_pain",
    "vas_total",
    "vas_axilla_right",
    "vas_axilla_left",
    "vas_groin_right",
    "vas_groin_left",
    "vas_other",
)
#: the control forms' questions on complications (HISREG's patientcontrol INFECTION ...
#: OTHER_COMPLICATIONS_ID), asked at every control
COMPLICATIONS = (
    "wound_infection",
    "delayed_healing",
    "scar_problems",
    "nerve_damage",
    "sepsis",
    "bleeding",
    "other_complications",
)


def control_fields() -> tuple[models.Field, models.Field]:  # type: ignore[type-arg]
    """The two questions every control form starts with (a field each per model)."""
    return (
        coded(_("Was the control possible?"), CONTROL_POSSIBLE),
        coded(_("Why not"), ImpossibleReason.choices),
    )


class MedicalHistory(Record):
    """Medisinske opplysninger: the registration form, once per patient."""

    TITLE = _("Medical history")
    height_cm = number(_("Height (cm)"), 100, 300)
    age_first_boil = number(_("Age at first boil"), 0, 60)
    age_first_gp = number(_("Age when first seeing a GP for boils"), 0, 99)
    age_diagnosis = number(_("Age when diagnosed with HS by a dermatologist"), 0, 99)
    months_gp_to_specialist = number(
        _("Months from the first GP visit to referral to a specialist"), 0, 99
    )
    prior_surgery = yes_no(_("Prior surgery for HS"))
    surgery_excision = models.BooleanField(_("Excision"), default=False)
    surgery_drainage = models.BooleanField(_("Incision and drainage"), default=False)
    surgery_co2_laser = models.BooleanField(_("CO₂ laser"), default=False)
    surgery_deroofing = models.BooleanField(_("Deroofing"), default=False)
    surgery_other = models.BooleanField(_("Other surgery"), default=False)
    surgery_unknown = models.BooleanField(_("Type not known"), default=False)
    prior_medication = yes_no(_("Uses or has used medication for HS"))
    medication_antibiotic = coded(_("Antibiotics as tablets or injections"), ANTIBIOTIC_USE)
    medication_isotretinoin = coded(_("Isotretinoin capsules"), MEDICATION_USE)
    medication_acitretin = coded(_("Acitretin capsules"), MEDICATION_USE)
    medication_metformin = coded(_("Metformin"), MEDICATION_USE)
    medication_antiinflammatory = coded(
        _("Other anti-inflammatory tablets (dapsone, ciclosporin, prednisolone)"), MEDICATION_USE
    )
    medication_biologic = coded(_("Biologic treatment (infliximab, adalimumab)"), MEDICATION_USE)
    medication_hormonal = coded(_("Contraceptive pill or other hormonal treatment"), MEDICATION_USE)
    medication_psychiatric = coded(_("Antidepressants, lithium or antipsychotics"), MEDICATION_USE)
    family_history = yes_no(_("HS in the family"))
    family_father = models.BooleanField(_("Father"), default=False)
    family_mother = models.BooleanField(_("Mother"), default=False)
    family_siblings = models.BooleanField(_("Siblings"), default=False)
    family_children = models.BooleanField(_("Children"), default=False)
    family_other = models.BooleanField(_("Other relative"), default=False)
    family_unknown = models.BooleanField(_("Relative not known"), default=False)
    acne = yes_no(_("Severe acne, now or before"))
    skin_disease = yes_no(_("Other skin disease lasting over 3 months"))
    skin_disease_type = coded(_("Which skin disease"), SKIN_DISEASE)
    pilonidal = yes_no(_("Treated for a pilonidal sinus"))
    rheumatic = yes_no(_("Rheumatic joint disease"))
    rheumatic_type = coded(_("Which rheumatic disease"), RHEUMATIC)
    bowel_disease = yes_no(_("Gastrointestinal disease, now or before"))
    bowel_disease_type = coded(_("Which gastrointestinal disease"), BOWEL)
    diabetes = yes_no(_("Diabetes, now or before"))
    diabetes_type = coded(_("Which type of diabetes"), DIABETES)
    hypertension = yes_no(_("High blood pressure needing treatment"))
    cardiovascular = yes_no(_("Heart or vascular disease, now or before"))
    cardio_angina = models.BooleanField(_("Angina"), default=False)
    cardio_infarction = models.BooleanField(_("Myocardial infarction"), default=False)
    cardio_failure = models.BooleanField(_("Heart failure"), default=False)
    cardio_arrhythmia = models.BooleanField(
        _("Atrial fibrillation or other arrhythmia"), default=False
    )
    cardio_other = models.BooleanField(_("Other heart or vascular disease"), default=False)
    other_disease = yes_no(_("Other serious disease"))
    other_disease_text = models.CharField(_("Which disease"), max_length=200, blank=True)

    KLOKEBOK = {
        "date": ("registration", "REGISTRATION_DATE"),
        "height_cm": ("registration", "HIGHT"),
        "age_first_boil": ("registration", "AGE_ABSCESS"),
        "age_first_gp": ("registration", "AGE_DOCTOR"),
        "age_diagnosis": ("registration", "AGE_SPECIALIST"),
        "months_gp_to_specialist": ("registration", "TIME_SPECIALIST"),
        "prior_surgery": ("registration", "SURGERY"),
        "prior_medication": ("registration", "MEDICATION_HISTORY_HS"),
        "medication_antibiotic": ("registration", "MEDICATION_HISTORY_ANTIBIOTIC"),
        "medication_isotretinoin": ("registration", "MEDICATION_HISTORY_ISOTETRINOIN"),
        "medication_acitretin": ("registration", "MEDICATION_HISTORY_ACITRETIN"),
        "medication_metformin": ("registration", "MEDICATION_HISTORY_METFORMIN"),
        "medication_antiinflammatory": ("registration", "MEDICATION_HISTORY_ANTIINFLAMMATORY"),
        "medication_biologic": ("registration", "MEDICATION_HISTORY_BIO_TREATMENT"),
        "medication_hormonal": ("registration", "MEDICATION_HISTORY_THE_PILL"),
        "medication_psychiatric": ("registration", "MEDICATION_HISTORY_ANTIDEPRESSANTS"),
        "family_history": ("registration", "FAMILY_ILLNES"),
        "acne": ("registration", "ACNE"),
        "skin_disease": ("registration", "SKINDISEASES"),
        "skin_disease_type": ("registration", "SKINDISEASES_TYPE"),
        "pilonidal": ("registration", "PILONIDAL"),
        "rheumatic": ("registration", "RHEUMATIC_DISORDER"),
        "rheumatic_type": ("registration", "RHEUMATIC_DISORDER_TYPE"),
        "bowel_disease": ("registration", "GASTROINTESTINAL_DISEASES"),
        "bowel_disease_type": ("registration", "GASTROINTESTINAL_DISEASES_TYPE"),
        "diabetes": ("registration", "DIABETES"),
        "diabetes_type": ("registration", "DIABETES_TYPE"),
        "hypertension": ("registration", "HIGH_BLOOD_PRESSURE"),
        "cardiovascular": ("registration", "CARDIOVASCULAR"),
        "other_disease": ("registration", "OTHER_DISEASE"),
    }

    class Meta(Record.Meta):
        verbose_name = _("medical history")
        constraints = [
            # once per patient (records.kinds marks it single): one chain of versions, whose
            # first neither corrects another nor has a reason for a correction; corrections
            # are later versions of that chain (the reason keeps them apart even when an
            # objection clears their ``replaces`` on the way to deleting the patient)
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(replaces__isnull=True, correction_reason=""),
                name="one_medical_history_per_patient",
            )
        ]


class PatientReport(Record):
    """Status helsetilstand - pasient / Pasient 3 mnd / Pasient 6 mnd: what the patient reports,
    DLQI in HISREG's codes (1 = very much ... 4 = not at all, 5 = not relevant; scored by
    MO-1a in assessments.scoring) and, at a control, satisfaction and complications."""

    TITLE = _("Patient's report")
    occasion = models.CharField(
        _("occasion"), max_length=3, choices=Occasion.choices, default=Occasion.PRE
    )
    intervention = models.ForeignKey(
        "treatments.Intervention",
        verbose_name=_("intervention followed up"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="patient_controls",
    )
    smoking = coded(_("Smoking"), SMOKING)
    work = coded(_("Work status"), WORK)
    boils_last_4_weeks = number(_("Painful boils in the last 4 weeks"), 0, 99)
    worst_boil_pain = scale(_("Pain of the worst boil (0-10)"))
    vas_total = scale(_("Pain overall (0-10)"))
    vas_axilla_right = scale(_("Pain in the right armpit (0-10)"))
    vas_axilla_left = scale(_("Pain in the left armpit (0-10)"))
    vas_groin_right = scale(_("Pain in the right groin (0-10)"))
    vas_groin_left = scale(_("Pain in the left groin (0-10)"))
    vas_other = scale(_("Pain in other places (0-10)"))
    # HISREG's "Ukjent" boxes: the question was asked and the answer is not known
    worst_boil_pain_unknown = models.BooleanField(default=False)
    vas_total_unknown = models.BooleanField(default=False)
    vas_axilla_right_unknown = models.BooleanField(default=False)
    vas_axilla_left_unknown = models.BooleanField(default=False)
    vas_groin_right_unknown = models.BooleanField(default=False)
    vas_groin_left_unknown = models.BooleanField(default=False)
    vas_other_unknown = models.BooleanField(default=False)
    dlqi_1 = coded(_("1. Itchy, sore, painful or stinging skin"), DLQI_ANSWER)
    dlqi_2 = coded(_("2. Embarrassed or self-conscious because of your skin"), DLQI_ANSWER)
    dlqi_3 = coded(
        _("3. Skin interfered with shopping, home or garden"), DLQI_ANSWER_OR_NOT_RELEVANT
    )
    dlqi_4 = coded(_("4. Skin influenced the clothes you wore"), DLQI_ANSWER_OR_NOT_RELEVANT)
    dlqi_5 = coded(_("5. Skin affected social or leisure activities"), DLQI_ANSWER_OR_NOT_RELEVANT)
    dlqi_6 = coded(_("6. Skin made it difficult to do any sport"), DLQI_ANSWER_OR_NOT_RELEVANT)
    dlqi_7 = coded(_("7. Skin prevented you from working or studying"), DLQI_Q7)
    dlqi_7_problems = coded(
        _("If no: how much has your skin been a problem at work or studying"), DLQI_Q7_PROBLEMS
    )
    dlqi_8 = coded(
        _("8. Skin created problems with your partner, close friends or relatives"),
        DLQI_ANSWER_OR_NOT_RELEVANT,
    )
    dlqi_9 = coded(_("9. Skin caused sexual difficulties"), DLQI_ANSWER_OR_NOT_RELEVANT)
    dlqi_10 = coded(
        _("10. Treatment for your skin has been a problem"), DLQI_ANSWER_OR_NOT_RELEVANT
    )
    dlqi_total = models.PositiveSmallIntegerField(_("DLQI total"), null=True, blank=True)
    dlqi_instrument = models.CharField(
        _("quality-of-life instrument"), max_length=5, choices=INSTRUMENT, default="dlqi"
    )
    cdlqi_7_period = coded(_("7. Last week was"), CDLQI_7_PERIOD)
    cdlqi_7 = coded(_("7. How much did your skin affect school work or the holiday"), CDLQI_7)
    #: who answered: a report the patient sent (questionnaires) is finished as it arrives and
    #: says so, with the channel and time; the unit changes it only by a correction
    reported_by = models.CharField(
        _("reported by"), max_length=8, choices=REPORTED_BY, default="clinic"
    )
    reported_channel = models.CharField(_("channel"), max_length=8, blank=True)
    reported_at = models.DateTimeField(_("sent by the patient"), null=True, blank=True)
    satisfaction = coded(_("Satisfaction with the treatment given"), SATISFACTION)
    would_repeat = yes_no(_("Would accept the same treatment again"))
    would_recommend = yes_no(_("Would recommend the treatment to family or a close friend"))
    still_on_treatment = yes_no(_("Still using the treatment started"))
    dose_change = coded(_("Dose"), DOSE)
    stop_reason = coded(_("Why the treatment was stopped"), STOPPED)
    stop_adverse_effect = coded(_("Which adverse effect"), ADVERSE)
    wound_infection = yes_no(_("Wound infection needing treatment"))
    delayed_healing = yes_no(_("Delayed wound healing"))
    scar_problems = yes_no(_("Painful or disabling scars (strictures)"))
    nerve_damage = yes_no(_("Numbness, tingling or pain at touch near the scar"))
    sepsis = yes_no(_("Sepsis treated with antibiotics"))
    bleeding = yes_no(_("Bleeding after the operation needing treatment"))
    other_complications = yes_no(_("Other complications or adverse effects"))
    other_complications_text = models.CharField(
        _("Which other complications"), max_length=100, blank=True
    )
    control_possible, impossible_reason = control_fields()

    KLOKEBOK = {
        "date": ("preintervention", "PREINTERVENTION_DATE"),
        "smoking": ("preintervention", "SMOKING"),
        "work": ("preintervention", "WORK"),
        "boils_last_4_weeks": ("preintervention", "ABSCESS"),
        "worst_boil_pain": ("preintervention", "ABSCESS_PAIN"),
        "vas_total": ("preintervention", "VASSCORE"),
        "vas_axilla_right": ("preintervention", "VASSCORE_RIGHTARM"),
        "vas_axilla_left": ("preintervention", "VASSCORE_LEFTARM"),
        "vas_groin_right": ("preintervention", "VASSCORE_RIGHTGROIN"),
        "vas_groin_left": ("preintervention", "VASSCORE_LEFTGROIN"),
        "vas_other": ("preintervention", "VASSCORE_OTHER"),
        "dlqi_1": ("preintervention", "SORNESS"),
        "dlqi_2": ("preintervention", "EMBARRESSED"),
        "dlqi_3": ("preintervention", "PREVENT_DAILY_WORK"),
        "dlqi_4": ("preintervention", "CLOTHING_OPTION"),
        "dlqi_5": ("preintervention", "SOCIAL_LIFE"),
        "dlqi_6": ("preintervention", "ATHLETIC_ACTIVITY"),
        "dlqi_7": ("preintervention", "PREVENT_WORK"),
        "dlqi_7_problems": ("preintervention", "WORK_PROBLEMS"),
        "dlqi_8": ("preintervention", "PARTNER_PROBLEMS"),
        "dlqi_9": ("preintervention", "SEXUAL_PROBLEMS"),
        "dlqi_10": ("preintervention", "PROBLEMS_LAST_WEEK"),
        "satisfaction": ("patientcontrol", "SATISFACTION"),
        "would_repeat": ("patientcontrol", "RETREATMENT"),
        "would_recommend": ("patientcontrol", "RECOMMENDATION"),
        "still_on_treatment": ("patientcontrol", "TREATMENT"),
        "dose_change": ("patientcontrol", "TREATMENT_DOSE"),
        "stop_reason": ("patientcontrol", "SEPONERT"),
        "stop_adverse_effect": ("patientcontrol", "SEPONERT_BIVIRKNING"),
        "wound_infection": ("patientcontrol", "INFECTION"),
        "delayed_healing": ("patientcontrol", "DELAYED_WOUND_HEALING"),
        "scar_problems": ("patientcontrol", "STRIKTURER"),
        "nerve_damage": ("patientcontrol", "NERVEDAMAGE"),
        "sepsis": ("patientcontrol", "BLOODPOISEN"),
        "bleeding": ("patientcontrol", "BLEEDING"),
        "other_complications": ("patientcontrol", "OTHER_COMPLICATIONS_ID"),
    }
    #: HISREG codes the form does not offer, each with the code it is read as (DLQI_Q7_PROBLEMS)
    KLOKEBOK_CODES_READ_AS: ClassVar[dict[str, dict[int, int]]] = {"dlqi_7_problems": {1: 2}}

    class Meta(Record.Meta):
        verbose_name = _("patient's report")
        indexes = [models.Index(fields=["patient", "status", "date"])]


class DoctorAssessment(Record):
    """Status helsetilstand legeopplysninger / Lege 3 mnd / Lege 6 mnd: the doctor's
    examination, with lesion counts per body region (RegionFinding). Totals and the worst
    Hurley stage are derived from the regions when regions are given."""

    TITLE = _("Doctor's assessment")
    occasion = models.CharField(
        _("occasion"), max_length=3, choices=Occasion.choices, default=Occasion.PRE
    )
    intervention = models.ForeignKey(
        "treatments.Intervention",
        verbose_name=_("intervention followed up"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="doctor_controls",
    )
    weight_kg = number(_("Measured weight (kg)"), 30, 300)
    hurley = coded(_("Hurley stage"), HURLEY)
    nodules = number(_("Inflammatory nodules"), 0, 50)
    abscesses = number(_("Abscesses"), 0, 20)
    draining_tunnels = number(_("Draining tunnels (sinuses, fistulae)"), 0, 20)
    inflammatory_activity = models.CharField(
        _("Inflammatory activity, worst region"),
        max_length=8,
        choices=ACTIVITY,
        blank=True,
    )
    typical_lesions = models.BooleanField(
        _("Typical lesions (deep painful nodules, abscesses, tunnels, scars)"),
        null=True,
        blank=True,
    )
    typical_location = models.BooleanField(
        _("Typical location (axilla, groin, perianal, buttocks)"), null=True, blank=True
    )
    chronic_relapsing = models.BooleanField(
        _("Chronic, relapsing course (at least 2 lesions in 6 months)"), null=True, blank=True
    )
    # computed on save by the guideline engine (assessments.scoring)
    ihs4 = models.PositiveSmallIntegerField(_("IHS4"), null=True, blank=True)
    ihs4_category = models.CharField(_("IHS4 category"), max_length=8, blank=True)
    an_count = models.PositiveSmallIntegerField(_("AN count"), null=True, blank=True)
    sartorius = models.PositiveSmallIntegerField(_("Modified Sartorius"), null=True, blank=True)
    bmi = models.DecimalField(_("BMI"), max_digits=4, decimal_places=1, null=True, blank=True)
    control_possible, impossible_reason = control_fields()
    # at a control, as the form saw them when saved (assessments.baseline): the counts of the
    # episode's baseline assessment (HISREG's IHS4_*_LAST) and HiSCR against it (MO-2)
    nodules_last = models.PositiveSmallIntegerField(
        _("Inflammatory nodules at baseline"), null=True, blank=True
    )
    abscesses_last = models.PositiveSmallIntegerField(
        _("Abscesses at baseline"), null=True, blank=True
    )
    draining_tunnels_last = models.PositiveSmallIntegerField(
        _("Draining tunnels at baseline"), null=True, blank=True
    )
    hiscr = models.DecimalField(
        _("AN count reduction from baseline (%)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
    )
    hiscr_category = models.CharField(
        _("HiSCR"), max_length=16, choices=HISCR_CATEGORIES, blank=True
    )

    KLOKEBOK = {
        "date": ("preinterventiondoctor", "PREINTERVENTIONDOCTOR_DATE"),
        "weight_kg": ("preinterventiondoctor", "WEIGHT"),
        "hurley": ("preinterventiondoctor", "HURLEY_SCORE"),
        "nodules": ("preinterventiondoctor", "IHS4_NODULI"),
        "abscesses": ("preinterventiondoctor", "IHS4_BOILS"),
        "draining_tunnels": ("preinterventiondoctor", "IHS4_SINUS"),
    }

    class Meta(Record.Meta):
        verbose_name = _("doctor's assessment")
        indexes = [models.Index(fields=["patient", "status", "date"])]


class RegionFinding(models.Model):
    """Counts and stage of one body region in a doctor's assessment (ST-1, ST-3, XS-3)."""

    assessment = models.ForeignKey(
        DoctorAssessment, on_delete=models.CASCADE, related_name="regions"
    )
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    nodules = models.PositiveSmallIntegerField(
        _("nodules"), validators=[MaxValueValidator(50)], default=0
    )
    abscesses = models.PositiveSmallIntegerField(
        _("abscesses"), validators=[MaxValueValidator(20)], default=0
    )
    draining_tunnels = models.PositiveSmallIntegerField(
        _("draining tunnels"), validators=[MaxValueValidator(20)], default=0
    )
    hurley = models.PositiveSmallIntegerField(_("Hurley"), choices=HURLEY, null=True, blank=True)
    longest_distance_cm = models.DecimalField(
        _("longest distance (cm)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(200)],
    )
    separated_by_normal_skin = models.BooleanField(
        _("separated by normal skin"), null=True, blank=True
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "region"], name="one_finding_per_region")
        ]
