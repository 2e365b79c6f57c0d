"""Treatment forms: the intervention (HISREG's Intervensjon), drug courses from the guideline's
catalog, screening before a biologic (SC-1, SC-2), vaccinations (VA), monitoring blood tests
(LM-1) and adverse events."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hsreg.guideline.case import SCREENING_TESTS
from hsreg.guideline.catalog import DRUGS
from hsreg.records.models import Record, YesNoUnknown, coded, yes_no


class InterventionType(models.IntegerChoices):
    """HISREG's TYPE_INTERVENTION codes."""

    SURGICAL = 1, _("Surgical")
    MEDICAL = 2, _("Medical")
    BOTH = 3, _("Surgical and medical")
    NONE_BY_DOCTOR = 4, _("None, decided by the doctor")
    NONE_BY_PATIENT = 5, _("None, decided by the patient")
    DID_NOT_ATTEND = 6, _("Did not attend")


SURGICAL_TYPES = {InterventionType.SURGICAL, InterventionType.BOTH}
MEDICAL_TYPES = {InterventionType.MEDICAL, InterventionType.BOTH}
OPERATION_TIME = [
    (1, "<10 min"),
    (2, "10-20 min"),
    (3, "20-30 min"),
    (4, ">30 min"),
    (9, _("Don't know")),
]
OPERATION_DIAMETER = [
    (1, "<5 cm"),
    (2, "5-10 cm"),
    (3, "10-15 cm"),
    (4, ">15 cm"),
    (9, _("Don't know")),
]


#: BASED_MEDICAL_TREATMENT has no "don't know" in the dictionary
LOCAL_GIVEN = [
    (int(YesNoUnknown.NO), YesNoUnknown.NO.label),
    (int(YesNoUnknown.YES), YesNoUnknown.YES.label),
]


class SurgerySite(models.TextChoices):
    """HISREG's surgical sites with their sides."""

    AXILLA_RIGHT = "axilla_right", _("Axilla, right")
    AXILLA_LEFT = "axilla_left", _("Axilla, left")
    GROIN_RIGHT = "groin_right", _("Groin, right")
    GROIN_LEFT = "groin_left", _("Groin, left")
    PUBIS_RIGHT = "pubis_right", _("Pubis, right")
    PUBIS_LEFT = "pubis_left", _("Pubis, left")
    PUBIS_CENTRAL = "pubis_central", _("Pubis, central")
    GENITAL_RIGHT = "genital_right", _("Genital, right")
    GENITAL_LEFT = "genital_left", _("Genital, left")
    PERIANAL_RIGHT = "perianal_right", _("Perianal, right")
    PERIANAL_LEFT = "perianal_left", _("Perianal, left")
    GLUTEAL_RIGHT = "gluteal_right", _("Gluteal, right")
    GLUTEAL_LEFT = "gluteal_left", _("Gluteal, left")
    GLUTEAL_CENTRAL = "gluteal_central", _("Gluteal, central")
    MAMMAE_RIGHT = "mammae_right", _("Breast, right")
    MAMMAE_LEFT = "mammae_left", _("Breast, left")
    THIGH = "thigh", _("Thigh")
    ABDOMEN = "abdomen", _("Abdomen")
    BACK = "back", _("Back")
    NECK = "neck", _("Neck")
    OTHER = "other", _("Other site")


