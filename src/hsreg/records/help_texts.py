"""The help text shown under a registry question, in the reader's language (issue 12).

HISREG's data dictionary (records/data, the klokebok) gives each question a help text, in
Norwegian only, with typos ("Eksmpel", "heltal", "pilinoidal", "medsinsk", "Methorexate"),
addressing the patient now as "du", now as "pasienten", and with instructions about typing
into HISREG's own fields ("Max antall siffer er tre"). The vendored file stays as published;
what the forms show is written here, in English through gettext, with the corrected Norwegian
in the catalog. Staff forms speak of "the patient" ("pasienten"); only the questionnaires the
patient answers themselves (DLQI, satisfaction; MO-1a) keep their validated wording, which
addresses the patient as "du". ``None``: the klokebok's text says nothing the question does not
("Velg type?", "Pasientens egne vurderinger"), so no help text is shown.

A test checks that every question of the forms with a klokebok help text is here."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_VAS = _("From 0 (least discomfort) to 10 (most discomfort).")

HELP_TEXTS: dict[tuple[str, str], Promise | None] = {
    ("registration", "HIGHT"): _(
        "The patient's height in whole centimetres. Example: a patient 1.87 m tall: 187."
    ),
    ("registration", "AGE_ABSCESS"): _(
        "The patient's age, in whole years, at the first boil in the groins or armpits. Example: 18."
    ),
    ("registration", "AGE_DOCTOR"): _(
        "The patient's age, in whole years, at the first visit to a doctor for the boils. Example: 18."
    ),
    ("registration", "AGE_SPECIALIST"): _(
        "The patient's age, in whole years, when a dermatologist diagnosed HS. Example: 18."
    ),
    ("registration", "TIME_SPECIALIST"): _(
        "Months, as a whole number, from the patient's first visit to their general practitioner for this to the referral to a specialist. Example: 1 year and 2 months: 14."
    ),
    ("registration", "SURGERY"): _(
        "Has the patient had laser or knife surgery for hidradenitis suppurativa before inclusion?"
    ),
    ("registration", "MEDICATION_HISTORY_HS"): _(
        "Does the patient use, or has the patient used, any of the following medicines for hidradenitis suppurativa?"
    ),
    ("registration", "MEDICATION_HISTORY_ANTIBIOTIC"): _("Antibiotics as tablets or injections?"),
    ("registration", "MEDICATION_HISTORY_ISOTETRINOIN"): _("Isotretinoin capsules?"),
    ("registration", "MEDICATION_HISTORY_ACITRETIN"): _("Acitretin capsules?"),
    ("registration", "MEDICATION_HISTORY_METFORMIN"): _("Metformin?"),
    ("registration", "MEDICATION_HISTORY_ANTIINFLAMMATORY"): _(
        "Other anti-inflammatory tablets, such as dapsone, ciclosporin (Sandimmun), azathioprine (Imurel), methotrexate or prednisolone?"
    ),
    ("registration", "MEDICATION_HISTORY_BIO_TREATMENT"): _(
        "Biologic treatment such as infliximab (Remicade, Remsima) or adalimumab (Humira)?"
    ),
    ("registration", "MEDICATION_HISTORY_THE_PILL"): _(
        "Contraceptive pills or other hormonal treatment (mini-pills, implant, injection)?"
    ),
    ("registration", "MEDICATION_HISTORY_ANTIDEPRESSANTS"): _(
        "Antidepressants, lithium or antipsychotics?"
    ),
    ("registration", "FAMILY_ILLNES"): _(
        "Are there other blood relatives (father, mother, siblings, children) with HS?"
    ),
    ("registration", "ACNE"): _("Has the patient had severe acne?"),
    ("registration", "SKINDISEASES"): _(
        "Has the patient had another inflammatory skin disease for more than 3 months (for example psoriasis or eczema)?"
    ),
    ("registration", "SKINDISEASES_TYPE"): None,
    ("registration", "PILONIDAL"): _("Has the patient been treated for a pilonidal sinus (cyst)?"),
    ("registration", "RHEUMATIC_DISORDER"): _("Does the patient have a rheumatic joint disease?"),
    ("registration", "RHEUMATIC_DISORDER_TYPE"): None,
    ("registration", "GASTROINTESTINAL_DISEASES"): _(
        "Has the patient had a long-standing inflammatory bowel disease (Crohn's disease, ulcerative colitis, etc.)?"
    ),
    ("registration", "GASTROINTESTINAL_DISEASES_TYPE"): None,
    ("registration", "DIABETES"): _("Does the patient have, or has the patient had, diabetes?"),
    ("registration", "DIABETES_TYPE"): None,
    ("registration", "HIGH_BLOOD_PRESSURE"): _(
        "Has the patient been found to have high blood pressure?"
    ),
    ("registration", "CARDIOVASCULAR"): _(
        "Does the patient have, or has the patient had, heart or vascular disease?"
    ),
    ("registration", "OTHER_DISEASE"): _(
        "Does the patient have, or has the patient had, another serious disease?"
    ),
    ("preintervention", "SMOKING"): _("Has the patient smoked in the last 12 months?"),
    ("preintervention", "ABSCESS"): _(
        "How many painful boils the patient has had in the last 4 weeks. Example: 12."
    ),
    ("preintervention", "ABSCESS_PAIN"): _(
        "In the last 4 weeks, how painful was the boil that troubled the patient most, from 0 (no pain) to 10 (the worst pain)?"
    ),
    ("preintervention", "VASSCORE"): _VAS,
    ("preintervention", "VASSCORE_RIGHTARM"): _VAS,
    ("preintervention", "VASSCORE_LEFTARM"): _VAS,
    ("preintervention", "VASSCORE_RIGHTGROIN"): _VAS,
    ("preintervention", "VASSCORE_LEFTGROIN"): _VAS,
    ("preintervention", "VASSCORE_OTHER"): _VAS,
    ("preintervention", "SORNESS"): None,
    ("preintervention", "EMBARRESSED"): None,
    ("preintervention", "PREVENT_DAILY_WORK"): None,
    ("preintervention", "CLOTHING_OPTION"): None,
    ("preintervention", "SOCIAL_LIFE"): None,
    ("preintervention", "ATHLETIC_ACTIVITY"): None,
    ("preintervention", "PREVENT_WORK"): None,
    ("preintervention", "WORK_PROBLEMS"): None,
    ("preintervention", "PARTNER_PROBLEMS"): None,
    ("preintervention", "SEXUAL_PROBLEMS"): None,
    ("preintervention", "PROBLEMS_LAST_WEEK"): None,
    ("patientcontrol", "NERVEDAMAGE"): _(
        "Numbness, disability or other neurological symptoms caused by the surgical treatment."
    ),
    ("preinterventiondoctor", "WEIGHT"): _(
        "The patient's measured weight in whole kilograms, rounded. Example: 74.4 kg: 74; 74.5 kg: 75."
    ),
    ("preinterventiondoctor", "HURLEY_SCORE"): _(
        "Hurley stage I: one or more boils that heal without noticeable change of the skin. Stage II: recurrent abscesses with visible tracts and scarring; the skin between the lesions is not noticeably involved. Stage III: inflamed skin between active and inactive recurrent and persistent lesions, tracts and scars."
    ),
    ("preinterventiondoctor", "IHS4_NODULI"): _(
        "Only inflamed nodules are counted: lesions with erythema, tender on palpation, or granulomatous."
    ),
    ("preinterventiondoctor", "IHS4_BOILS"): _(
        "Abscesses: fluctuating lumps under the skin, with or without drainage, tender or painful on palpation."
    ),
    ("preinterventiondoctor", "IHS4_SINUS"): _(
        "Only active draining sinuses or fistulas are counted."
    ),
    ("intervention", "TYPE_INTERVENTION"): _(
        "The type of intervention the patient is to have in this course: surgical, medical, or both."
    ),
    ("intervention", "OPERATION_TIME"): _("How long the operation took."),
    ("intervention", "OPERATION_DIAMETER_FIELD"): _("The largest diameter of the operating field."),
}


def help_text(key: tuple[str, str]) -> Promise | str:
    """The help text of the klokebok question ``key`` as the forms show it ('' for none)."""
    return HELP_TEXTS.get(key) or ""
