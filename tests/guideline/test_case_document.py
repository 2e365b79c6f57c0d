"""The case document: bad input is refused with one problem per field, naming its path, and
the JSON Schema of `hsreg schema` accepts and refuses the same documents as the parser."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from hsreg.guideline import DRUGS, CaseError, case_json_schema, evaluate, load_json

from .builders import case, visit

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.json"))


def problems(document: Any) -> list[str]:
    with pytest.raises(CaseError) as caught:
        evaluate(document)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("assessment", "expected"),
    [
        (
            {"nodules": -1},
            "assessments[0].nodules: must be a whole number >= 0",
        ),
        (
            {"nodules": 2.5},
            "assessments[0].nodules: must be a whole number >= 0",
        ),
        (
            {"abscesses": "3"},
            "assessments[0].abscesses: must be a whole number >= 0",
        ),
        (
            {"draining_tunnels": True},
            "assessments[0].draining_tunnels: must be a whole number >= 0",
        ),
        (
            {"dlqi": 31},
            "assessments[0].dlqi: must be a whole number from 0 to 30",
        ),
        (
            {"dlqi": -1},
            "assessments[0].dlqi: must be a whole number from 0 to 30",
        ),
        (
            {"hurley": 4},
            "assessments[0].hurley: must be 1, 2 or 3 (Hurley stage)",
        ),
        (
            {"hurley": 0},
            "assessments[0].hurley: must be 1, 2 or 3 (Hurley stage)",
        ),
        (
            {"pain_vas": 10.5},
            "assessments[0].pain_vas: must be a number from 0 to 10",
        ),
        (
            {"inflammatory_activity": "high"},
            "assessments[0].inflammatory_activity: must be one of: mild, moderate, severe",
        ),
        (
            {"dlqi_items": [1] * 9},
            "assessments[0].dlqi_items: must have exactly 10 items",
        ),
        (
            {"dlqi_items": [1] * 9 + [4]},
            "assessments[0].dlqi_items[9]: must be a whole number from 0 to 3, or null",
        ),
        (
            {"date": "2025-02-30"},
            "assessments[0].date: must be a date that exists in the calendar (YYYY-MM-DD)",
        ),
        (
            {"date": "2025-01-01T10:00:00"},
            "assessments[0].date: must be a date written YYYY-MM-DD",
        ),
        (
            {"date": "01.02.2025"},
            "assessments[0].date: must be a date written YYYY-MM-DD",
        ),
        (
            {"nodlues": 3},
            "assessments[0].nodlues: is not a known field (hsreg schema lists the fields)",
        ),
    ],
)
def test_bad_values_name_their_field(assessment: dict[str, Any], expected: str) -> None:
    document = case(assessments=[{**visit("2025-01-10", 1, 1, 1), **assessment}])
    assert problems(document) == [expected]


def test_every_problem_is_reported_at_once() -> None:
    document = case(
        patient={"birth_date": "1980-13-01", "weight_kg": -3},
        assessments=[visit("2025-01-10", -1, 1, 1, hurley=5)],
        treatments=[{"drug": "aspirin", "start": "2025-01-01"}],
    )
    assert problems(document) == [
        "patient.birth_date: must be a date that exists in the calendar (YYYY-MM-DD)",
        "patient.weight_kg: must be a number of kilograms above 0 and at most 500",
        "assessments[0].nodules: must be a whole number >= 0",
        "assessments[0].hurley: must be 1, 2 or 3 (Hurley stage)",
        "treatments[0].drug: must be a drug id of the catalog (hsreg drugs lists them)",
    ]


@pytest.mark.parametrize("height", [1e-160, 0.001, 29.99, 300.01])
def test_a_height_no_person_has_is_refused_not_a_crash(height: float) -> None:
    """A height near 0 made the BMI overflow (found by schemathesis on /api/evaluate)."""
    document = case(patient={"birth_date": "1980-01-01", "weight_kg": 100, "height_cm": height})
    assert problems(document) == [
        "patient.height_cm: must be a number of centimetres from 30 to 300"
    ]


@pytest.mark.parametrize("height", [30, 300])
def test_the_heights_at_the_bounds_are_taken(height: float) -> None:
    document = case(patient={"birth_date": "1980-01-01", "weight_kg": 100, "height_cm": height})
    assert evaluate(document).as_of is not None


def test_required_fields() -> None:
    assert problems({"as_of": "2026-01-01"}) == ["patient: is required"]
    assert problems({"patient": {}}) == ["patient.birth_date: is required"]
    assert problems(case(treatments=[{"drug": "adalimumab"}])) == [
        "treatments[0].start: is required"
    ]
    assert problems(case(assessments=[{"nodules": 1}])) == ["assessments[0].date: is required"]


def test_wrong_shapes() -> None:
    assert problems([]) == ["(document): must be an object"]
    assert problems(case(assessments={"date": "2025-01-01"})) == ["assessments: must be a list"]
    assert problems(case(screening=[])) == ["screening: must be an object"]
    assert problems(case(diagnosis={"typical_lesions": "yes"})) == [
        "diagnosis.typical_lesions: must be true or false"
    ]


def test_rg3_counts_are_required_unless_regions_are_given() -> None:
    document = case(assessments=[{"date": "2025-01-10", "nodules": 2}])
    assert problems(document) == [
        "assessments[0].abscesses: is required when no regions are given",
        "assessments[0].draining_tunnels: is required when no regions are given",
    ]


def test_rg3_region_sums_that_disagree_with_the_totals_are_an_error() -> None:
    regions = [
        {"region": "axilla_left", "nodules": 2, "abscesses": 1, "draining_tunnels": 0, "hurley": 2},
        {"region": "groin_right", "nodules": 3, "abscesses": 0, "draining_tunnels": 1, "hurley": 3},
    ]
    document = case(assessments=[visit("2025-01-10", 5, 2, 1, hurley=2, regions=regions)])
    assert problems(document) == [
        "assessments[0].abscesses: must equal the sum over the regions (1)",
        "assessments[0].hurley: must equal the worst region's stage (3)",
    ]


def test_rg3_a_region_named_twice_is_an_error() -> None:
    region = {"region": "perianal", "nodules": 1, "abscesses": 0, "draining_tunnels": 0}
    document = case(assessments=[{"date": "2025-01-10", "regions": [region, region]}])
    assert problems(document) == ["assessments[0].regions[1].region: appears more than once"]


def test_rg3_dlqi_total_must_match_its_items() -> None:
    document = case(assessments=[visit("2025-01-10", dlqi=12, dlqi_items=[1] * 10)])
    assert problems(document) == ["assessments[0].dlqi: must equal the total of dlqi_items (10)"]


def test_dates_that_contradict_each_other() -> None:
    document = case(
        as_of="2025-06-01",
        assessments=[visit("2025-07-01")],
        treatments=[
            {"drug": "doxycycline", "start": "2025-03-01", "end": "2025-02-01"},
            {"drug": "tetracycline", "start": "2025-01-01", "stop_reason": "adverse_effect"},
            {"drug": "infliximab", "start": "2025-01-01", "regimen": "weekly_40"},
        ],
        vaccinations=[{"vaccine": "influenza", "date": "2025-09-01", "live": False}],
        lab_checks=["2025-06-02"],
    )
    assert problems(document) == [
        "assessments[0].date: must not be after as_of",
        "treatments[0].end: must not be before start",
        "treatments[1].stop_reason: needs an end date",
        "treatments[2].regimen: applies to adalimumab only",
        "vaccinations[0].date: must not be after as_of",
        "lab_checks[0]: must not be after as_of",
    ]
    assert problems(case(as_of="2025-01-01", patient={"birth_date": "2025-02-01"})) == [
        "patient.birth_date: must not be after as_of"
    ]


def test_two_assessments_on_one_date_are_refused() -> None:
    """Which one is the latest would otherwise depend on their order in the document."""
    document = case(assessments=[visit("2025-01-10", 4), visit("2025-02-01"), visit("2025-01-10")])
    assert problems(document) == ["assessments[2].date: is the date of assessments[0] too"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "(document): invalid JSON at line 1 column 2: Expecting property name enclosed in double quotes"),
        ('{"as_of": NaN}', "(document): invalid JSON: NaN is not a JSON number"),
        ('{"a": 1, "a": 2}', "(document): invalid JSON: duplicate key 'a'"),
        (b"\xff\xfe{", "(document): invalid JSON"),
        ("[" * 100_000, "(document): invalid JSON: nested too deeply"),
    ],
)  # fmt: skip
def test_invalid_json_is_one_problem(text: str | bytes, message: str) -> None:
    with pytest.raises(CaseError) as caught:
        load_json(text)
    assert next(str(p) for p in caught.value.problems).startswith(message)


def test_python_api_raises_one_documented_exception_type() -> None:
    with pytest.raises(CaseError) as caught:
        evaluate(case(assessments=[visit("2025-01-10", -1)]))
    assert isinstance(caught.value, ValueError)
    assert caught.value.problems[0].as_dict() == {
        "path": "assessments[0].nodules",
        "message": "must be a whole number >= 0",
    }


def test_messages_never_repeat_the_value() -> None:
    """A problem may be logged; it must not carry a birth date or other personal data."""
    [message] = problems(case(patient={"birth_date": "1980-02-30"}))
    assert "1980" not in message


# --- the JSON Schema --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = case_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_schema_accepts_the_examples(validator: jsonschema.Validator, path: Path) -> None:
    validator.validate(json.loads(path.read_text()))


@pytest.mark.parametrize(
    "bad",
    [
        {"assessments": [visit("2025-01-10", -1)]},
        {"assessments": [visit("2025-01-10", dlqi=31)]},
        {"assessments": [visit("2025-01-10", hurley=4)]},
        {"assessments": [visit("2025-02-30")]},
        {"treatments": [{"drug": "aspirin", "start": "2025-01-01"}]},
        {"screening": {"heart_failure_nyha": 5}},
        {"unknown": 1},
    ],
)
def test_schema_refuses_what_the_parser_refuses(
    validator: jsonschema.Validator, bad: dict[str, Any]
) -> None:
    document = case(**bad)
    assert list(validator.iter_errors(document))
    assert problems(document)


def test_schema_lists_the_drug_catalog() -> None:
    schema = case_json_schema()
    drug = schema["$defs"]["Treatment"]["properties"]["drug"]
    assert drug["enum"] == list(DRUGS)