class Intervention(Record):
    """Intervensjon: what was decided and done. Drug courses started are DrugCourse forms
    linked to it; the follow-up is due 3 months after a medical and 6 months after a surgical
    or combined intervention (guideline.followup)."""

    TITLE = _("Intervention")
    #: the kinds of surgery, a box each (HISREG's intervention form)
    SURGERY_KINDS = (
        "surgery_excision_suture",
        "surgery_excision_granulation",
        "surgery_excision_graft",
        "surgery_laser",
        "surgery_deroofing",
        "surgery_other",
    )
    type = models.PositiveSmallIntegerField(
        _("Type of intervention"), choices=InterventionType.choices, null=True, blank=True
    )
    no_treatment_reason = models.CharField(_("Why no intervention"), max_length=300, blank=True)
    surgery_excision_suture = models.BooleanField(_("Excision closed with sutures"), default=False)
    surgery_excision_granulation = models.BooleanField(
        _("Excision with secondary healing"), default=False
    )
    surgery_excision_graft = models.BooleanField(_("Excision with skin graft"), default=False)
    surgery_laser = models.BooleanField(_("CO₂ laser"), default=False)
    surgery_deroofing = models.BooleanField(_("Deroofing"), default=False)
    surgery_other = models.BooleanField(_("Other surgery"), default=False)
    anaesthesia_local = models.BooleanField(_("Local anaesthesia"), default=False)
    anaesthesia_general = models.BooleanField(_("General anaesthesia"), default=False)
    operation_time = coded(_("Operation time"), OPERATION_TIME)
    operation_diameter = coded(_("Largest diameter of the operation field"), OPERATION_DIAMETER)
    bleeding_diathermy = yes_no(_("Bleeding stopped by diathermy"))
    bleeding_ligation = yes_no(_("Bleeding stopped by ligation"))
    surgery_sites = models.JSONField(_("Sites operated"), default=list, blank=True)
    analgesic_nsaid = models.BooleanField(_("NSAID"), default=False)
    analgesic_paracetamol = models.BooleanField(_("Paracetamol"), default=False)
    analgesic_opioid = models.BooleanField(_("Opioids"), default=False)
    local_triamcinolone = models.BooleanField(
        _("Intralesional triamcinolone 10 mg/ml"), default=False
    )
    local_clindamycin = models.BooleanField(_("Topical clindamycin"), default=False)
    local_resorcinol = models.BooleanField(_("Resorcinol 15 %"), default=False)
    local_azelaic_acid = models.BooleanField(_("Azelaic acid"), default=False)
    # HISREG's parent questions (0 no, 1 yes, 9 don't know; null: not answered). A ticked site,
    # or a drug course of the group, is a yes (hisreg.sources_intervention writes them).
    site_axilla = yes_no(_("Axilla"))
    site_groin = yes_no(_("Groin"))
    site_pubis = yes_no(_("Pubis"))
    site_genital = yes_no(_("Genital"))
    site_perianal = yes_no(_("Perianal"))
    site_gluteal = yes_no(_("Gluteal"))
    site_mammae = yes_no(_("Breast"))
    site_other = yes_no(_("Other site"))
    biologic_given = yes_no(_("Biologic treatment"))
    antibiotic_given = yes_no(_("Systemic antibiotic treatment"))
    antiinflammatory_given = yes_no(_("Anti-inflammatory treatment"))
    analgesic_given = yes_no(_("Analgesics"))
    local_given = coded(_("Local medical treatment"), LOCAL_GIVEN)
    # a drug the catalog (guideline.catalog) lacks, as HISREG's "other" box and its text
    biologic_other = models.BooleanField(_("Other biologic"), default=False)
    biologic_other_text = models.CharField(_("Which other biologic"), max_length=30, blank=True)
    antibiotic_other = models.BooleanField(_("Other systemic antibiotic"), default=False)
    antibiotic_other_text = models.CharField(
        _("Which other systemic antibiotic"), max_length=30, blank=True
    )
    antiinflammatory_other = models.BooleanField(_("Other anti-inflammatory drug"), default=False)
    antiinflammatory_other_text = models.CharField(
        _("Which other anti-inflammatory drug"), max_length=30, blank=True
    )
    analgesic_other = models.BooleanField(_("Other analgesic"), default=False)
    analgesic_other_text = models.CharField(_("Which other analgesic"), max_length=30, blank=True)

    KLOKEBOK = {
        "date": ("intervention", "INTERVENTION_DATE"),
        "type": ("intervention", "TYPE_INTERVENTION"),
        "operation_time": ("intervention", "OPERATION_TIME"),
        "operation_diameter": ("intervention", "OPERATION_DIAMETER_FIELD"),
        "bleeding_diathermy": ("intervention", "INTRAOPERATIVE_BLEEDING_DIATERMI"),
        "bleeding_ligation": ("intervention", "INTRAOPERATIVE_BLEEDING_LIGERING"),
    }

    class Meta(Record.Meta):
        verbose_name = _("intervention")
        indexes = [models.Index(fields=["status", "date"])]

    @property
    def is_surgical(self) -> bool:
        return self.type in SURGICAL_TYPES


