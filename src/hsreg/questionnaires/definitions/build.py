"""Builds, from the one definition in items.py, both the FHIR R4 Questionnaire JSON and the
screens of the patient's page, so the page, the validation and the FHIR endpoint never
disagree.

FHIR shape: bokmål in ``text`` (Questionnaire.language "nb"), English in the translation
extension of ``_text`` / ``_display``; HISREG's answer codes as ``valueCoding`` in code
systems under CANONICAL; one ``group`` item per screen. The patient's status and control
questionnaires hold both a DLQI and a CDLQI group, switched by the hidden, read-only item
``instrument`` (enableWhen), so one definition serves every age (XB-6: the CDLQI under 16).
A pain question's "Don't know" is a sibling boolean item ``<linkId>-unknown``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from . import items as i
from . import texts as t
from .texts import T

CANONICAL = "https://hsreg.no/fhir"
VERSION = "1.0.0"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
HIDDEN = "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
MAX_DECIMALS = "http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces"
UNKNOWN_SUFFIX = "-unknown"


@dataclass(frozen=True)
class Definition:
    qid: str
    name: str
    title: T
    groups: tuple[i.GroupSpec, ...]
    switched: bool  # holds both DLQI and CDLQI, switched by the instrument item


DEFINITIONS: dict[str, Definition] = {
    d.qid: d
    for d in (
        Definition(
            "hsreg-patient-status",
            "PatientStatus",
            T("Hvordan har du det med huden?", "How is your skin?"),
            i.STATUS_GROUPS,
            True,
        ),
        Definition(
            "hsreg-patient-control-3m",
            "PatientControl3Months",
            T("Kontroll 3 måneder etter behandlingen", "Check-up 3 months after your treatment"),
            i.CONTROL_3M_GROUPS,
            True,
        ),
        Definition(
            "hsreg-patient-control-6m",
            "PatientControl6Months",
            T("Kontroll 6 måneder etter operasjonen", "Check-up 6 months after your operation"),
            i.CONTROL_6M_GROUPS,
            True,
        ),
        Definition(
            "dlqi",
            "DLQI",
            T("Livskvalitet og huden (DLQI)", "Dermatology Life Quality Index (DLQI)"),
            (i.DLQI,),
            False,
        ),
        Definition(
            "cdlqi",
            "CDLQI",
            T(
                "Livskvalitet og huden for barn (CDLQI)",
                "Children's Dermatology Life Quality Index (CDLQI)",
            ),
            (i.CDLQI,),
            False,
        ),
    )
}
QUESTIONNAIRE_IDS: tuple[str, ...] = tuple(DEFINITIONS)
FORM_QUESTIONNAIRE = {
    "status": "hsreg-patient-status",
    "control-3m": "hsreg-patient-control-3m",
    "control-6m": "hsreg-patient-control-6m",
}
COPYRIGHT = {"dlqi": t.DLQI_COPYRIGHT, "cdlqi": t.CDLQI_COPYRIGHT}


def system(name: str) -> str:
    """The URL of one of hsreg's code systems (HISREG's codes)."""
    return f"{CANONICAL}/CodeSystem/{name}"


def questionnaire_url(qid: str) -> str:
    return f"{CANONICAL}/Questionnaire/{qid}"


def _text(text: T, key: str = "text") -> dict[str, Any]:
    translation = {
        "url": TRANSLATION,
        "extension": [
            {"url": "lang", "valueCode": "en"},
            {"url": "content", "valueString": text.en},
        ],
    }
    return {key: text.nb, f"_{key}": {"extension": [translation]}}


def _coding(system_name: str, code: str, label: T) -> dict[str, Any]:
    return {"system": system(system_name), "code": code, **_text(label, "display")}


def _enable_when(condition: tuple[str, tuple[str, ...]], systems: dict[str, str]) -> dict[str, Any]:
    question, codes = condition
    found: dict[str, Any] = {
        "enableWhen": [
            {
                "question": question,
                "operator": "=",
                "answerCoding": {"system": system(systems[question]), "code": code},
            }
            for code in codes
        ]
    }
    if len(codes) > 1:
        found["enableBehavior"] = "any"
    return found


def _bounds(spec: i.Spec) -> list[dict[str, Any]]:
    if spec.kind not in ("decimal", "integer"):
        return []
    value = "valueDecimal" if spec.kind == "decimal" else "valueInteger"

    def number(x: float) -> float | int:
        return float(x) if spec.kind == "decimal" else int(x)

    found = []
    if spec.minimum is not None:
        found.append({"url": MIN_VALUE, value: number(spec.minimum)})
    if spec.maximum is not None:
        found.append({"url": MAX_VALUE, value: number(spec.maximum)})
    if spec.kind == "decimal":
        found.append({"url": MAX_DECIMALS, "valueInteger": 1})
    return found


def _question(spec: i.Spec, systems: dict[str, str]) -> list[dict[str, Any]]:
    item: dict[str, Any] = {
        "linkId": spec.link_id,
        **_text(spec.text),
        "type": spec.kind,
        # a question with "Don't know" is answered by either of its two items
        "required": spec.required and not spec.unknown_allowed,
    }
    if spec.enable_when:
        item.update(_enable_when(spec.enable_when, systems))
    if spec.options:
        item["answerOption"] = [
            {"valueCoding": _coding(spec.system, code, label)} for code, label in spec.options
        ]
    if extensions := _bounds(spec):
        item["extension"] = extensions
    if spec.kind == "string" and spec.maximum is not None:
        item["maxLength"] = int(spec.maximum)
    if spec.help is not None:
        item["item"] = [
            {
                "linkId": f"{spec.link_id}-help",
                **_text(spec.help),
                "type": "display",
                "extension": [
                    {
                        "url": ITEM_CONTROL,
                        "valueCodeableConcept": {
                            "coding": [
                                {
                                    "system": "http://hl7.org/fhir/questionnaire-item-control",
                                    "code": "help",
                                }
                            ]
                        },
                    }
                ],
            }
        ]
    found = [item]
    if spec.unknown_allowed:
        found.append(
            {
                "linkId": spec.link_id + UNKNOWN_SUFFIX,
                **_text(t.UNKNOWN),
                "type": "boolean",
                "required": False,
            }
        )
    return found


def _systems() -> dict[str, str]:
    found = {i.INSTRUMENT_LINK_ID: "instrument"}
    for groups in (i.CONTROL_6M_GROUPS,):
        for g in groups:
            found.update({s.link_id: s.system for s in g.items if s.system})
    return found


def _group(group: i.GroupSpec, switched: bool, systems: dict[str, str]) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": group.key, **_text(group.title), "type": "group"}
    if switched and group.instrument:
        item.update(_enable_when((i.INSTRUMENT_LINK_ID, (group.instrument,)), systems))
    children = []
    if group.note is not None:
        children.append({"linkId": f"{group.key}-note", **_text(group.note), "type": "display"})
    for spec in group.items:
        children.extend(_question(spec, systems))
    item["item"] = children
    return item


def _instrument_item() -> dict[str, Any]:
    return {
        "linkId": i.INSTRUMENT_LINK_ID,
        **_text(T("Spørreskjema om livskvalitet", "Quality-of-life questionnaire")),
        "type": "choice",
        "required": True,
        "readOnly": True,
        "extension": [{"url": HIDDEN, "valueBoolean": True}],
        "answerOption": [
            {"valueCoding": _coding("instrument", code, label)} for code, label in t.INSTRUMENT
        ],
    }


def instruments_of(qid: str) -> tuple[str, ...]:
    return tuple(g.instrument for g in DEFINITIONS[qid].groups if g.instrument)


@cache
def _build(qid: str) -> dict[str, Any]:
    definition = DEFINITIONS[qid]
    systems = _systems()
    items = [_instrument_item()] if definition.switched else []
    items.extend(_group(g, definition.switched, systems) for g in definition.groups)
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": qid,
        "language": "nb",
        "url": questionnaire_url(qid),
        "version": VERSION,
        "name": definition.name,
        **_text(definition.title, "title"),
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": "hsreg",
    }
    lines = [COPYRIGHT[name] for name in instruments_of(qid)]
    if lines:
        resource["copyright"] = "\n".join(lines)
    resource["item"] = items
    return resource


def questionnaire(qid: str) -> dict[str, Any]:
    """The FHIR R4 Questionnaire ``qid`` as JSON (a fresh copy); KeyError if unknown."""
    import copy  # noqa: PLC0415

    return copy.deepcopy(_build(qid))


def questionnaires() -> list[dict[str, Any]]:
    return [questionnaire(qid) for qid in QUESTIONNAIRE_IDS]


def questionnaire_id(form: str) -> str:
    """The Questionnaire id of an invitation's form (questionnaires.models.Form)."""
    return FORM_QUESTIONNAIRE[form]


