"""The patient's answers: checked per screen, stored in the registry's PatientReport, read
back as a FHIR QuestionnaireResponse and from one (issue 13; XB-6 for the CDLQI)."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hsreg.assessments.models import PatientReport
from hsreg.assessments.scoring import report_dlqi_total
from hsreg.patients.national_id import synthetic_number
from hsreg.patients.services import register_patient
from hsreg.questionnaires.answers import (
    as_data,
    first_incomplete,
    from_response,
    instrument_for,
    report_fields,
    to_response,
    validate_screen,
)
from hsreg.questionnaires.definitions import screens
from hsreg.units.models import Unit

BASE = {
    "smoking": "2",
    "work": "1",
    "boils_last_4_weeks": "3",
    "worst_boil_pain": "7.5",
    "vas_total": "unknown",
    "vas_axilla_right": "4",
    "vas_axilla_left": "0",
    "vas_groin_right": "10",
    "vas_groin_left": "2.5",
    "vas_other": "unknown",
}
DLQI = {f"dlqi_{n}": code for n, code in zip(range(1, 11), "1234512345", strict=True)}
DLQI["dlqi_7"] = "0"
DLQI["dlqi_7_problems"] = "3"
CDLQI = {f"cdlqi_{n}": code for n, code in zip(range(1, 11), "1234123412", strict=True)}
del CDLQI["cdlqi_7"]
CDLQI |= {"cdlqi_7_period": "1", "cdlqi_7_school": "6"}
FOLLOW_UP = {
    "satisfaction": "2",
    "would_repeat": "1",
    "would_recommend": "9",
    "still_on_treatment": "0",
    "stop_reason": "2",
    "stop_adverse_effect": "4",
}
COMPLICATIONS = {
    "wound_infection": "0",
    "delayed_healing": "1",
    "scar_problems": "9",
    "nerve_damage": "0",
    "sepsis": "0",
    "bleeding": "0",
    "other_complications": "1",
    "other_complications_text": "Hevelse i armen",
}
FORMS = {
    "status": {},
    "control-3m": {**FOLLOW_UP, **COMPLICATIONS},  # HISREG asks them at 3 months too
    "control-6m": {**FOLLOW_UP, **COMPLICATIONS},
}
OCCASION = {"status": "pre", "control-3m": "3m", "control-6m": "6m"}


@pytest.fixture
def unit(db):
    return Unit.objects.create(
        resh_id=102959, name="Hudavdelingen", health_trust="HB", region="vest"
    )


def number_for(born: date, n: int = 1) -> str:
    """A synthetic id number for ``born`` (individual numbers 500-999 for 2000-2039)."""
    individual = (500 if born.year >= 2000 else 0) + n
    while (number := synthetic_number(born, individual)) is None:
        individual += 1
    return number


def patient_born(unit, born: date, n: int = 1):
    return register_patient(
        unit=unit, national_id=number_for(born, n), first_name="Kari", last_name="Nordmann"
    )


def answers_for(form: str, instrument: str) -> dict[str, str]:
    return {**BASE, **(DLQI if instrument == "dlqi" else CDLQI), **FORMS[form]}


def test_instrument_for_is_cdlqi_under_16_on_the_date_xb6(unit):
    child = patient_born(unit, date(2010, 6, 15))
    assert instrument_for(child, date(2026, 6, 14)) == "cdlqi"
    assert instrument_for(child, date(2026, 6, 15)) == "dlqi"


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("instrument", ["dlqi", "cdlqi"])
def test_answers_round_trip_through_the_report_and_fhir(unit, form, instrument):
    born = date(2014, 1, 1) if instrument == "cdlqi" else date(1985, 3, 14)
    patient = patient_born(unit, born)
    answers = answers_for(form, instrument)
    assert first_incomplete(form, instrument=instrument, answers=answers) is None
    fields = report_fields(form=form, instrument=instrument, answers=answers)
    report = PatientReport(
        patient=patient,
        unit=unit,
        date=date(2026, 5, 4),
        occasion=OCCASION[form],
        dlqi_instrument=instrument,
        reported_by="patient",
        reported_channel="sms",
        reported_at=datetime(2026, 5, 4, 8, 30, tzinfo=UTC),
        **fields,
    )
    report.dlqi_total = report_dlqi_total(report)
    report.full_clean(exclude=["created_by"])
    report.save()
    report.refresh_from_db()
    resource = to_response(report)
    parsed = QuestionnaireResponse.model_validate(resource)
    assert parsed.status == "completed"
    assert resource["subject"] == {"reference": f"Patient/{patient.pk}"}
    assert resource["authored"].startswith("2026-05-04T08:30")
    assert resource["questionnaire"].startswith("https://hsreg.no/fhir/Questionnaire/hsreg-patient")
    text = str(resource)
    assert "Kari" not in text
    assert "Nordmann" not in text
    assert patient.national_id not in text
    back_form, back = from_response(resource)
    assert back_form == form
    assert back == {**answers, "instrument": instrument}


def test_report_fields_store_pain_unknown_and_the_dlqi_follow_up():
    fields = report_fields(form="status", instrument="dlqi", answers=answers_for("status", "dlqi"))
    assert fields["worst_boil_pain"] == Decimal("7.5")
    assert fields["vas_total"] is None
    assert fields["vas_total_unknown"] is True
    assert fields["vas_groin_right"] == Decimal("10.0")
    assert not fields["vas_groin_right_unknown"]
    assert fields["dlqi_7"] == 0
    assert fields["dlqi_7_problems"] == 3
    assert fields["boils_last_4_weeks"] == 3
    assert "dlqi_instrument" not in fields


def test_report_fields_store_cdlqi_item_7_xb6():
    answers = answers_for("status", "cdlqi") | {"cdlqi_7_period": "2", "cdlqi_7_holiday": "3"}
    del answers["cdlqi_7_school"]
    fields = report_fields(form="status", instrument="cdlqi", answers=answers)
    assert fields["cdlqi_7_period"] == 2
    assert fields["cdlqi_7"] == 3
    assert fields["dlqi_1"] == 1
    assert fields["dlqi_10"] == 2
    assert "dlqi_7" not in fields


def test_report_fields_refuse_incomplete_answers():
    answers = answers_for("status", "dlqi")
    del answers["dlqi_4"]
    with pytest.raises(ValidationError) as raised:
        report_fields(form="status", instrument="dlqi", answers=answers)
    assert "dlqi_4" in raised.value.message_dict
    assert first_incomplete(form="status", instrument="dlqi", answers=answers) == 2
    assert first_incomplete(form="status", instrument="dlqi", answers={}) == 0


def test_answers_to_questions_not_asked_are_dropped():
    screen = screens("status", instrument="dlqi", lang="nb")[2]
    data = {**DLQI, "dlqi_7": "1", "dlqi_7_problems": "2"}
    answers, errors = validate_screen(screen, data, earlier={}, lang="nb")
    assert errors == {}
    assert "dlqi_7_problems" not in answers


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("11", "from 0 to 10"),
        ("-1", "from 0 to 10"),
        ("4.55", "at most one decimal"),
        ("abc", "from 0 to 10"),
        ("", "answer this question"),
    ],
)
def test_pain_is_refused_with_a_reason(value, reason):
    screen = screens("status", instrument="dlqi", lang="en")[1]
    _answers, errors = validate_screen(
        screen, as_data({**BASE, "vas_total": value}), earlier={}, lang="en"
    )
    assert reason in errors["vas_total"].lower()


def test_pain_accepts_a_comma_and_the_unknown_box_but_not_both():
    screen = screens("status", instrument="dlqi", lang="nb")[1]
    answers, errors = validate_screen(
        screen, as_data({**BASE, "vas_total": "4,5"}), earlier={}, lang="nb"
    )
    assert answers["vas_total"] == "4.5"
    assert errors == {}
    data = {**as_data(BASE), "vas_total": "", "vas_total-unknown": "1"}
    assert validate_screen(screen, data, earlier={}, lang="nb")[0]["vas_total"] == "unknown"
    data = {**as_data({**BASE, "vas_total": "3"}), "vas_total-unknown": "on"}
    assert "Vet ikke" in validate_screen(screen, data, earlier={}, lang="nb")[1]["vas_total"]


def test_errors_are_in_the_pages_language():
    screen = screens("status", instrument="dlqi", lang="nb")[0]
    assert validate_screen(screen, {}, earlier={}, lang="nb")[1]["smoking"] == (
        "Svar på dette spørsmålet."
    )
    assert validate_screen(screen, {"smoking": "7"}, earlier={}, lang="en")[1]["smoking"] == (
        "Please choose one of the answers."
    )


ALL_SCREENS = [
    screen
    for form in FORMS
    for instrument in ("dlqi", "cdlqi")
    for screen in screens(form, instrument=instrument, lang="en")
]
ODD_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["1", "0", "9", "5", "6", "4.5", "10,0", "1e3", "NaN", "Infinity", "\x00", " 3 "]
    ),
)
KEYS = sorted({q.link_id for s in ALL_SCREENS for q in s.questions})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    screen=st.sampled_from(ALL_SCREENS),
    data=st.dictionaries(
        st.one_of(
            st.sampled_from(KEYS), st.sampled_from([f"{k}-unknown" for k in KEYS]), st.text()
        ),
        st.one_of(ODD_TEXT, st.none(), st.integers(), st.lists(ODD_TEXT, max_size=2)),
    ),
    lang=st.sampled_from(["nb", "en"]),
)
def test_validate_screen_never_raises_and_errors_name_the_question(screen, data, lang):
    answers, errors = validate_screen(screen, data, earlier={}, lang=lang)
    link_ids = {q.link_id for q in screen.questions}
    assert set(errors) <= link_ids
    assert set(answers) <= link_ids
    assert not set(answers) & set(errors)
    assert all(isinstance(m, str) and m for m in errors.values())
    by_id = {q.link_id: q for q in screen.questions}
    for link_id, value in answers.items():
        question = by_id[link_id]
        if question.kind == "choice":
            assert value in dict(question.options)
        elif question.kind in ("decimal", "integer") and value != "unknown":
            assert question.minimum <= Decimal(value) <= question.maximum


def a_response() -> dict:
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": "https://hsreg.no/fhir/Questionnaire/hsreg-patient-status",
        "status": "completed",
        "subject": {"reference": "Patient/1"},
        "item": [
            {
                "linkId": "instrument",
                "answer": [
                    {
                        "valueCoding": {
                            "system": "https://hsreg.no/fhir/CodeSystem/instrument",
                            "code": "dlqi",
                        }
                    }
                ],
            },
            {
                "linkId": "smoking-work",
                "item": [
                    {
                        "linkId": "smoking",
                        "answer": [
                            {
                                "valueCoding": {
                                    "system": "https://hsreg.no/fhir/CodeSystem/smoking",
                                    "code": "1",
                                }
                            }
                        ],
                    },
                    {
                        "linkId": "work",
                        "answer": [
                            {
                                "valueCoding": {
                                    "system": "https://hsreg.no/fhir/CodeSystem/work",
                                    "code": "1",
                                }
                            }
                        ],
                    },
                ],
            },
        ],
    }


def test_from_response_names_the_item_path_of_a_wrong_answer():
    resource = a_response()
    resource["item"][1]["item"][1]["answer"][0]["valueCoding"]["code"] = "8"
    with pytest.raises(ValidationError) as raised:
        from_response(resource)
    assert "QuestionnaireResponse.item[1].item[1].answer[0]" in raised.value.message_dict


def test_from_response_names_missing_questions_and_unknown_items():
    resource = a_response()
    resource["item"][1]["item"].append({"linkId": "shoe_size", "answer": [{"valueInteger": 4}]})
    with pytest.raises(ValidationError) as raised:
        from_response(resource)
    assert "QuestionnaireResponse.item[1].item[2]" in raised.value.message_dict
    del resource["item"][1]["item"][2]
    with pytest.raises(ValidationError) as raised:
        from_response(resource)
    assert "QuestionnaireResponse.item (linkId boils_last_4_weeks)" in raised.value.message_dict


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (
            lambda r: r.update(questionnaire="https://example.org/Questionnaire/x"),
            "QuestionnaireResponse.questionnaire",
        ),
        (lambda r: r.update(status="in-progress"), "QuestionnaireResponse.status"),
        (lambda r: r.update(resourceType="Patient"), "QuestionnaireResponse"),
        (
            lambda r: r["item"][0]["answer"].append({"valueString": "x"}),
            "QuestionnaireResponse.item[0].answer",
        ),
    ],
)
def test_from_response_refuses_what_it_cannot_read(change, path):
    resource = copy.deepcopy(a_response())
    change(resource)
    with pytest.raises(ValidationError) as raised:
        from_response(resource)
    assert path in raised.value.message_dict


def test_from_response_refuses_a_structurally_invalid_resource():
    resource = a_response()
    resource["item"][1]["item"][0]["answer"][0] = {"valueDecimal": "many"}
    with pytest.raises(ValidationError) as raised:
        from_response(resource)
    assert any(p.startswith("QuestionnaireResponse.item") for p in raised.value.message_dict)
