"""The code tables of the clinical forms (assessments.models): the answers each question offers,
in HISREG's codes (its data dictionary, the klokebok), and the occasions, body regions and
reasons as choices. Kept apart from the models, which import them from here (and are still where
the rest of the project imports them from); a code table moving does not change a migration.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Occasion(models.TextChoices):
    """When a status form is filled in: before the intervention or at a control after it."""

    PRE = "pre", _("Before treatment")
    CONTROL_3 = "3m", _("3-month control")
    CONTROL_6 = "6m", _("6-month control")


class Region(models.TextChoices):
    """Body regions with left and right where it applies (ST-1, XS-3); ids as the engine's."""

    AXILLA_LEFT = "axilla_left", _("Axilla, left")
    AXILLA_RIGHT = "axilla_right", _("Axilla, right")
    GROIN_LEFT = "groin_left", _("Groin, left")
    GROIN_RIGHT = "groin_right", _("Groin, right")
    GLUTEAL_LEFT = "gluteal_left", _("Gluteal, left")
    GLUTEAL_RIGHT = "gluteal_right", _("Gluteal, right")
    INFRAMAMMARY_LEFT = "inframammary_left", _("Inframammary, left")
    INFRAMAMMARY_RIGHT = "inframammary_right", _("Inframammary, right")
    GENITAL = "genital", _("Genital")
    PERIANAL = "perianal", _("Perianal")
    OTHER = "other", _("Other")


HURLEY = [(1, _("Stage I")), (2, _("Stage II")), (3, _("Stage III"))]
MEDICATION_USE = [
    (0, _("No")),
    (1, _("Yes")),
    (2, _("Yes, in the last 3 months")),
    (9, _("Don't know")),
]
ANTIBIOTIC_USE = [
    (0, _("No")),
    (1, _("Yes, more than 3 months")),
    (2, _("Yes, less than 3 months")),
    (3, _("Yes, the last 2 weeks")),
    (9, _("Don't know")),
]
SMOKING = [(1, _("Smokes")), (2, _("Former smoker")), (3, _("Never smoked")), (9, _("Don't know"))]
WORK = [
    (1, _("Full-time work or student")),
    (2, _("On sick leave (full or partial)")),
    (3, _("Disability pension (full or partial)")),
    (4, _("Work assessment allowance")),
    (5, _("Retirement pension")),
    (6, _("Unemployed")),
    (9, _("Don't know")),
]
DLQI_ANSWER = [(1, _("Very much")), (2, _("A lot")), (3, _("A little")), (4, _("Not at all"))]
DLQI_ANSWER_OR_NOT_RELEVANT = [*DLQI_ANSWER, (5, _("Not relevant"))]
DLQI_Q7 = [(1, _("Yes")), (0, _("No")), (5, _("Not relevant"))]
#: DLQI question 7's follow-up, "If no: how much ...", has three answers in Finlay's
#: questionnaire (a lot / a little / not at all; MO-1a scores them 2 / 1 / 0). HISREG's data
#: dictionary lists a fourth, 1 "Veldig mye", that the DLQI does not have: it is not offered
#: (issue 12), and a stored 1 was read as 2 "a lot" by migration assessments 0003 (it scored 2
#: already, so no total changed). The codes stay HISREG's.
DLQI_Q7_PROBLEMS = [(2, _("A lot")), (3, _("A little")), (4, _("Not at all"))]
#: XB-6: a patient under 16 on the form's date answers the children's DLQI (CDLQI), stored in
#: the same ``dlqi_1`` ... ``dlqi_10`` fields (items 1-6 and 8-10: 1 very much ... 4 not at
#: all, as the DLQI's codes) except item 7, which asks about school or the holiday
INSTRUMENT = [("dlqi", "DLQI"), ("cdlqi", "CDLQI")]
CDLQI_7_PERIOD = [(1, _("School time")), (2, _("Holiday time"))]
CDLQI_7 = [
    (6, _("Prevented school")),
    (1, _("Very much")),
    (2, _("Quite a lot")),
    (3, _("Only a little")),
    (4, _("Not at all")),
]
REPORTED_BY = [("clinic", _("the unit")), ("patient", _("the patient"))]
SATISFACTION = [
    (1, _("Satisfied")),
    (2, _("Somewhat satisfied")),
    (3, _("Neither satisfied nor dissatisfied")),
    (4, _("Somewhat dissatisfied")),
    (5, _("Dissatisfied")),
    (9, _("Don't know")),
]
DOSE = [(1, _("Same dose")), (2, _("Reduced dose")), (3, _("Increased dose"))]
STOPPED = [(1, _("Lack of effect")), (2, _("Serious adverse effect")), (9, _("Don't know"))]
ADVERSE = [
    (1, _("Breathing difficulties")),
    (2, _("Diarrhoea")),
    (3, _("Vomiting or stomach pain")),
    (4, _("Headache")),
    (5, _("Other allergic reaction")),
    (9, _("Don't know")),
]
SKIN_DISEASE = [(1, _("Psoriasis")), (2, _("Atopic eczema")), (3, _("Rosacea")), (4, _("Other"))]
RHEUMATIC = [
    (1, _("Rheumatoid arthritis")),
    (2, _("Psoriatic arthritis")),
    (3, _("Ankylosing spondylitis")),
    (9, _("Other")),
]
BOWEL = [(1, _("Crohn's disease")), (2, _("Ulcerative colitis")), (3, _("Other"))]
DIABETES = [(1, _("Type 1")), (2, _("Type 2"))]
ACTIVITY = [("mild", _("Mild")), ("moderate", _("Moderate")), ("severe", _("Severe"))]
#: whether the 3- or 6-month control could be done (R: CONTROL_POSSIBLE; 1 yes, 0 no)
CONTROL_POSSIBLE = [(1, _("Yes")), (0, _("No"))]


class ImpossibleReason(models.IntegerChoices):
    """Why a control could not be done: R's hisregPrepVar, valgtVar IMPOSSIBLE_REASON
    (1 "Møtte ikke", 2 "Død", 9 "Vet ikke")."""

    DID_NOT_ATTEND = 1, _("Did not attend")
    DIED = 2, _("Died")
    UNKNOWN = 9, _("Don't know")


#: HISREG's HISCR_CATEGORY (R: hisregIndikatorer_2022.R counts "Full-Responder")
HISCR_CATEGORIES = [
    ("Full-Responder", _("HiSCR achieved")),
    ("Non-Responder", _("HiSCR not achieved")),
]