def copyright_notice(instrument: str, lang: str) -> str:
    """The copyright line the authors require shown with their questionnaire ('' when none).
    The authors' wording is kept in English in both languages."""
    del lang  # the authors' line is shown as written
    return COPYRIGHT.get(instrument, "")


# --- the patient's page ---------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    link_id: str
    text: str
    kind: str  # "choice" | "decimal" | "integer" | "string"
    options: tuple[tuple[str, str], ...]
    required: bool
    unknown_allowed: bool
    minimum: float | None
    maximum: float | None
    help: str
    enable_when: tuple[str, tuple[str, ...]] | None


@dataclass(frozen=True)
class Screen:
    key: str
    title: str
    note: str
    questions: tuple[Question, ...]


def _screen_question(spec: i.Spec, lang: str) -> Question:
    return Question(
        link_id=spec.link_id,
        text=spec.text.get(lang),
        kind=spec.kind,
        options=tuple((code, label.get(lang)) for code, label in spec.options),
        required=spec.required,
        unknown_allowed=spec.unknown_allowed,
        minimum=spec.minimum,
        maximum=spec.maximum,
        help=spec.help.get(lang) if spec.help else "",
        enable_when=spec.enable_when,
    )


def groups_of(form: str, *, instrument: str) -> tuple[i.GroupSpec, ...]:
    """The groups a patient of ``instrument`` is asked in ``form`` (a Form value or a
    Questionnaire id)."""
    qid = FORM_QUESTIONNAIRE.get(form, form)
    return tuple(
        g for g in DEFINITIONS[qid].groups if not g.instrument or g.instrument == instrument
    )


def screens(form: str, *, instrument: str, lang: str) -> list[Screen]:
    """The screens of the patient's page: one question group each, in ``lang`` ("nb"|"en");
    only the quality-of-life group of ``instrument`` (XB-6)."""
    return [
        Screen(
            key=g.key,
            title=g.title.get(lang),
            note=g.note.get(lang) if g.note else "",
            questions=tuple(_screen_question(s, lang) for s in g.items),
        )
        for g in groups_of(form, instrument=instrument)
    ]
