"""The patient's questionnaires, defined once: FHIR R4 Questionnaires that fhir.resources
accepts, and the screens of the patient's page built from the same definition (issue 13)."""

from __future__ import annotations

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from hsreg.questionnaires.definitions import (
    CANONICAL,
    QUESTIONNAIRE_IDS,
    copyright_notice,
    questionnaire,
    questionnaire_id,
    questionnaires,
    screens,
)

TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
DLQI_LINE = (
    "© Dermatology Life Quality Index. A Y Finlay, G K Khan, April 1992 www.dermatology.org.uk, "
    "this must not be copied without the permission of the authors."
)
CDLQI_LINE = (
    "© M.S. Lewis-Jones, A.Y. Finlay, May 1993, This must not be copied without the "
    "permission of the authors."
)


def walk(items):
    for item in items:
        yield item
        yield from walk(item.get("item", []))


def test_the_five_questionnaires_are_defined():
    assert QUESTIONNAIRE_IDS == (
        "hsreg-patient-status",
        "hsreg-patient-control-3m",
        "hsreg-patient-control-6m",
        "dlqi",
        "cdlqi",
    )
    assert [q["id"] for q in questionnaires()] == list(QUESTIONNAIRE_IDS)
    with pytest.raises(KeyError):
        questionnaire("phq-9")


@pytest.mark.parametrize("qid", QUESTIONNAIRE_IDS)
def test_every_questionnaire_validates_with_fhir_resources(qid):
    resource = questionnaire(qid)
    parsed = Questionnaire.model_validate(resource)
    assert parsed.id == qid
    assert parsed.language == "nb"
    assert parsed.status == "active"
    assert resource["url"] == f"{CANONICAL}/Questionnaire/{qid}"
    link_ids = [item["linkId"] for item in walk(resource["item"])]
    assert len(link_ids) == len(set(link_ids)), "linkIds are unique"


@pytest.mark.parametrize("qid", QUESTIONNAIRE_IDS)
def test_every_text_has_an_english_translation(qid):
    resource = questionnaire(qid)
    for item in walk(resource["item"]):
        extension = item["_text"]["extension"][0]
        assert extension["url"] == TRANSLATION
        assert {"url": "lang", "valueCode": "en"} in extension["extension"]
        for option in item.get("answerOption", []):
            coding = option["valueCoding"]
            assert coding["system"].startswith(f"{CANONICAL}/CodeSystem/")
            assert coding["_display"]["extension"][0]["url"] == TRANSLATION


def test_each_group_is_one_screen():
    resource = questionnaire("hsreg-patient-control-6m")
    groups = [item["linkId"] for item in resource["item"] if item["type"] == "group"]
    assert groups == ["smoking-work", "boils-pain", "dlqi", "cdlqi", "follow-up", "complications"]
    shown = [s.key for s in screens("control-6m", instrument="dlqi", lang="nb")]
    assert shown == ["smoking-work", "boils-pain", "dlqi", "follow-up", "complications"]
    assert [s.key for s in screens("status", instrument="cdlqi", lang="nb")] == [
        "smoking-work",
        "boils-pain",
        "cdlqi",
    ]
    # HISREG asks the complications at both controls (Pasient 3 mnd, Pasient 6 mnd)
    assert [s.key for s in screens("control-3m", instrument="dlqi", lang="nb")][
        -1
    ] == "complications"


def test_dlqi_and_cdlqi_groups_are_switched_by_the_hidden_instrument_item_xb6():
    resource = questionnaire("hsreg-patient-status")
    instrument = resource["item"][0]
    assert instrument["linkId"] == "instrument"
    assert instrument["readOnly"] is True
    assert instrument["extension"] == [
        {
            "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden",
            "valueBoolean": True,
        }
    ]
    by_id = {item["linkId"]: item for item in resource["item"]}
    for group in ("dlqi", "cdlqi"):
        (condition,) = by_id[group]["enableWhen"]
        assert condition["question"] == "instrument"
        assert condition["answerCoding"]["code"] == group
    assert "enableWhen" not in by_id["smoking-work"]


