"""The patient's answers: checked screen by screen against the definitions, turned into the
PatientReport's field values, and read or written as a FHIR QuestionnaireResponse.

An answer is kept as a string per link id (as the page posts it and as ``Invitation.progress``
keeps it): a choice's HISREG code, a number in plain digits with a dot ("4.5"), "unknown" for
a ticked "Don't know" box, or free text. Whatever arrives, nothing here raises on odd input:
it is refused with a reason per question in the page's language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from hsreg.guideline.dates import age_in_years
from hsreg.guideline.scores import quality_of_life_instrument
from hsreg.web.language import lang as active_lang

from .definitions import Question, Screen, screens
from .definitions.texts import T

UNKNOWN = "unknown"
TICKED = ("1", "on", "true", "yes")
_INTEGER = re.compile(r"\d{1,6}")
_DECIMAL = re.compile(r"\d{1,6}(?:[.,]\d+)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TENTH = Decimal("0.1")

ANSWER_THIS = T("Svar på dette spørsmålet.", "Please answer this question.")
CHOOSE_ONE = T("Velg ett av svarene.", "Please choose one of the answers.")
WHOLE = T("Skriv et helt tall fra {low} til {high}.", "Write a whole number from {low} to {high}.")
TENTHS = T(
    "Skriv et tall fra {low} til {high}, med høyst én desimal.",
    "Write a number from {low} to {high}, with at most one decimal.",
)
NOT_BOTH = T(
    "Skriv et tall eller kryss av for «Vet ikke», ikke begge.",
    'Write a number or tick "Don\'t know", not both.',
)
TOO_LONG = T("Skriv høyst {high} tegn.", "Write at most {high} characters.")
BAD_TEXT = T(
    "Teksten har tegn som ikke kan lagres.", "The text has characters that cannot be saved."
)


def instrument_for(patient: Any, on: date) -> str:
    """XB-6: "cdlqi" for a patient under 16 years on ``on``, else "dlqi"."""
    return quality_of_life_instrument(max(0, age_in_years(patient.birth_date, on)))


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def _number(low: float | None, high: float | None) -> tuple[str, str]:
    return _plain(Decimal(str(low or 0))), _plain(Decimal(str(high or 0)))


def _raw(data: Mapping[str, Any], key: str) -> str:
    try:
        value = data.get(key, "")
    except Exception:  # a mapping that cannot be read is no answer
        return ""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    return str(value).strip()


def enabled(question: Question, answers: Mapping[str, str]) -> bool:
    """Whether ``question`` is asked given the answers so far (its enableWhen)."""
    if question.enable_when is None:
        return True
    parent, codes = question.enable_when
    return answers.get(parent, "") in codes


def _check(question: Question, raw: str, unknown: bool, lang: str) -> tuple[str | None, str]:
    """(stored answer or None, error message or '') of one question's input."""
    if question.unknown_allowed and unknown:
        return (None, NOT_BOTH.get(lang)) if raw else (UNKNOWN, "")
    if not raw:
        return None, ANSWER_THIS.get(lang) if question.required else ""
    if question.kind == "choice":
        if raw in {code for code, _label in question.options}:
            return raw, ""
        return None, CHOOSE_ONE.get(lang)
    if question.kind == "string":
        if _CONTROL.search(raw):
            return None, BAD_TEXT.get(lang)
        longest = int(question.maximum or 200)
        if len(raw) > longest:
            return None, TOO_LONG.get(lang).format(high=longest)
        return raw, ""
    low, high = _number(question.minimum, question.maximum)
    if question.kind == "integer":
        if _INTEGER.fullmatch(raw) and low_high_ok(Decimal(raw), question):
            return str(int(raw)), ""
        return None, WHOLE.get(lang).format(low=low, high=high)
    if _DECIMAL.fullmatch(raw):
        try:
            value = Decimal(raw.replace(",", "."))
        except InvalidOperation:
            value = None
        if value is not None and value == value.quantize(TENTH) and low_high_ok(value, question):
            return _plain(value.quantize(TENTH)), ""
    return None, TENTHS.get(lang).format(low=low, high=high)


def low_high_ok(value: Decimal, question: Question) -> bool:
    low, high = question.minimum, question.maximum
    return (low is None or value >= Decimal(str(low))) and (
        high is None or value <= Decimal(str(high))
    )


def validate_screen(
    screen: Screen, data: Mapping[str, Any], *, earlier: dict[str, str], lang: str
) -> tuple[dict[str, str], dict[str, str]]:
    """The answers of one screen (link id -> stored string) and the errors (link id ->
    message in ``lang``). A question not enabled by the answers is dropped; a "Don't know"
    box posts ``<link_id>-unknown`` and stores "unknown"."""
    answers: dict[str, str] = {}
    errors: dict[str, str] = {}
    for question in screen.questions:
        if not enabled(question, {**earlier, **answers}):
            continue
        unknown = _raw(data, f"{question.link_id}-unknown").lower() in TICKED
        value, error = _check(question, _raw(data, question.link_id), unknown, lang)
        if error:
            errors[question.link_id] = error
        elif value is not None:
            answers[question.link_id] = value
    return answers, errors


