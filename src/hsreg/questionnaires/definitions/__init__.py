"""The patient's questionnaires, defined once (items, texts) and built (build) into FHIR R4
Questionnaires and the screens of the patient's page. See questionnaires.answers for reading
and storing the answers."""

from .build import (
    CANONICAL,
    FORM_QUESTIONNAIRE,
    QUESTIONNAIRE_IDS,
    UNKNOWN_SUFFIX,
    Question,
    Screen,
    copyright_notice,
    groups_of,
    questionnaire,
    questionnaire_id,
    questionnaire_url,
    questionnaires,
    screens,
    system,
)

__all__ = [
    "CANONICAL",
    "FORM_QUESTIONNAIRE",
    "QUESTIONNAIRE_IDS",
    "UNKNOWN_SUFFIX",
    "Question",
    "Screen",
    "copyright_notice",
    "groups_of",
    "questionnaire",
    "questionnaire_id",
    "questionnaire_url",
    "questionnaires",
    "screens",
    "system",
]