def test_dlqi_item_7_has_finlays_follow_up():
    items = {i["linkId"]: i for i in walk(questionnaire("dlqi")["item"])}
    codes = [o["valueCoding"]["code"] for o in items["dlqi_7"]["answerOption"]]
    assert codes == ["1", "0", "5"]
    follow = items["dlqi_7_problems"]
    assert [o["valueCoding"]["display"] for o in follow["answerOption"]] == [
        "Mye",
        "Litt",
        "Ikke i det hele tatt",
    ]
    assert follow["enableWhen"][0]["question"] == "dlqi_7"
    assert follow["enableWhen"][0]["answerCoding"]["code"] == "0"


def test_cdlqi_item_7_asks_school_or_holiday_first():
    items = {i["linkId"]: i for i in walk(questionnaire("cdlqi")["item"])}
    assert (
        "school time"
        in items["cdlqi_7_period"]["_text"]["extension"][0]["extension"][1]["valueString"]
    )
    school = [o["valueCoding"]["code"] for o in items["cdlqi_7_school"]["answerOption"]]
    holiday = [o["valueCoding"]["code"] for o in items["cdlqi_7_holiday"]["answerOption"]]
    assert school == ["6", "1", "2", "3", "4"]
    assert holiday == ["1", "2", "3", "4"]
    en = screens("status", instrument="cdlqi", lang="en")[2]
    texts = " ".join(q.text for q in en.questions)
    for words in ("friendships", "clothes/shoes", "swimming", "bullying", "sleep"):
        assert words in texts
    assert dict(en.questions[0].options)["2"] == "Quite a lot"


def test_copyright_lines_are_as_the_authors_require():
    assert questionnaire("dlqi")["copyright"] == DLQI_LINE
    assert questionnaire("cdlqi")["copyright"] == CDLQI_LINE
    assert questionnaire("hsreg-patient-status")["copyright"] == f"{DLQI_LINE}\n{CDLQI_LINE}"
    assert copyright_notice("dlqi", "nb") == DLQI_LINE
    assert copyright_notice("cdlqi", "en") == CDLQI_LINE
    assert copyright_notice("none", "nb") == ""


def test_screens_in_bokmal_and_english_speak_to_the_patient():
    nb = screens("control-3m", instrument="dlqi", lang="nb")
    en = screens("control-3m", instrument="dlqi", lang="en")
    assert nb[0].questions[0].text == "Røyker du?"
    assert en[0].questions[0].text == "Do you smoke?"
    assert nb[2].title == "Hudsykdommen din den siste uken (DLQI)"
    assert en[2].title == "Your skin condition over the last week (DLQI)"
    for qid in QUESTIONNAIRE_IDS:
        resource = questionnaire(qid)
        for text in [resource["title"], *(i["text"] for i in walk(resource["item"]))]:
            lowered = text.lower()
            for word in ("hidradenitt", "hisreg", "hsreg", "register"):
                assert word not in lowered, (qid, text)


def test_pain_is_zero_to_ten_with_dont_know():
    boils = screens("status", instrument="dlqi", lang="en")[1]
    pain = {q.link_id: q for q in boils.questions}
    assert pain["vas_total"].kind == "decimal"
    assert (pain["vas_total"].minimum, pain["vas_total"].maximum) == (0, 10)
    assert pain["vas_total"].unknown_allowed
    assert "0 means no pain" in pain["vas_total"].help
    items = {i["linkId"]: i for i in walk(questionnaire("hsreg-patient-status")["item"])}
    assert items["vas_total-unknown"]["type"] == "boolean"


def test_forms_map_to_questionnaires():
    assert questionnaire_id("status") == "hsreg-patient-status"
    assert questionnaire_id("control-3m") == "hsreg-patient-control-3m"
    assert questionnaire_id("control-6m") == "hsreg-patient-control-6m"


def test_follow_up_branches_as_the_clinics_form():
    follow = {
        q.link_id: q for q in screens("control-3m", instrument="dlqi", lang="nb")[3].questions
    }
    assert follow["dose_change"].enable_when == ("still_on_treatment", ("1",))
    assert follow["stop_reason"].enable_when == ("still_on_treatment", ("0",))
    assert follow["stop_adverse_effect"].enable_when == ("stop_reason", ("2",))
