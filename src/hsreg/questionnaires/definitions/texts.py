"""The patient's questionnaires' texts, in bokmål and English, as data.

They are not gettext messages: a FHIR Questionnaire carries both languages (bokmål in the
text, English in the translation extension), and the patient's page picks one by the page's
language. Wording is plain and speaks to the patient ("du"); no title names the registry or
the diagnosis ("Hudsykdommen din" / "your skin condition"). The DLQI and CDLQI items follow
their authors' questionnaires; their copyright lines are given exactly as the authors require.
"""

from __future__ import annotations

from typing import NamedTuple


class T(NamedTuple):
    """One text in both languages."""

    nb: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.nb


DLQI_COPYRIGHT = (
    "© Dermatology Life Quality Index. A Y Finlay, G K Khan, April 1992 www.dermatology.org.uk, "
    "this must not be copied without the permission of the authors."
)
CDLQI_COPYRIGHT = (
    "© M.S. Lewis-Jones, A.Y. Finlay, May 1993, This must not be copied without the "
    "permission of the authors."
)

# --- answer lists (HISREG's codes) ------------------------------------------------------------
Options = tuple[tuple[str, T], ...]

YES_NO: Options = (("1", T("Ja", "Yes")), ("0", T("Nei", "No")), ("9", T("Vet ikke", "Don't know")))
SMOKING: Options = (
    ("1", T("Jeg røyker", "I smoke")),
    ("2", T("Jeg har sluttet å røyke", "I used to smoke")),
    ("3", T("Jeg har aldri røykt", "I have never smoked")),
    ("9", T("Vet ikke", "Don't know")),
)
WORK: Options = (
    ("1", T("I arbeid på heltid, eller student", "Working full time, or a student")),
    ("2", T("Sykmeldt (helt eller delvis)", "On sick leave (full or partial)")),
    ("3", T("Uføretrygdet (helt eller delvis)", "Disability pension (full or partial)")),
    ("4", T("Arbeidsavklaringspenger", "Work assessment allowance")),
    ("5", T("Alderspensjonist", "Retired")),
    ("6", T("Arbeidsledig", "Unemployed")),
    ("9", T("Vet ikke", "Don't know")),
)
DLQI_ANSWER: Options = (
    ("1", T("Veldig mye", "Very much")),
    ("2", T("Mye", "A lot")),
    ("3", T("Litt", "A little")),
    ("4", T("Ikke i det hele tatt", "Not at all")),
)
NOT_RELEVANT = ("5", T("Ikke relevant", "Not relevant"))
DLQI_ANSWER_OR_NOT_RELEVANT: Options = (*DLQI_ANSWER, NOT_RELEVANT)
DLQI_Q7: Options = (("1", T("Ja", "Yes")), ("0", T("Nei", "No")), NOT_RELEVANT)
#: Finlay's follow-up of item 7 has three answers (assessments.models.DLQI_Q7_PROBLEMS)
DLQI_Q7_PROBLEMS: Options = (
    ("2", T("Mye", "A lot")),
    ("3", T("Litt", "A little")),
    ("4", T("Ikke i det hele tatt", "Not at all")),
)
CDLQI_ANSWER: Options = (
    ("1", T("Veldig mye", "Very much")),
    ("2", T("Ganske mye", "Quite a lot")),
    ("3", T("Bare litt", "Only a little")),
    ("4", T("Ikke i det hele tatt", "Not at all")),
)
CDLQI_7_PERIOD: Options = (("1", T("Skoletid", "School time")), ("2", T("Ferie", "Holiday time")))
CDLQI_7_SCHOOL: Options = (
    ("6", T("Hindret meg i å gå på skolen", "Prevented school")),
    *CDLQI_ANSWER,
)
SATISFACTION: Options = (
    ("1", T("Fornøyd", "Satisfied")),
    ("2", T("Nokså fornøyd", "Fairly satisfied")),
    ("3", T("Verken fornøyd eller misfornøyd", "Neither satisfied nor dissatisfied")),
    ("4", T("Nokså misfornøyd", "Fairly dissatisfied")),
    ("5", T("Misfornøyd", "Dissatisfied")),
    ("9", T("Vet ikke", "Don't know")),
)
DOSE: Options = (
    ("1", T("Samme dose", "The same dose")),
    ("2", T("Lavere dose", "A lower dose")),
    ("3", T("Høyere dose", "A higher dose")),
)
STOPPED: Options = (
    ("1", T("Den virket ikke", "It did not work")),
    ("2", T("Alvorlig bivirkning", "A serious side effect")),
    ("9", T("Vet ikke", "Don't know")),
)
ADVERSE: Options = (
    ("1", T("Pustevansker", "Difficulty breathing")),
    ("2", T("Diaré", "Diarrhoea")),
    ("3", T("Oppkast eller vondt i magen", "Vomiting or stomach pain")),
    ("4", T("Hodepine", "Headache")),
    ("5", T("Annen allergisk reaksjon", "Another allergic reaction")),
    ("9", T("Vet ikke", "Don't know")),
)
INSTRUMENT: Options = (
    ("dlqi", T("DLQI", "DLQI")),
    ("cdlqi", T("CDLQI (barn under 16 år)", "CDLQI (children under 16)")),
)

# --- the rest of the page ---------------------------------------------------------------------
UNKNOWN = T("Vet ikke", "Don't know")
PAIN_HELP = T(
    "0 betyr ingen smerte, 10 betyr verst tenkelige smerte. Du kan bruke én desimal, f.eks. 4,5.",
    "0 means no pain, 10 means the worst pain you can imagine. You may use one decimal, e.g. 4.5.",
)
LAST_WEEK = T(
    "Spørsmålene gjelder hvordan huden din har påvirket livet ditt den siste uken.",
    "The questions are about how your skin has affected your life over the last week.",
)
