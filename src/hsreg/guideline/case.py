"""The case document: what the guideline engine is told about one patient.

These models are the input contract. The same definitions validate a document and produce its
JSON Schema (`hsreg schema`), so the two cannot disagree. Each leaf type carries the message a
user sees when a value is wrong (``must be a whole number >= 0``); what depends on several
fields (region sums, dates after ``as_of``) is checked in `history.py`.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError

from .catalog import BIOLOGICS, DRUGS, FundingStatus
from .problems import DOCUMENT, CaseError, Problem, problems_from


def _explained(message: str) -> WrapValidator:
    """Replaces whatever pydantic says about a bad value by ``message``."""

    def validate(value: object, handler: ValidatorFunctionWrapHandler) -> object:
        try:
            return handler(value)
        except ValidationError as error:
            raise PydanticCustomError("invalid_value", message) from error

    return WrapValidator(validate)


def _one_of(literal: object) -> WrapValidator:
    choices = ", ".join(str(v) for v in get_args(literal))
    return _explained(f"must be one of: {choices}")


def _iso_date(value: object, handler: ValidatorFunctionWrapHandler) -> date:
    """A date written ``YYYY-MM-DD`` (or a `date` from Python) that exists in the calendar."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "invalid_date", "must be a date that exists in the calendar (YYYY-MM-DD)"
            ) from None
    raise PydanticCustomError("invalid_date", "must be a date written YYYY-MM-DD")


def _known_drug(value: str) -> str:
    if value not in DRUGS:
        raise ValueError("unknown drug")
    return value


def _known_biologic(value: str) -> str:
    if value not in BIOLOGICS:
        raise ValueError("not a biologic")
    return value


IsoDate = Annotated[date, WrapValidator(_iso_date)]
Count = Annotated[int, Field(strict=True, ge=0), _explained("must be a whole number >= 0")]
Flag = Annotated[bool, Field(strict=True), _explained("must be true or false")]
HurleyStage = Annotated[
    int, Field(strict=True, ge=1, le=3), _explained("must be 1, 2 or 3 (Hurley stage)")
]
DlqiScore = Annotated[
    int, Field(strict=True, ge=0, le=30), _explained("must be a whole number from 0 to 30")
]
DlqiItem = Annotated[
    int, Field(strict=True, ge=0, le=3), _explained("must be a whole number from 0 to 3, or null")
]
Vas = Annotated[
    float,
    Field(strict=True, ge=0, le=10, allow_inf_nan=False),
    _explained("must be a number from 0 to 10"),
]
WeightKg = Annotated[
    float,
    Field(strict=True, gt=0, le=500, allow_inf_nan=False),
    _explained("must be a number of kilograms above 0 and at most 500"),
]
#: a height from 30 cm: below it no person is measured, and a height near 0 would make the
#: BMI (weight / height²) overflow rather than be refused
HeightCm = Annotated[
    float,
    Field(strict=True, ge=30, le=300, allow_inf_nan=False),
    _explained("must be a number of centimetres from 30 to 300"),
]
DistanceCm = Annotated[
    float,
    Field(strict=True, ge=0, le=1000, allow_inf_nan=False),
    _explained("must be a number of centimetres >= 0"),
]
Nyha = Annotated[
    int,
    Field(strict=True, ge=0, le=4),
    _explained("must be a whole number from 0 to 4 (0 = no heart failure)"),
]
DrugId = Annotated[
    str,
    Field(strict=True, json_schema_extra={"enum": list(DRUGS)}),
    AfterValidator(_known_drug),
    _explained("must be a drug id of the catalog (hsreg drugs lists them)"),
]
BiologicId = Annotated[
    str,
    Field(strict=True, json_schema_extra={"enum": list(BIOLOGICS)}),
    AfterValidator(_known_biologic),
    _explained(f"must be a biologic of the catalog: {', '.join(BIOLOGICS)}"),
]
VaccineId = Annotated[
    str,
    Field(strict=True, min_length=1, max_length=64),
    _explained("must be a vaccine id such as influenza, pneumococcal or dtap_ipv"),
]

