"""The registry's quality indicators: each one's numerator, denominator and exclusions as
queries over the complete episodes (reports.episodes), with the registry's levels (lav / mål)
in per cent. HISREG's indicator ids are kept, so published figures can be compared; each
definition follows HISREG's R code (inst/hisregIndikatorer_2022.R) as issue 16 decided it
(the README's definition table names every deviation and its reason):

- every indicator counts only complete episodes, with their own baseline (D1; the counting
  in reports.indicators.unit_tallies);
- the control indicators need the doctor's control of the matching occasion strictly inside
  the window in lubridate's months, intervention years 2016 on, windows closed (D2);
- the referral indicator counts each patient once, at their first complete episode, in its
  year and unit, years 2015 on (D7).

A reader checks an indicator here: ``denominator`` says which rows are counted at all (rows
outside it are the exclusions), ``numerator`` which of those count as achieved. The texts say
the same in words on the report pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.db.models import F, Q
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hsreg.guideline.scores import DLQI_ADEQUATE_FALL, DLQI_ELIGIBLE_FROM, HISCR_PERCENT

#: "episode": every complete episode counts; "first_episode": a patient's first one only (D7)
Source = Literal["episode", "first_episode"]

#: a reduction of the pain VAS "by more than 30 %" (HISREG's indicator)
VAS_FALL_PERCENT = 30
#: referred within a year: under 12 whole months from the first GP visit to the referral (D7:
#: R's ``tid_almlege_spes_kombo == 0``, whole years; 12 months is a year and not within it)
REFERRAL_MONTHS = 12
#: the first year of the referral indicator (R: ``Aar %in% 2015:rapp_aar``)
REFERRAL_FROM_YEAR = 2015
#: the first year of the control indicators (R: ``Aar >= 2016``)
CONTROLS_FROM_YEAR = 2016
#: satisfied: "fornøyd" or "noe fornøyd" of the five answers (9 = don't know is left out)
SATISFIED = (1, 2)
SATISFACTION_ANSWERED = (1, 2, 3, 4, 5)
#: prior systemic antibiotics in the medical history (HISREG's 1-3: yes, for any length)
ANTIBIOTICS_USED = (1, 2, 3)
#: the smallest denominator shown; below it the cell says "N<5" (or "N<10")
MIN_DENOMINATOR = 5
MIN_DENOMINATOR_COMPLICATIONS = 10


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    title: str | Promise
    numerator_text: str | Promise
    denominator_text: str | Promise
    denominator: Q
    numerator: Q
    low: int | None = None  # "lav": below this (above, when lower is better) is low
    target: int | None = None  # "mål": at or beyond this the target is reached
    lower_is_better: bool = False
    min_denominator: int = MIN_DENOMINATOR
    source: Source = "episode"

    def level(self, percent: float) -> str | None:
        """ "high" (target reached), "moderate" or "low", or None without levels."""
        if self.low is None or self.target is None:
            return None
        if self.lower_is_better:
            return (
                "high" if percent <= self.target else ("moderate" if percent <= self.low else "low")
            )
        return "high" if percent >= self.target else ("moderate" if percent >= self.low else "low")


def _both(column: str) -> Q:
    return Q(**{f"base_{column}__isnull": False, f"ctl_{column}__isnull": False})


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        id="hisreg_henvist_spesialist_1aar",
        title=_("Referred to a dermatologist within 1 year of the first GP visit"),
        numerator_text=_(
            "under 12 months from the first GP visit to the referral; without the months, "
            "the same age at the first GP visit and at the diagnosis"
        ),
        denominator_text=_(
            "patients whose medical history gives the months to referral, or both ages (first "
            "GP visit, diagnosis by a dermatologist), once each: counted in the year and at "
            "the unit of their first complete episode, from 2015"
        ),
        # months when given; else HISREG's fallback, the ages being the same whole year
        denominator=Q(first_complete=True, year__gte=REFERRAL_FROM_YEAR)
        & (
            Q(months_to_specialist__isnull=False)
            | Q(age_first_gp__isnull=False, age_diagnosis__isnull=False)
        ),
        numerator=Q(months_to_specialist__lt=REFERRAL_MONTHS)
        | Q(months_to_specialist__isnull=True, age_diagnosis=F("age_first_gp")),
        low=60,
        target=80,
        source="first_episode",
    ),
    Indicator(
        id="hisreg_reduksjon_ihs4",
        title=_("IHS4 reduced after treatment"),
        numerator_text=_("IHS4 at the control lower than before treatment"),
        denominator_text=_("episodes with IHS4 before treatment and at the control"),
        denominator=_both("ihs4"),
        numerator=Q(ctl_ihs4__lt=F("base_ihs4")),
        low=70,
        target=90,
    ),
    Indicator(
        id="full_responder",
        title=_("HiSCR achieved at the control"),
        numerator_text=_(
            "AN count reduced by at least 50 % with no increase in abscesses or draining "
            "tunnels (MO-2)"
        ),
        denominator_text=_(
            "episodes with counts before treatment and at the control; an AN count of 0 "
            "before treatment is left out (MO-2 Reading)"
        ),
        denominator=_both("an") & _both("abscesses") & _both("tunnels") & Q(base_an__gt=0),
        numerator=Q(
            GreaterThanOrEqual(100 * (F("base_an") - F("ctl_an")), HISCR_PERCENT * F("base_an")),
            ctl_abscesses__lte=F("base_abscesses"),
            ctl_tunnels__lte=F("base_tunnels"),
        ),
        low=70,
        target=90,
    ),
    Indicator(
        id="hisreg_reduksjon_hurley",
        title=_("Hurley stage reduced from II or III"),
        numerator_text=_("a lower Hurley stage at the control"),
        denominator_text=_(
            "episodes with Hurley II or III before treatment and a stage at the control"
        ),
        denominator=Q(base_hurley__in=(2, 3), ctl_hurley__isnull=False),
        numerator=Q(ctl_hurley__lt=F("base_hurley")),
        low=70,
        target=90,
    ),
    Indicator(
        id="hisreg_reduksjon_dlqi",
        title=_("DLQI fell by 4 or more"),
        numerator_text=_("DLQI at the control at least 4 lower than before treatment (TX-9)"),
        denominator_text=_("episodes with DLQI before treatment and at the control"),
        denominator=_both("dlqi"),
        numerator=Q(
            GreaterThanOrEqual(F("base_dlqi") - F("ctl_dlqi"), DLQI_ADEQUATE_FALL),
        ),
        low=70,
        target=90,
    ),
    Indicator(
        id="hisreg_reduksjon_vas",
        title=_("Pain (VAS) fell by more than 30 %"),
        numerator_text=_("pain VAS at the control lower than before treatment by more than 30 %"),
        denominator_text=_(
            "episodes with pain VAS before treatment and at the control; a VAS of 0 before "
            "treatment is left out"
        ),
        denominator=_both("vas") & Q(base_vas__gt=0),
        numerator=Q(
            GreaterThan(100 * (F("base_vas") - F("ctl_vas")), VAS_FALL_PERCENT * F("base_vas"))
        ),
        low=70,
        target=90,
    ),
    Indicator(
        id="hisreg_kontr_3mnd_med",
        title=_("Control done 2.5-5.5 months after medical treatment"),
        numerator_text=_(
            "the doctor's finished 3-month control form dated more than 2.5 and less than 5.5 "
            "months after the intervention (calendar months, as the registry's R code counts "
            "them)"
        ),
        denominator_text=_(
            "medical and combined interventions from 2016 whose window has closed by the "
            "report date"
        ),
        denominator=Q(followup_3m_due=True, year__gte=CONTROLS_FROM_YEAR),
        numerator=Q(followup_3m_done=True),
        low=80,
        target=90,
    ),
    Indicator(
        id="hisreg_kontr_6mnd_kir",
        title=_("Control done 5-8 months after surgery"),
        numerator_text=_(
            "the doctor's finished 6-month control form dated more than 5 and less than 8 "
            "months after the intervention (calendar months, as the registry's R code counts "
            "them)"
        ),
        denominator_text=_(
            "surgical and combined interventions from 2016 whose window has closed by the "
            "report date"
        ),
        denominator=Q(followup_6m_due=True, year__gte=CONTROLS_FROM_YEAR),
        numerator=Q(followup_6m_done=True),
        low=80,
        target=90,
    ),
    Indicator(
        id="hisreg_kompl_kir",
        title=_("Complications after surgery"),
        numerator_text=_("any complication answered yes at the 6-month control"),
        denominator_text=_(
            "surgical and combined interventions whose 6-month control report answered at "
            "least one complication question yes or no"
        ),
        denominator=Q(surgical=True, complications_answered=True),
        numerator=Q(complication=True),
        low=30,
        target=5,
        lower_is_better=True,
        min_denominator=MIN_DENOMINATOR_COMPLICATIONS,
    ),
    Indicator(
        id="pasientfornoydhet",
        title=_("Patients satisfied with the treatment"),
        numerator_text=_("satisfied or somewhat satisfied"),
        denominator_text=_("episodes whose control report answers the question on satisfaction"),
        denominator=Q(ctl_satisfaction__in=SATISFACTION_ANSWERED),
        numerator=Q(ctl_satisfaction__in=SATISFIED),
        low=60,
        target=80,
    ),
    Indicator(
        id="tidl_antibiotisk",
        title=_("Biologic: systemic antibiotics before"),
        numerator_text=_("the medical history gives antibiotics as tablets or injections"),
        denominator_text=_("interventions that start a biologic"),
        denominator=Q(biologic=True),
        numerator=Q(prior_antibiotic__in=ANTIBIOTICS_USED),
    ),
    Indicator(
        id="dlqikrav_oppfylt",
        title=_("Biologic: DLQI 11 or more before the start"),
        numerator_text=_("DLQI before treatment at least 11 (TX-6)"),
        denominator_text=_("interventions that start a biologic, with DLQI before treatment"),
        denominator=Q(biologic=True, base_dlqi__isnull=False),
        numerator=Q(base_dlqi__gte=DLQI_ELIGIBLE_FROM),
    ),
    Indicator(
        id="tidl_antibiotisk_dlqikrav_oppfylt",
        title=_("Biologic: antibiotics before and DLQI 11 or more (TX-6)"),
        numerator_text=_("both: antibiotics before and DLQI at least 11 before treatment"),
        denominator_text=_("interventions that start a biologic, with DLQI before treatment"),
        denominator=Q(biologic=True, base_dlqi__isnull=False),
        numerator=Q(prior_antibiotic__in=ANTIBIOTICS_USED, base_dlqi__gte=DLQI_ELIGIBLE_FROM),
    ),
)

BY_ID = {i.id: i for i in INDICATORS}
