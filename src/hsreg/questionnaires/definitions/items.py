"""The questions of the patient's questionnaires, once, in both languages.

Each question's ``link_id`` is the PatientReport field it is stored in (answers.report_fields),
except the CDLQI's, which are ``cdlqi_<n>`` (stored in ``dlqi_<n>``; item 7 in ``cdlqi_7_period``
and ``cdlqi_7``), so a questionnaire holding both the DLQI and the CDLQI has unique link ids.
A group is one screen of the patient's page and one ``group`` item of the FHIR Questionnaire.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import texts as t
from .texts import T

#: the hidden, read-only item that switches between the DLQI and the CDLQI groups (XB-6)
INSTRUMENT_LINK_ID = "instrument"


@dataclass(frozen=True)
class Spec:
    """One question in both languages. ``system`` names its answer list's code system."""

    link_id: str
    text: T
    kind: str = "choice"
    options: t.Options = ()
    system: str = ""
    required: bool = True
    unknown_allowed: bool = False
    minimum: float | None = None
    maximum: float | None = None
    help: T | None = None
    enable_when: tuple[str, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class GroupSpec:
    """One screen: its questions, and the instrument it belongs to ('' for every patient)."""

    key: str
    title: T
    items: tuple[Spec, ...]
    note: T | None = None
    instrument: str = ""


def _choice(link_id: str, nb: str, en: str, options: t.Options, system: str, **kw: object) -> Spec:
    return Spec(link_id, T(nb, en), "choice", options, system, **kw)  # type: ignore[arg-type]


def _pain(link_id: str, nb: str, en: str) -> Spec:
    return Spec(
        link_id,
        T(nb, en),
        "decimal",
        unknown_allowed=True,
        minimum=0,
        maximum=10,
        help=t.PAIN_HELP,
    )


SMOKING_WORK = GroupSpec(
    "smoking-work",
    T("Røyking og arbeid", "Smoking and work"),
    (
        _choice("smoking", "Røyker du?", "Do you smoke?", t.SMOKING, "smoking"),
        _choice(
            "work",
            "Hva er din arbeidssituasjon nå?",
            "What is your work situation now?",
            t.WORK,
            "work",
        ),
    ),
)

BOILS_PAIN = GroupSpec(
    "boils-pain",
    T("Byller og smerte", "Boils and pain"),
    (
        Spec(
            "boils_last_4_weeks",
            T(
                "Hvor mange vonde byller har du hatt de siste 4 ukene?",
                "How many painful boils have you had in the last 4 weeks?",
            ),
            "integer",
            minimum=0,
            maximum=99,
        ),
        _pain(
            "worst_boil_pain",
            "Hvor vond var den verste byllen? (0–10)",
            "How painful was the worst boil? (0–10)",
        ),
        _pain(
            "vas_total",
            "Hvor vondt har du hatt alt i alt den siste uken? (0–10)",
            "How much pain have you had overall in the last week? (0–10)",
        ),
        _pain(
            "vas_axilla_right", "Smerte i høyre armhule (0–10)", "Pain in the right armpit (0–10)"
        ),
        _pain(
            "vas_axilla_left", "Smerte i venstre armhule (0–10)", "Pain in the left armpit (0–10)"
        ),
        _pain("vas_groin_right", "Smerte i høyre lyske (0–10)", "Pain in the right groin (0–10)"),
        _pain("vas_groin_left", "Smerte i venstre lyske (0–10)", "Pain in the left groin (0–10)"),
        _pain("vas_other", "Smerte andre steder (0–10)", "Pain in other places (0–10)"),
    ),
    note=T(
        "Svar så godt du kan. Kryss av for «Vet ikke» hvis du ikke vet.",
        'Answer as well as you can. Tick "Don\'t know" if you do not know.',
    ),
)

_LW_NB, _LW_EN = "I løpet av den siste uken, ", "Over the last week, "


def _dlqi(n: int, nb: str, en: str, relevant: bool = False) -> Spec:
    options = t.DLQI_ANSWER_OR_NOT_RELEVANT if relevant else t.DLQI_ANSWER
    return _choice(f"dlqi_{n}", f"{n}. {_LW_NB}{nb}", f"{n}. {_LW_EN}{en}", options, "dlqi-answer")


DLQI = GroupSpec(
    "dlqi",
    T("Hudsykdommen din den siste uken (DLQI)", "Your skin condition over the last week (DLQI)"),
    (
        _dlqi(
            1,
            "hvor mye har huden din klødd, vært sår, gjort vondt eller sviddet?",
            "how itchy, sore, painful or stinging has your skin been?",
        ),
        _dlqi(
            2,
            "hvor flau eller sjenert har du vært på grunn av huden din?",
            "how embarrassed or self conscious have you been because of your skin?",
        ),
        _dlqi(
            3,
            "hvor mye har huden din hindret deg i å handle eller stelle hus og hage?",
            "how much has your skin interfered with you going shopping or looking after "
            "your home or garden?",
            True,
        ),
        _dlqi(
            4,
            "hvor mye har huden din påvirket hvilke klær du har brukt?",
            "how much has your skin influenced the clothes you wear?",
            True,
        ),
        _dlqi(
            5,
            "hvor mye har huden din påvirket sosiale aktiviteter eller fritidsaktiviteter?",
            "how much has your skin affected any social or leisure activities?",
            True,
        ),
        _dlqi(
            6,
            "hvor vanskelig har huden din gjort det for deg å drive med sport eller mosjon?",
            "how much has your skin made it difficult for you to do any sport?",
            True,
        ),
        _choice(
            "dlqi_7",
            f"7. {_LW_NB}har huden din hindret deg i å arbeide eller studere?",
            f"7. {_LW_EN}has your skin prevented you from working or studying?",
            t.DLQI_Q7,
            "dlqi-q7",
        ),
        _choice(
            "dlqi_7_problems",
            "Hvis nei: I løpet av den siste uken, hvor mye har huden din vært et problem "
            "for deg i arbeid eller studier?",
            'If "No": over the last week how much has your skin been a problem at work '
            "or studying?",
            t.DLQI_Q7_PROBLEMS,
            "dlqi-q7-problems",
            enable_when=("dlqi_7", ("0",)),
        ),
        _dlqi(
            8,
            "hvor mye har huden din skapt problemer med partneren din, nære venner eller "
            "slektninger?",
            "how much has your skin created problems with your partner or any of your close "
            "friends or relatives?",
            True,
        ),
        _dlqi(
            9,
            "hvor mye har huden din ført til problemer med sexlivet?",
            "how much has your skin caused any sexual difficulties?",
            True,
        ),
        _dlqi(
            10,
            "hvor mye problemer har behandlingen av huden din gitt deg, for eksempel ved "
            "å gjøre det rotete hjemme eller ved å ta tid?",
            "how much of a problem has the treatment for your skin been, for example by "
            "making your home messy, or by taking up time?",
            True,
        ),
    ),
    note=t.LAST_WEEK,
    instrument="dlqi",
)


def _cdlqi(n: int, nb: str, en: str) -> Spec:
    return _choice(
        f"cdlqi_{n}", f"{n}. {_LW_NB}{nb}", f"{n}. {_LW_EN}{en}", t.CDLQI_ANSWER, "cdlqi-answer"
    )


CDLQI = GroupSpec(
    "cdlqi",
    T("Huden din den siste uken (CDLQI)", "Your skin over the last week (CDLQI)"),
    (
        _cdlqi(
            1,
            "hvor mye har huden din klødd, vært sår eller gjort vondt?",
            'how itchy, "scratchy", sore or painful has your skin been?',
        ),
        _cdlqi(
            2,
            "hvor flau, sjenert, lei deg eller trist har du vært på grunn av huden din?",
            "how embarrassed or self conscious, upset or sad have you been because of your skin?",
        ),
        _cdlqi(
            3,
            "hvor mye har huden din påvirket vennskapene dine?",
            "how much has your skin affected your friendships?",
        ),
        _cdlqi(
            4,
            "hvor mye har du byttet klær eller sko, eller brukt andre eller spesielle "
            "klær eller sko, på grunn av huden din?",
            "how much have you changed or worn different or special clothes/shoes because "
            "of your skin?",
        ),
        _cdlqi(
            5,
            "hvor mye har hudplagene dine påvirket det å gå ut, leke eller drive med hobbyer?",
            "how much has your skin trouble affected going out, playing, or doing hobbies?",
        ),
        _cdlqi(
            6,
            "hvor mye har du unngått svømming eller annen sport på grunn av hudplagene dine?",
            "how much have you avoided swimming or other sports because of your skin trouble?",
        ),
        _choice(
            "cdlqi_7_period",
            "7. Var forrige uke skoletid eller ferie?",
            "7. Last week, was it school time or holiday time?",
            t.CDLQI_7_PERIOD,
            "cdlqi-7-period",
        ),
        _choice(
            "cdlqi_7_school",
            "Hvis skoletid: I løpet av den siste uken, hvor mye påvirket hudproblemet ditt "
            "skolearbeidet ditt?",
            "If school time: over the last week, how much did your skin problem affect "
            "your school work?",
            t.CDLQI_7_SCHOOL,
            "cdlqi-7",
            enable_when=("cdlqi_7_period", ("1",)),
        ),
        _choice(
            "cdlqi_7_holiday",
            "Hvis ferie: I løpet av den siste uken, hvor mye har hudproblemet ditt "
            "ødelagt gleden ved ferien?",
            "If holiday time: how much over the last week has your skin problem "
            "interfered with your enjoyment of the holiday?",
            t.CDLQI_ANSWER,
            "cdlqi-7",
            enable_when=("cdlqi_7_period", ("2",)),
        ),
        _cdlqi(
            8,
            "hvor mye plaget har du vært av at andre har kalt deg ting, ertet, mobbet, "
            "stilt spørsmål eller unngått deg på grunn av huden din?",
            "how much trouble have you had because of your skin with other people calling "
            "you names, teasing, bullying, asking questions or avoiding you?",
        ),
        _cdlqi(
            9,
            "hvor mye har søvnen din blitt påvirket av hudproblemet ditt?",
            "how much has your sleep been affected by your skin problem?",
        ),
        _cdlqi(
            10,
            "hvor mye problemer har behandlingen av huden din gitt deg?",
            "how much of a problem has the treatment for your skin been?",
        ),
    ),
    note=t.LAST_WEEK,
    instrument="cdlqi",
)

FOLLOW_UP = GroupSpec(
    "follow-up",
    T("Behandlingen du fikk", "The treatment you were given"),
    (
        _choice(
            "satisfaction",
            "Hvor fornøyd er du med behandlingen du fikk?",
            "How satisfied are you with the treatment you were given?",
            t.SATISFACTION,
            "satisfaction",
        ),
        _choice(
            "would_repeat",
            "Ville du tatt imot den samme behandlingen igjen?",
            "Would you accept the same treatment again?",
            t.YES_NO,
            "yes-no",
        ),
        _choice(
            "would_recommend",
            "Ville du anbefalt behandlingen til familie eller en nær venn?",
            "Would you recommend the treatment to family or a close friend?",
            t.YES_NO,
            "yes-no",
        ),
        _choice(
            "still_on_treatment",
            "Bruker du fortsatt behandlingen du startet med?",
            "Are you still using the treatment you started?",
            t.YES_NO,
            "yes-no",
        ),
        _choice(
            "dose_change",
            "Hvilken dose bruker du nå?",
            "Which dose do you use now?",
            t.DOSE,
            "dose",
            enable_when=("still_on_treatment", ("1",)),
        ),
        _choice(
            "stop_reason",
            "Hvorfor sluttet du med behandlingen?",
            "Why did you stop the treatment?",
            t.STOPPED,
            "stop-reason",
            enable_when=("still_on_treatment", ("0",)),
        ),
        _choice(
            "stop_adverse_effect",
            "Hvilken bivirkning?",
            "Which side effect?",
            t.ADVERSE,
            "adverse-effect",
            enable_when=("stop_reason", ("2",)),
        ),
    ),
)


def _complication(link_id: str, nb: str, en: str) -> Spec:
    return _choice(link_id, nb, en, t.YES_NO, "yes-no")


COMPLICATIONS = GroupSpec(
    "complications",
    T("Etter operasjonen", "After the operation"),
    (
        _complication(
            "wound_infection",
            "Fikk du sårinfeksjon som måtte behandles?",
            "Did you get a wound infection that needed treatment?",
        ),
        _complication(
            "delayed_healing",
            "Grodde såret saktere enn forventet?",
            "Did the wound heal more slowly than expected?",
        ),
        _complication(
            "scar_problems",
            "Har du vonde arr eller arr som hindrer deg?",
            "Do you have painful scars, or scars that hold you back?",
        ),
        _complication(
            "nerve_damage",
            "Har du nummenhet, prikking eller smerte ved berøring nær arret?",
            "Do you have numbness, tingling or pain at touch near the scar?",
        ),
        _complication(
            "sepsis",
            "Fikk du blodforgiftning som ble behandlet med antibiotika?",
            "Did you get blood poisoning (sepsis) treated with antibiotics?",
        ),
        _complication(
            "bleeding",
            "Blødde det etter operasjonen så det måtte behandles?",
            "Did you bleed after the operation so that it needed treatment?",
        ),
        _complication(
            "other_complications",
            "Fikk du andre komplikasjoner eller bivirkninger?",
            "Did you have any other complications or side effects?",
        ),
        Spec(
            "other_complications_text",
            T("Hvilke andre komplikasjoner?", "Which other complications?"),
            "string",
            required=False,
            maximum=100,
            enable_when=("other_complications", ("1",)),
        ),
    ),
)

STATUS_GROUPS = (SMOKING_WORK, BOILS_PAIN, DLQI, CDLQI)
#: HISREG asks the complications at both controls (klokebok: Pasient 3 mnd and Pasient 6 mnd)
CONTROL_3M_GROUPS = (*STATUS_GROUPS, FOLLOW_UP, COMPLICATIONS)
CONTROL_6M_GROUPS = CONTROL_3M_GROUPS