SexId = Literal["female", "male", "other"]
SmokingId = Literal["current", "former", "never"]
ComorbidityId = Literal[
    "metabolic_syndrome",
    "cardiovascular",
    "ibd",
    "spondyloarthropathy",
    "depression",
    "diabetes",
    "hypertension",
    "other",
]
RegionId = Literal[
    "axilla_left",
    "axilla_right",
    "groin_left",
    "groin_right",
    "gluteal_left",
    "gluteal_right",
    "inframammary_left",
    "inframammary_right",
    "genital",
    "perianal",
    "other",
]
ActivityId = Literal["mild", "moderate", "severe"]
StopReasonId = Literal[
    "inadequate_effect",
    "adverse_effect",
    "inadequate_effect_and_adverse_effect",
    "remission",
    "surgery",
    "patient_wish",
    "other",
]
RegimenId = Literal["weekly_40", "biweekly_80"]
TestId = Literal[
    "hemoglobin",
    "leukocytes_differential",
    "platelets",
    "alt",
    "alp",
    "ggt",
    "creatinine",
    "crp",
    "hiv",
    "hepatitis_b",
    "hepatitis_c",
    "igra",
    "urine_dipstick",
    "chest_xray",
]
IgraId = Literal["positive", "negative"]
XrayId = Literal["normal", "abnormal"]
SerologyId = Literal["negative", "positive"]
FindingId = Literal["normal", "abnormal"]
# What the medical history says about earlier antibiotics as tablets or injections (the
# registry's ANTIBIOTIC_USE codes 0-3; "don't know" is left out, as null).
AntibioticUseId = Literal["no", "more_than_3_months", "less_than_3_months", "last_2_weeks"]

SCREENING_TESTS: tuple[TestId, ...] = get_args(TestId)
REGIONS: tuple[RegionId, ...] = get_args(RegionId)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Patient(_Model):
    """The patient. Only the birth date is required; age is computed from it at `as_of`."""

    birth_date: IsoDate
    weight_kg: WeightKg | None = None
    height_cm: HeightCm | None = None
    sex: Annotated[SexId, _one_of(SexId)] | None = None
    smoking: Annotated[SmokingId, _one_of(SmokingId)] | None = None
    comorbidities: tuple[Annotated[ComorbidityId, _one_of(ComorbidityId)], ...] = Field(
        (), description="Recorded comorbidities; each is referred on (AD-1)."
    )


class Diagnosis(_Model):
    """The three modified Dessau criteria of DX-1; null = not assessed."""

    typical_lesions: Flag | None = Field(
        None, description="Deep painful nodules, abscesses, scars, sinus tracts, double comedones."
    )
    typical_location: Flag | None = Field(
        None, description="Axilla, groin, perianal and/or buttocks."
    )
    chronic_relapsing: Flag | None = Field(
        None, description="Chronic, relapsing course: at least two lesions within 6 months (XS-6)."
    )


class Region(_Model):
    """Lesion counts of one body region (ST-1, ST-3); the counts are required within a region."""

    region: Annotated[RegionId, _one_of(RegionId)]
    nodules: Count
    abscesses: Count
    draining_tunnels: Count
    hurley: HurleyStage | None = None
    longest_distance_cm: DistanceCm | None = Field(
        None, description="Longest distance between two relevant lesions, or one lesion's size."
    )
    separated_by_normal_skin: Flag | None = None


class Assessment(_Model):
    """One clinical assessment. Counts are required unless regions are given; with regions,
    totals and the worst Hurley stage are derived from them, and totals also given must equal
    the sums. Give the DLQI as its total or as its ten items (0-3, null = unanswered); for a
    patient under 16 on the assessment date these fields hold the children's DLQI (CDLQI, XB-6)."""

    date: IsoDate
    nodules: Count | None = Field(None, description="Inflammatory nodules (ST-3).")
    abscesses: Count | None = Field(None, description="Abscesses (ST-3).")
    draining_tunnels: Count | None = Field(None, description="Draining tunnels (ST-3).")
    hurley: HurleyStage | None = Field(None, description="Hurley stage of the worst region.")
    inflammatory_activity: Annotated[ActivityId, _one_of(ActivityId)] | None = Field(
        None, description="The clinician's assessment of inflammatory activity, worst region."
    )
    dlqi: DlqiScore | None = None
    dlqi_items: (
        Annotated[tuple[DlqiItem | None, ...], Field(min_length=10, max_length=10)] | None
    ) = None
    pain_vas: Vas | None = None
    non_inflammatory_nodules: Count | None = None
    regions: tuple[Region, ...] = ()