class StopReason(models.TextChoices):
    """Why a course ended; the ids of the guideline's case document."""

    INADEQUATE_EFFECT = "inadequate_effect", _("Inadequate effect")
    ADVERSE_EFFECT = "adverse_effect", _("Adverse effect")
    BOTH = "inadequate_effect_and_adverse_effect", _("Inadequate effect and adverse effect")
    REMISSION = "remission", _("Remission")
    SURGERY = "surgery", _("Surgery")
    PATIENT_WISH = "patient_wish", _("Patient's wish")
    OTHER = "other", _("Other")


class Regimen(models.TextChoices):
    """Adult adalimumab maintenance (TX-7)."""

    WEEKLY_40 = "weekly_40", _("40 mg every week")
    BIWEEKLY_80 = "biweekly_80", _("80 mg every other week")


DRUG_CHOICES = [(d.id, d.name.en) for d in DRUGS.values()]


class DrugCourse(Record):
    """One course of a drug from the guideline's catalog. ``date`` is the start; a start after
    today is a planned course. Ending a course is a correction that keeps the earlier version."""

    TITLE = _("Drug course")
    intervention = models.ForeignKey(
        Intervention,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drug_courses",
        verbose_name=_("intervention"),
    )
    drug = models.CharField(_("drug"), max_length=40, choices=DRUG_CHOICES)
    dose = models.CharField(_("dose"), max_length=100, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    stop_reason = models.CharField(
        _("stop reason"), max_length=40, choices=StopReason.choices, blank=True
    )
    regimen = models.CharField(
        _("adalimumab maintenance"), max_length=12, choices=Regimen.choices, blank=True
    )
    # The clinical-safety guard (treatments.guards): a biologic course saved although TX-6 is
    # not met, screening (SC-1/SC-2) is incomplete or warns, or a vaccine is due (VA) keeps
    # what was overridden, as the guard listed it at that moment, and the clinician's reason.
    overridden = models.JSONField(_("overridden safety checks"), default=list, blank=True)
    override_reason = models.CharField(_("reason for the override"), max_length=500, blank=True)

    class Meta(Record.Meta):
        verbose_name = _("drug course")
        indexes = [
            models.Index(fields=["status", "drug", "end"]),
            models.Index(fields=["patient", "status"]),
        ]


TEST_LABELS = {
    "hemoglobin": _("Haemoglobin"),
    "leukocytes_differential": _("White cells with differential"),
    "platelets": _("Platelets"),
    "alt": _("ALT"),
    "alp": _("ALP"),
    "ggt": _("GGT"),
    "creatinine": _("Creatinine"),
    "crp": _("CRP"),
    "hiv": _("HIV"),
    "hepatitis_b": _("Hepatitis B"),
    "hepatitis_c": _("Hepatitis C"),
    "igra": _("IGRA (tuberculosis)"),
    "urine_dipstick": _("Urine dipstick"),
    "chest_xray": _("Chest X-ray"),
}
assert tuple(TEST_LABELS) == SCREENING_TESTS  # noqa: S101 - the engine's list, in its order


NEGATIVE_POSITIVE = [("negative", _("Negative")), ("positive", _("Positive"))]
NORMAL_ABNORMAL = [("normal", _("Normal")), ("abnormal", _("Abnormal"))]


class Screening(Record):
    """The checklist before a biologic: SC-1 tests done and SC-2 history."""

    TITLE = _("Screening before a biologic")
    test_hemoglobin = models.BooleanField(TEST_LABELS["hemoglobin"], default=False)
    test_leukocytes_differential = models.BooleanField(
        TEST_LABELS["leukocytes_differential"], default=False
    )
    test_platelets = models.BooleanField(TEST_LABELS["platelets"], default=False)
    test_alt = models.BooleanField(TEST_LABELS["alt"], default=False)
    test_alp = models.BooleanField(TEST_LABELS["alp"], default=False)
    test_ggt = models.BooleanField(TEST_LABELS["ggt"], default=False)
    test_creatinine = models.BooleanField(TEST_LABELS["creatinine"], default=False)
    test_crp = models.BooleanField(TEST_LABELS["crp"], default=False)
    test_hiv = models.BooleanField(TEST_LABELS["hiv"], default=False)
    test_hepatitis_b = models.BooleanField(TEST_LABELS["hepatitis_b"], default=False)
    test_hepatitis_c = models.BooleanField(TEST_LABELS["hepatitis_c"], default=False)
    test_igra = models.BooleanField(TEST_LABELS["igra"], default=False)
    test_urine_dipstick = models.BooleanField(TEST_LABELS["urine_dipstick"], default=False)
    test_chest_xray = models.BooleanField(TEST_LABELS["chest_xray"], default=False)
    igra = models.CharField(
        _("IGRA result"),
        max_length=8,
        choices=NEGATIVE_POSITIVE,
        blank=True,
    )
    chest_xray = models.CharField(
        _("Chest X-ray result"),
        max_length=8,
        choices=NORMAL_ABNORMAL,
        blank=True,
    )
    # SC-1 Reading (results): serology positive/negative, the other tests normal/abnormal
    hiv = models.CharField(_("HIV result"), max_length=8, choices=NEGATIVE_POSITIVE, blank=True)
    hepatitis_b = models.CharField(
        _("Hepatitis B result"), max_length=8, choices=NEGATIVE_POSITIVE, blank=True
    )
    hepatitis_c = models.CharField(
        _("Hepatitis C result"), max_length=8, choices=NEGATIVE_POSITIVE, blank=True
    )
    blood_tests = models.CharField(
        _("Blood tests result"), max_length=8, choices=NORMAL_ABNORMAL, blank=True
    )
    urine_dipstick = models.CharField(
        _("Urine dipstick result"), max_length=8, choices=NORMAL_ABNORMAL, blank=True
    )
    cancer_within_5_years = models.BooleanField(_("Cancer in the last 5 years"), null=True)
    heart_failure_nyha = models.PositiveSmallIntegerField(
        _("Heart failure, NYHA class (0 = none)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(4)],
    )
    demyelinating_disease = models.BooleanField(_("Demyelinating disease"), null=True)
    pregnant_or_planning = models.BooleanField(_("Pregnant or planning pregnancy"), null=True)
    tb_symptoms = models.BooleanField(_("Symptoms of tuberculosis"), null=True)
    tb_exposure = models.BooleanField(_("Exposed to tuberculosis"), null=True)
    tb_treated_before = models.BooleanField(_("Treated for tuberculosis before"), null=True)
    tb_referral_cleared = models.BooleanField(_("Cleared by a tuberculosis specialist"), null=True)

    class Meta(Record.Meta):
        verbose_name = _("screening")

    def tests_done(self) -> list[str]:
        return [t for t in SCREENING_TESTS if getattr(self, f"test_{t}")]


class Vaccine(models.TextChoices):
    """Vaccines the guideline's VA rules talk about, and the live ones to time (VA-2)."""

    INFLUENZA = "influenza", _("Influenza")
    PNEUMOCOCCAL = "pneumococcal", _("Pneumococcal")
    DTAP_IPV = "dtap_ipv", _("Diphtheria, tetanus, pertussis, polio (booster)")
    COVID19 = "covid19", _("COVID-19")
    HEPATITIS_B = "hepatitis_b", _("Hepatitis B")
    ZOSTER_RECOMBINANT = "zoster_recombinant", _("Herpes zoster (recombinant)")
    MMR = "mmr", _("Measles, mumps, rubella (live)")
    VARICELLA = "varicella", _("Varicella (live)")
    YELLOW_FEVER = "yellow_fever", _("Yellow fever (live)")
    OTHER = "other", _("Other")


LIVE_VACCINES = {Vaccine.MMR, Vaccine.VARICELLA, Vaccine.YELLOW_FEVER}


class Vaccination(Record):
    TITLE = _("Vaccination")
    vaccine = models.CharField(_("vaccine"), max_length=24, choices=Vaccine.choices)
    live = models.BooleanField(_("live vaccine"), null=True, blank=True)

    class Meta(Record.Meta):
        verbose_name = _("vaccination")


class LabCheck(Record):
    """Monitoring blood tests taken during a biologic (LM-1)."""

    TITLE = _("Lab check")
    abnormal = models.BooleanField(_("Any result outside the reference range"), null=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta(Record.Meta):
        verbose_name = _("lab check")
        indexes = [models.Index(fields=["patient", "status", "date"])]


class Seriousness(models.TextChoices):
    MILD = "mild", _("Mild")
    MODERATE = "moderate", _("Moderate")
    SERIOUS = "serious", _("Serious")


class AdverseAction(models.TextChoices):
    NONE = "none", _("No change")
    PAUSED = "paused", _("Treatment paused")
    REDUCED = "reduced", _("Dose reduced")
    STOPPED = "stopped", _("Treatment stopped")


class AdverseEvent(Record):
    TITLE = _("Adverse event")
    drug_course = models.ForeignKey(
        DrugCourse,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adverse_events",
        verbose_name=_("drug course"),
    )
    description = models.CharField(_("what happened"), max_length=300)
    seriousness = models.CharField(_("seriousness"), max_length=10, choices=Seriousness.choices)
    action_taken = models.CharField(
        _("action"), max_length=10, choices=AdverseAction.choices, blank=True
    )
    reported_to_dmp = models.BooleanField(
        _("Reported to the Norwegian Medical Products Agency"), default=False
    )

    class Meta(Record.Meta):
        verbose_name = _("adverse event")


class FundingStatusChoice(models.TextChoices):
    """XB-5: the funding statuses of the guideline's catalog (guideline.catalog.FundingStatus)."""

    APPROVED = "approved", _("Approved for HS in the specialist health service")
    NOT_APPROVED = "not_approved", _("Not approved for HS (Nye metoder)")
    UNDER_REVIEW = "under_review", _("Under review by Nye metoder")


BIOLOGIC_CHOICES = [(d.id, d.name.en) for d in DRUGS.values() if d.biologic]


class FundingDecision(models.Model):
    """XB-5 (beyond the NFDV guideline (2019); Nye metoder): the registry coordinator's record
    of a biologic's funding status, which overrides the catalog's DEFAULT_FUNDING for that drug.
    One row per drug, changed in place; every change leaves an audit row
    (treatments.funding.set_funding)."""

    drug = models.CharField(_("drug"), max_length=40, choices=BIOLOGIC_CHOICES, unique=True)
    status = models.CharField(_("funding status"), max_length=16, choices=FundingStatusChoice)
    decided_on = models.DateField(_("decision date (Nye metoder)"))
    note = models.CharField(_("source"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("funding decision")
        ordering = ["drug"]

    def __str__(self) -> str:
        return f"{self.drug}: {self.status}"
