"""Observation: each value of a doctor's assessment and of a patient's report (issue 14).

The values are those the forms store, computed by the guideline engine when the form was saved
(assessments.scoring: IHS4, AN count, modified Sartorius, BMI, the DLQI or CDLQI total), and
two the engine gives from them here: HS-PGA (XS-5, guideline.scores.hs_pga) and HiSCR against
the episode's baseline (MO-2, MO-3; resources.episodes). No formula lives in this module.

Codes are LOINC's where LOINC has one (weight 29463-7, BMI 39156-5, pain VAS 38214-3), else
hsreg's own CodeSystem (codes.OBSERVATION_CODES); a value of one body region has that region
in ``bodySite`` (codes.REGION_SYSTEM). A doctor's values are ``exam``, the patient's
``survey``. A finished form's values are ``final`` (``amended`` when it corrects an earlier
version); the unit's own drafts are shown as the patient page shows them, as ``preliminary``.
Every value's ``note`` names its rule. Ids: resources.ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import translation

from hsreg.assessments.models import DoctorAssessment, PatientReport, Region, RegionFinding
from hsreg.fhir import codes
from hsreg.guideline import scores
from hsreg.records.models import Record, Status

from .episodes import HiscrVerdict
from .ids import DOCTOR, PATIENT, SLUGS, observation_id

EXAM, SURVEY = "exam", "survey"
#: the patient's pain per region: report field -> region id
PAIN_REGIONS = {
    "vas_axilla_right": Region.AXILLA_RIGHT,
    "vas_axilla_left": Region.AXILLA_LEFT,
    "vas_groin_right": Region.GROIN_RIGHT,
    "vas_groin_left": Region.GROIN_LEFT,
    "vas_other": Region.OTHER,
}
COUNTS = (
    ("nodules", "nodules"),
    ("abscesses", "abscesses"),
    ("draining-tunnels", "draining_tunnels"),
)
NOTES = {
    "ihs4": "IHS4 (ST-2), computed by the guideline engine",
    "nodules": "Inflammatory nodules counted by the doctor (ST-2)",
    "abscesses": "Abscesses counted by the doctor (ST-2)",
    "draining-tunnels": "Draining tunnels counted by the doctor (ST-2)",
    "an-count": "AN count (MO-2): abscesses and inflammatory nodules",
    "hurley": "Hurley stage (ST-1)",
    "msartorius": "Modified Sartorius score (XS-3)",
    "weight": "Weight measured at the visit (AD-1: weight loss may reduce the burden)",
    "bmi": "BMI from the measured weight and the height in the medical history, computed by "
    "the registry (RG-3, AD-1)",
    "hs-pga": "HS-PGA (XS-5), by the guideline engine from the counts",
    "dlqi": "DLQI total (MO-1a)",
    "cdlqi": "CDLQI total, the children's DLQI (XB-6)",
    "pain": "Pain overall, visual analogue scale 0-10 (MO-1, XS-4)",
    "pain-worst-boil": "Pain of the worst boil, 0-10 (MO-1)",
    "pain-region": "Pain in one body region, visual analogue scale 0-10 (MO-1)",
}


def _status(form: Record) -> str:
    if form.status == Status.DRAFT:
        return "preliminary"
    return "amended" if form.replaces_id else "final"


def region_label(region: str) -> str:
    with translation.override("en"):
        return str(Region(region).label)


def _observation(
    form: Record,
    *,
    kind: str,
    slug: str,
    value: dict[str, Any],
    region: str = "",
    note: str = "",
) -> dict[str, Any]:
    system, code = SLUGS[slug]
    display = codes.LOINC_CODES[code] if system == codes.LOINC else codes.OBSERVATION_CODES[code][0]
    form_prefix = DOCTOR if kind == EXAM else PATIENT
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": observation_id(form=form_prefix, pk=form.pk, slug=slug, region=region),
        "status": _status(form),
        "category": [
            {"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": kind}]},
        ],
        "code": {"coding": [{"system": system, "code": code, "display": display}], "text": display},
        "subject": {"reference": f"Patient/{form.patient_id}"},
        "effectiveDateTime": form.date.isoformat(),
        "performer": [{"reference": f"Organization/{form.unit_id}"}],
        **value,
        "note": [{"text": note or NOTES[slug]}],
    }
    if form.finished_at is not None and form.status != Status.DRAFT:
        resource["issued"] = form.finished_at.isoformat()
    if region:
        resource["bodySite"] = {
            "coding": [
                {"system": codes.REGION_SYSTEM, "code": region, "display": region_label(region)}
            ]
        }
    if kind == SURVEY:
        resource["derivedFrom"] = [{"reference": f"QuestionnaireResponse/{form.pk}"}]
    return resource


def _integer(value: int) -> dict[str, Any]:
    return {"valueInteger": int(value)}


def _quantity(value: Decimal | int | float, unit: str) -> dict[str, Any]:
    number = float(value)
    return {
        "valueQuantity": {
            "value": int(number) if number.is_integer() else number,
            "unit": unit,
            "system": codes.UCUM,
            "code": unit,
        }
    }


def assessment_observations(
    a: DoctorAssessment, regions: Iterable[RegionFinding], *, hiscr: HiscrVerdict | None
) -> list[dict[str, Any]]:
    """The values of one doctor's assessment, the whole form's first, then each region's."""
    found: list[dict[str, Any]] = []

    def add(slug: str, value: dict[str, Any], region: str = "", note: str = "") -> None:
        found.append(_observation(a, kind=EXAM, slug=slug, value=value, region=region, note=note))

    if a.ihs4 is not None:
        category = f"; category {a.ihs4_category}" if a.ihs4_category else ""
        add("ihs4", _integer(a.ihs4), note=NOTES["ihs4"] + category)
    for slug, name in COUNTS:
        if getattr(a, name) is not None:
            add(slug, _integer(getattr(a, name)))
    if a.an_count is not None:
        add("an-count", _integer(a.an_count))
    if a.hurley is not None:
        add("hurley", _integer(a.hurley), note="Hurley stage of the worst region (ST-1)")
    if a.sartorius is not None:
        add("msartorius", _integer(a.sartorius))
    if a.weight_kg is not None:
        add("weight", _quantity(a.weight_kg, "kg"))
    if a.bmi is not None:
        add("bmi", _quantity(a.bmi, "kg/m2"))
    if a.nodules is not None and a.abscesses is not None and a.draining_tunnels is not None:
        category = scores.hs_pga(a.nodules, a.abscesses, a.draining_tunnels, None)
        if category is not None:
            add("hs-pga", {"valueString": category}, note=f"{NOTES['hs-pga']}: {category}")
    if hiscr is not None:
        verdict = "achieved" if hiscr.achieved else "not achieved"
        add(
            "hiscr",
            {"valueBoolean": hiscr.achieved},
            note=(
                f"HiSCR {verdict} against the baseline assessment of "
                f"{hiscr.baseline_date.isoformat()} ({hiscr.basis}) (MO-2, MO-3)"
            ),
        )
    for finding in regions:
        for slug, name in COUNTS:
            add(slug, _integer(getattr(finding, name)), region=finding.region)
        if finding.hurley is not None:
            add("hurley", _integer(finding.hurley), region=finding.region)
    return found


def report_observations(r: PatientReport) -> list[dict[str, Any]]:
    """The values of one patient's report: the quality-of-life total and the pain scores."""
    found: list[dict[str, Any]] = []

    def add(slug: str, value: dict[str, Any], region: str = "") -> None:
        found.append(_observation(r, kind=SURVEY, slug=slug, value=value, region=region))

    if r.dlqi_total is not None:
        add("cdlqi" if r.dlqi_instrument == "cdlqi" else "dlqi", _integer(r.dlqi_total))
    if r.vas_total is not None:
        add("pain", _quantity(r.vas_total, "{score}"))
    if r.worst_boil_pain is not None:
        add("pain-worst-boil", _quantity(r.worst_boil_pain, "{score}"))
    for name, region in PAIN_REGIONS.items():
        value = getattr(r, name)
        if value is not None:
            add("pain-region", _quantity(value, "{score}"), region=region)
    return found