class Treatment(_Model):
    """One treatment course. A start after `as_of` is a planned course."""

    drug: DrugId
    start: IsoDate
    end: IsoDate | None = None
    stop_reason: Annotated[StopReasonId, _one_of(StopReasonId)] | None = None
    regimen: Annotated[RegimenId, _one_of(RegimenId)] | None = Field(
        None, description="Adult adalimumab maintenance chosen (TX-7)."
    )


class Screening(_Model):
    """Screening before a biologic (SC-1 tests done and their results, SC-2 history);
    null = not recorded."""

    tests_done: tuple[Annotated[TestId, _one_of(TestId)], ...] = ()
    igra: Annotated[IgraId, _one_of(IgraId)] | None = None
    chest_xray: Annotated[XrayId, _one_of(XrayId)] | None = None
    hiv: Annotated[SerologyId, _one_of(SerologyId)] | None = Field(
        None, description="HIV serology (SC-1 Reading, results)."
    )
    hepatitis_b: Annotated[SerologyId, _one_of(SerologyId)] | None = Field(
        None, description="Hepatitis B serology (SC-1 Reading, results)."
    )
    hepatitis_c: Annotated[SerologyId, _one_of(SerologyId)] | None = Field(
        None, description="Hepatitis C serology (SC-1 Reading, results)."
    )
    blood_tests: Annotated[FindingId, _one_of(FindingId)] | None = Field(
        None,
        description="The blood tests (haemoglobin, leukocytes, platelets, ALT, ALP, GGT, "
        "creatinine, CRP) taken together (SC-1 Reading, results).",
    )
    urine_dipstick: Annotated[FindingId, _one_of(FindingId)] | None = Field(
        None, description="Urine dipstick (SC-1 Reading, results)."
    )
    cancer_within_5_years: Flag | None = None
    demyelinating_disease: Flag | None = None
    pregnant_or_planning: Flag | None = None
    tb_symptoms: Flag | None = None
    tb_exposure: Flag | None = None
    tb_treated_before: Flag | None = None
    tb_referral_cleared: Flag | None = None
    heart_failure_nyha: Nyha | None = None


class MedicalHistory(_Model):
    """What the medical history says, as far as a rule reads it; null = not recorded."""

    earlier_systemic_antibiotics: Annotated[AntibioticUseId, _one_of(AntibioticUseId)] | None = (
        Field(
            None,
            description="Earlier antibiotics as tablets or injections, and for how long "
            "(TX-6 Reading, C0 and the medical history).",
        )
    )


class Vaccination(_Model):
    """A vaccine given. `live` null = not recorded whether it was a live vaccine."""

    vaccine: VaccineId
    date: IsoDate
    live: Flag | None = None


class Case(_Model):
    """A case document for the hsreg guideline engine (NFDV guideline for biologics in HS)."""

    as_of: IsoDate | None = Field(None, description="Date of the evaluation; default today.")
    patient: Patient
    diagnosis: Diagnosis = Diagnosis()
    assessments: tuple[Assessment, ...] = ()
    treatments: tuple[Treatment, ...] = ()
    screening: Screening = Screening()
    medical_history: MedicalHistory = MedicalHistory()
    vaccinations: tuple[Vaccination, ...] = ()
    lab_checks: tuple[IsoDate, ...] = Field(
        (), description="Monitoring blood tests taken during a biologic (LM-1)."
    )
    funding_status: dict[BiologicId, Annotated[FundingStatus, _one_of(FundingStatus)]] = Field(
        default_factory=dict,
        description="XB-5: the funding status (Nye metoder) per biologic as the registry "
        "coordinator records it; a biologic not named keeps the catalog's default.",
    )


def parse_case(document: object) -> Case:
    """A validated `Case` from a parsed JSON document (or an existing `Case`).

    Raises `CaseError` naming every field that is wrong. Cross-field consistency is checked
    when the case is resolved into a history (`history.resolve`).
    """
    if isinstance(document, Case):
        return document
    try:
        return Case.model_validate(document)
    except ValidationError as error:
        raise CaseError(problems_from(error)) from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def load_json(text: str | bytes) -> Any:
    """Parses JSON text strictly: duplicate keys, NaN and Infinity are errors."""
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        message = f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        raise CaseError([Problem(DOCUMENT, message)]) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise CaseError([Problem(DOCUMENT, f"invalid JSON: {error}")]) from None
    except RecursionError:
        raise CaseError([Problem(DOCUMENT, "invalid JSON: nested too deeply")]) from None


def case_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the case document."""
    schema = Case.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://hsreg.no/schema/case.json",
        **schema,
    }