def as_data(answers: Mapping[str, str]) -> dict[str, str]:
    """Stored answers as the page would post them (a ticked box for "unknown")."""
    data: dict[str, str] = {}
    for key, value in answers.items():
        if value == UNKNOWN:
            data[f"{key}-unknown"] = "1"
        else:
            data[key] = value
    return data


def check_all(
    form: str, *, instrument: str, answers: Mapping[str, str], lang: str
) -> tuple[dict[str, str], dict[str, str], int | None]:
    """Every screen of ``form`` checked in order: (answers kept, errors, index of the first
    screen with an error or None)."""
    data = as_data(answers)
    kept: dict[str, str] = {}
    errors: dict[str, str] = {}
    first = None
    for index, screen in enumerate(screens(form, instrument=instrument, lang=lang)):
        found, problems = validate_screen(screen, data, earlier=kept, lang=lang)
        kept.update(found)
        errors.update(problems)
        if problems and first is None:
            first = index
    return kept, errors, first


def first_incomplete(form: str, *, instrument: str, answers: dict[str, str]) -> int | None:
    """The index of the first screen with a required question unanswered (or an answer that
    no longer passes), None when the form can be sent."""
    return check_all(form, instrument=instrument, answers=answers, lang="nb")[2]


# --- to the PatientReport -----------------------------------------------------------------

CDLQI_7_ANSWERS = ("cdlqi_7_school", "cdlqi_7_holiday")


def field_of(link_id: str) -> str:
    """The PatientReport field a question is stored in (CDLQI items share the DLQI's)."""
    if link_id in CDLQI_7_ANSWERS:
        return "cdlqi_7"
    if link_id.startswith("cdlqi_") and link_id != "cdlqi_7_period":
        return "dlqi_" + link_id.removeprefix("cdlqi_")
    return link_id


def report_fields(*, form: str, instrument: str, answers: dict[str, str]) -> dict[str, Any]:
    """The PatientReport field values of complete, valid answers: HISREG's codes as integers,
    pain as a Decimal with one decimal or its ``*_unknown`` flag, CDLQI item 7 in
    ``cdlqi_7_period`` / ``cdlqi_7``. Raises ValidationError (link id -> reason) otherwise.
    ``dlqi_instrument`` and ``reported_*`` are the caller's."""
    lang = active_lang()
    kept, errors, _first = check_all(form, instrument=instrument, answers=answers, lang=lang)
    if errors:
        raise ValidationError({key: [message] for key, message in errors.items()})
    fields: dict[str, Any] = {}
    for screen in screens(form, instrument=instrument, lang=lang):
        for question in screen.questions:
            name = field_of(question.link_id)
            value = kept.get(question.link_id)
            if question.unknown_allowed:
                fields[f"{name}_unknown"] = value == UNKNOWN
            if value is None or value == UNKNOWN:
                if name not in fields or fields[name] in (None, ""):
                    fields[name] = "" if question.kind == "string" else None
            elif question.kind == "decimal":
                fields[name] = Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)
            elif question.kind == "string":
                fields[name] = value
            else:
                fields[name] = int(value)
    return fields


def answers_of(report: Any) -> tuple[str, str, dict[str, str]]:
    """(form, instrument, answers) of a stored PatientReport: the inverse of report_fields.
    A stored code the patient's page does not offer is left out."""
    form = {"pre": "status", "3m": "control-3m", "6m": "control-6m"}.get(report.occasion, "status")
    instrument = report.dlqi_instrument or "dlqi"
    answers: dict[str, str] = {}
    for screen in screens(form, instrument=instrument, lang="nb"):
        for question in screen.questions:
            if not enabled(question, answers):
                continue
            name = field_of(question.link_id)
            value = getattr(report, name, None)
            if question.unknown_allowed and getattr(report, f"{name}_unknown", False):
                answers[question.link_id] = UNKNOWN
            elif value is None or value == "":
                continue
            elif question.kind == "decimal":
                answers[question.link_id] = _plain(Decimal(value).quantize(TENTH))
            elif question.kind == "choice":
                if str(value) in {code for code, _label in question.options}:
                    answers[question.link_id] = str(value)
            else:
                answers[question.link_id] = str(value)
    return form, instrument, answers


from .response import from_response, to_response  # noqa: E402 - the FHIR half, re-exported

__all__ = [
    "UNKNOWN",
    "answers_of",
    "first_incomplete",
    "from_response",
    "instrument_for",
    "report_fields",
    "to_response",
    "validate_screen",
]
