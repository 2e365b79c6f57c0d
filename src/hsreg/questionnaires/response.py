"""A patient's report as a FHIR R4 QuestionnaireResponse, and back (re-exported by
questionnaires.answers, whose answer strings both directions use).

The response names the patient only by the registry's id (``Patient/<pk>``): no name, no
national id number. Reading a response checks it as the patient's page checks its screens
(answers.check_all), and every refusal names the FHIR path of the item or answer concerned
(e.g. ``QuestionnaireResponse.item[2].item[0].answer[0]``), so another system can correct it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError as PydanticError

from hsreg.web.language import lang as active_lang

from . import answers as a
from .definitions import build
from .definitions.items import INSTRUMENT_LINK_ID, GroupSpec, Spec
from .definitions.texts import INSTRUMENT, T
from .definitions.texts import UNKNOWN as UNKNOWN_TEXT

ROOT = "QuestionnaireResponse"
NOT_A_RESPONSE = T(
    "Dette er ikke en QuestionnaireResponse.", "This is not a QuestionnaireResponse."
)
UNKNOWN_QUESTIONNAIRE = T(
    "Ukjent spørreskjema: bruk et av hsregs pasientskjemaer.",
    "Unknown questionnaire: use one of hsreg's patient questionnaires.",
)
NOT_COMPLETED = T(
    "Bare utfylte svar (status completed) tas imot.", "Only completed responses are accepted."
)
UNKNOWN_ITEM = T("Ukjent linkId {link}.", "Unknown linkId {link}.")
TWICE = T("linkId {link} er besvart to ganger.", "linkId {link} is answered twice.")
ONE_ANSWER = T("Gi nøyaktig ett svar.", "Give exactly one answer.")
WRONG_TYPE = T(
    "Svaret har feil type for spørsmålet.", "The answer has the wrong type for the question."
)
NOT_ASKED = T(
    "Spørsmålet stilles ikke med de andre svarene.",
    "The question is not asked given the other answers.",
)
WHICH_INSTRUMENT = T("Oppgi instrument (dlqi eller cdlqi).", "Give the instrument (dlqi or cdlqi).")


def _coding(spec_system: str, code: str, label: T) -> dict[str, Any]:
    return {"system": build.system(spec_system), "code": code, "display": label.nb}


def _answer(spec: Spec, value: str) -> dict[str, Any]:
    if spec.kind == "choice":
        label = dict(spec.options)[value]
        return {"valueCoding": _coding(spec.system, value, label)}
    if spec.kind == "decimal":
        return {"valueDecimal": float(Decimal(value))}
    if spec.kind == "integer":
        return {"valueInteger": int(value)}
    return {"valueString": value}


def _group_items(group: GroupSpec, answers: dict[str, str]) -> list[dict[str, Any]]:
    found = []
    for spec in group.items:
        value = answers.get(spec.link_id)
        if value is None:
            continue
        if value == a.UNKNOWN:
            found.append(
                {
                    "linkId": spec.link_id + build.UNKNOWN_SUFFIX,
                    "text": UNKNOWN_TEXT.nb,
                    "answer": [{"valueBoolean": True}],
                }
            )
        else:
            found.append(
                {"linkId": spec.link_id, "text": spec.text.nb, "answer": [_answer(spec, value)]}
            )
    return found


def to_response(report: Any) -> dict[str, Any]:
    """The FHIR QuestionnaireResponse (JSON) of a stored PatientReport: completed, for the
    Questionnaire of its occasion, the patient as ``Patient/<registry id>`` only."""
    form, instrument, answers = a.answers_of(report)
    qid = build.questionnaire_id(form)
    items: list[dict[str, Any]] = [
        {
            "linkId": INSTRUMENT_LINK_ID,
            "answer": [
                {"valueCoding": _coding("instrument", instrument, dict(INSTRUMENT)[instrument])}
            ],
        }
    ]
    for group in build.groups_of(form, instrument=instrument):
        children = _group_items(group, answers)
        if children:
            items.append({"linkId": group.key, "text": group.title.nb, "item": children})
    authored = report.reported_at.isoformat() if report.reported_at else report.date.isoformat()
    resource = {
        "resourceType": ROOT,
        "language": "nb",
        "questionnaire": f"{build.questionnaire_url(qid)}|{build.VERSION}",
        "status": "completed",
        "subject": {"reference": f"Patient/{report.patient_id}"},
        "authored": authored,
        "item": items,
    }
    QuestionnaireResponse.model_validate(resource)
    return resource


def _path(loc: tuple[Any, ...]) -> str:
    path = ROOT
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


class _Reader:
    """Walks a response's items, collecting answers and the path of each."""

    def __init__(self, form: str, lang: str) -> None:
        self.lang = lang
        definition = build.DEFINITIONS[build.questionnaire_id(form)]
        self.groups = {g.key for g in definition.groups}
        self.specs = {s.link_id: s for g in definition.groups for s in g.items}
        self.answers: dict[str, str] = {}
        self.paths: dict[str, str] = {}
        self.errors: dict[str, str] = {}

    def error(self, path: str, message: T, **kw: Any) -> None:
        self.errors.setdefault(path, message.get(self.lang).format(**kw))

    def walk(self, items: Any, path: str) -> None:
        if not isinstance(items, list):
            return
        for index, item in enumerate(items):
            here = f"{path}.item[{index}]"
            link = item.get("linkId") if isinstance(item, dict) else None
            if not isinstance(link, str):
                self.error(here, UNKNOWN_ITEM, link=repr(link))
            elif link in self.groups:
                self.walk(item.get("item"), here)
            else:
                self.question(link, item, here)

    def question(self, link: str, item: dict[str, Any], here: str) -> None:
        unknown_box = link.endswith(build.UNKNOWN_SUFFIX)
        key = link.removesuffix(build.UNKNOWN_SUFFIX) if unknown_box else link
        spec = self.specs.get(key)
        if key != INSTRUMENT_LINK_ID and (
            spec is None or (unknown_box and not spec.unknown_allowed)
        ):
            self.error(here, UNKNOWN_ITEM, link=link)
            return
        given = item.get("answer")
        if not isinstance(given, list) or len(given) != 1 or not isinstance(given[0], dict):
            self.error(f"{here}.answer", ONE_ANSWER)
            return
        at = f"{here}.answer[0]"
        value = self.value(spec, unknown_box, given[0])
        if value is None:
            self.error(at, WRONG_TYPE)
        elif value == "" and unknown_box:
            return  # "Don't know" not ticked
        elif key in self.answers:
            self.error(at, TWICE, link=key)
        else:
            self.answers[key], self.paths[key] = value, at

    @staticmethod
    def value(spec: Spec | None, unknown_box: bool, answer: dict[str, Any]) -> str | None:
        if spec is None or spec.kind == "choice":
            coding = answer.get("valueCoding")
            name = spec.system if spec else "instrument"
            if isinstance(coding, dict) and coding.get("system") == build.system(name):
                code = coding.get("code")
                return code if isinstance(code, str) else None
            return None
        if unknown_box:
            ticked = answer.get("valueBoolean")
            return None if not isinstance(ticked, bool) else (a.UNKNOWN if ticked else "")
        if spec.kind == "string":
            text = answer.get("valueString")
            return text if isinstance(text, str) else None
        number = answer.get("valueInteger" if spec.kind == "integer" else "valueDecimal")
        if spec.kind == "decimal" and number is None:
            number = answer.get("valueInteger")
        if isinstance(number, bool) or not isinstance(number, int | float | str):
            return None
        try:
            return format(Decimal(str(number)), "f")
        except InvalidOperation:
            return None


def _form_of(resource: dict[str, Any], lang: str) -> str:
    canonical = resource.get("questionnaire")
    url = canonical.split("|", 1)[0] if isinstance(canonical, str) else ""
    for form, qid in build.FORM_QUESTIONNAIRE.items():
        if url == build.questionnaire_url(qid):
            return form
    raise ValidationError({f"{ROOT}.questionnaire": [UNKNOWN_QUESTIONNAIRE.get(lang)]})


def from_response(resource: dict[str, Any], *, complete: bool = True) -> tuple[str, dict[str, str]]:
    """(form, answers) of a completed QuestionnaireResponse to one of the patient's
    questionnaires; the answers include ``instrument``. ValidationError (FHIR path ->
    reasons) when it is not one, is incomplete, or has an answer the page would refuse.

    ``complete=False`` reads a response still in progress (a draft sent by a record system,
    fhir.writes): every answer given is checked the same way, but a question not answered
    yet is no problem, and the instrument may be left out (the form then takes the patient's
    by age, XB-6)."""
    lang = active_lang()
    if not isinstance(resource, dict) or resource.get("resourceType") != ROOT:
        raise ValidationError({ROOT: [NOT_A_RESPONSE.get(lang)]})
    try:
        QuestionnaireResponse.model_validate(resource)
    except PydanticError as problem:
        raise ValidationError(
            {_path(tuple(e["loc"])): [e["msg"]] for e in problem.errors()[:20]}
        ) from None
    form = _form_of(resource, lang)
    if complete and resource.get("status") != "completed":
        raise ValidationError({f"{ROOT}.status": [NOT_COMPLETED.get(lang)]})
    reader = _Reader(form, lang)
    reader.walk(resource.get("item"), ROOT)
    instrument = reader.answers.pop(INSTRUMENT_LINK_ID, "")
    if instrument not in ("dlqi", "cdlqi") and (complete or instrument):
        reader.error(reader.paths.get(INSTRUMENT_LINK_ID, f"{ROOT}.item"), WHICH_INSTRUMENT)
    kept: dict[str, str] = {}
    if not reader.errors:
        kept, errors, _first = a.check_all(
            form, instrument=instrument or "dlqi", answers=reader.answers, lang=lang
        )
        for link, message in errors.items():
            if complete or link in reader.paths:  # a draft may leave questions unanswered
                reader.errors.setdefault(
                    reader.paths.get(link, f"{ROOT}.item (linkId {link})"), message
                )
        for link in reader.answers.keys() - kept.keys() - errors.keys():
            reader.error(reader.paths[link], NOT_ASKED)
    if reader.errors:
        raise ValidationError({path: [message] for path, message in reader.errors.items()})
    return form, {**kept, **({INSTRUMENT_LINK_ID: instrument} if instrument else {})}
