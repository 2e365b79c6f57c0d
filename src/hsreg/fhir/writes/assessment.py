"""A transaction Bundle read as one doctor's assessment (issue 14 point 1): which Observation
says what, and where in the Bundle each value came from, so that whatever the clinic's form
refuses is answered at its element's path.

How a client says an assessment (documented in the README, "Writing through FHIR"):

- every entry is ``request: {method: POST, url: Observation}`` with an Observation of one
  patient (``subject: Patient/<registry id>``), all with the same ``effectiveDateTime`` (the
  assessment's date) and the same ``status``: ``preliminary`` saves a draft, ``final`` a
  finished assessment;
- ``code`` is one of hsreg's (codes.OBSERVATION_SYSTEM) ``nodules``, ``abscesses``,
  ``draining-tunnels`` (valueInteger, counts 0-50 / 0-20 / 0-20) or ``hurley``
  (valueInteger 1-3), with a ``bodySite`` coded in codes.REGION_SYSTEM for one body region
  (ST-1, XS-3), or without one for the whole patient (the totals the page takes when no
  region is counted); or LOINC 29463-7, the body weight (valueQuantity in kg, rounded to whole
  kg as HISREG stores it);
- the occasion is the extension codes.OCCASION_EXTENSION (valueCode ``pre``, ``3m``, ``6m``;
  ``pre`` when no Observation has it) and, at a control, the intervention followed up is the
  extension codes.INTERVENTION_EXTENSION; Observations that carry them must agree.

Totals given beside regions must be what the regions give (the page computes them, ST-1);
IHS4 (ST-2), AN (MO-2), the worst Hurley stage and BMI are computed by the engine when the
form is saved, never taken from the client.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from fhir.resources.R4B.observation import Observation
from pydantic import ValidationError as PydanticError

from hsreg.assessments.models import Region
from hsreg.fhir import codes

from .problems import Problems, Refused, pydantic_issues
from .references import day_of, intervention_of, occasion_of, patient_number

ROOT = "Bundle"
#: Observation.status -> finished (True) or a draft (False)
FINISHES = {"final": True, "preliminary": False}
#: (system, code) -> the slug of the value (hsreg.fhir.resources.ids) and the form's cell
VALUES: dict[tuple[str, str], tuple[str, str]] = {
    (codes.OBSERVATION_SYSTEM, "nodules"): ("nodules", "nodules"),
    (codes.OBSERVATION_SYSTEM, "abscesses"): ("abscesses", "abscesses"),
    (codes.OBSERVATION_SYSTEM, "draining-tunnels"): ("draining-tunnels", "draining_tunnels"),
    (codes.OBSERVATION_SYSTEM, "hurley"): ("hurley", "hurley"),
    (codes.LOINC, "29463-7"): ("weight", "weight_kg"),
}
#: what an Assessment attribute is called in the Observations
ELEMENTS = {"finish": "status", "patient": "subject", "day": "date (effectiveDateTime)"}
WEIGHT = "weight"
KG = ("kg", codes.UCUM)
#: the most entries one assessment has: 4 values in each region, the 4 totals and the weight
MAX_ENTRIES = 4 * len(Region.values) + 5


@dataclass
class Value:
    """One Observation's value: where it is in the Bundle and what it says."""

    index: int
    slug: str
    cell: str
    region: str
    value: str
    value_path: str


@dataclass
class Assessment:
    """What a Bundle says: the patient, the date, draft or finished, the occasion, and each
    value with its path."""

    patient: int | None = None
    day: date | None = None
    finish: bool | None = None
    occasion: str = ""
    intervention: str = ""
    values: list[Value] = field(default_factory=list)
    paths: dict[str, str] = field(default_factory=dict)  # what -> first path saying it

    def data(self) -> dict[str, str]:
        """The values as the clinic's DoctorAssessmentForm posts them."""
        posted = {
            "date": self.day.isoformat() if self.day else "",
            "occasion": self.occasion or "pre",
            "intervention": self.intervention,
        }
        for value in self.values:
            name = f"{value.region}-{value.cell}" if value.region else value.cell
            posted[name] = value.value
        return posted

    def path_of(self, name: str) -> str:
        """The element a field of the form came from (a cell ``axilla_left-nodules``, a total,
        the date, ...); for a total the regions gave, the first region's value; else
        ``Bundle.entry``."""
        if name in self.paths:
            return self.paths[name]
        regional = (v.value_path for v in self.values if v.cell == name and v.region)
        return next(regional, f"{ROOT}.entry")


def read_bundle(bundle: dict[str, Any]) -> Assessment:
    """The assessment a transaction Bundle carries; ``Refused`` (400) naming every element it
    cannot take."""
    if bundle.get("resourceType") != ROOT:
        raise Refused([(ROOT, "The body is not a Bundle.")], status=400)
    if bundle.get("type") != "transaction":
        raise Refused([(f"{ROOT}.type", "Only a transaction Bundle is taken.")], status=400)
    entries = bundle.get("entry")
    if not isinstance(entries, list) or not entries:
        raise Refused([(f"{ROOT}.entry", "The transaction has no entries.")], status=400)
    if len(entries) > MAX_ENTRIES:
        raise Refused(
            [(f"{ROOT}.entry", f"One assessment has at most {MAX_ENTRIES} Observations.")],
            status=400,
        )
    problems = Problems()
    found = Assessment()
    seen: dict[tuple[str, str], int] = {}
    for index, entry in enumerate(entries):
        at = f"{ROOT}.entry[{index}]"
        resource = _checked_entry(entry, at=at, problems=problems)
        if resource is not None:
            _read_observation(
                resource, index=index, at=f"{at}.resource", into=found, seen=seen, problems=problems
            )
    problems.raise_if_any(status=400)
    return found


def _checked_entry(entry: Any, *, at: str, problems: Problems) -> dict[str, Any] | None:
    """The entry's Observation if the entry is a POST of a valid one, else None (problems)."""
    if not isinstance(entry, dict):
        problems.add(at, "An entry is an object with a resource and a request.")
        return None
    request = entry.get("request")
    if (
        not isinstance(request, dict)
        or request.get("method") != "POST"
        or request.get("url") != "Observation"
    ):
        problems.add(f"{at}.request", "Only request POST Observation is taken.")
    resource = entry.get("resource")
    if not isinstance(resource, dict) or resource.get("resourceType") != "Observation":
        problems.add(f"{at}.resource", "Only Observations are taken.")
        return None
    try:
        Observation.model_validate(resource)
    except PydanticError as error:
        for path, text in pydantic_issues(error, root=f"{at}.resource"):
            problems.add(path, text)
        return None
    return resource


def _same(found: Assessment, what: str, value: Any, *, path: str, problems: Problems) -> None:
    """Every Observation of the Bundle must say the same ``what`` (patient, date, ...)."""
    first = getattr(found, what)
    if first in (None, ""):
        setattr(found, what, value)
        found.paths.setdefault(what, path)
    elif value != first:
        element = ELEMENTS.get(what, what)
        problems.add(path, f"Every Observation of one assessment has the same {element}.")


def _read_observation(
    resource: dict[str, Any],
    *,
    index: int,
    at: str,
    into: Assessment,
    seen: dict[tuple[str, str], int],
    problems: Problems,
) -> None:
    status = resource.get("status")
    if status not in FINISHES:
        problems.add(f"{at}.status", "Give status final (finished) or preliminary (draft).")
    else:
        _same(into, "finish", FINISHES[str(status)], path=f"{at}.status", problems=problems)
    number = patient_number(resource.get("subject"), path=f"{at}.subject", problems=problems)
    if number is not None:
        _same(into, "patient", number, path=f"{at}.subject", problems=problems)
    day, _moment = day_of(
        resource.get("effectiveDateTime"), path=f"{at}.effectiveDateTime", problems=problems
    )
    if day is not None:
        _same(into, "day", day, path=f"{at}.effectiveDateTime", problems=problems)
        into.paths.setdefault("date", f"{at}.effectiveDateTime")
    occasion, where = occasion_of(resource, path=at, problems=problems)
    if occasion:
        _same(into, "occasion", occasion, path=where, problems=problems)
    intervention, where = intervention_of(resource, path=at, problems=problems)
    if intervention:
        _same(into, "intervention", intervention, path=where, problems=problems)
    known = _code(resource)
    if known is None:
        problems.add(
            f"{at}.code",
            "Unknown code: use nodules, abscesses, draining-tunnels or hurley of "
            f"{codes.OBSERVATION_SYSTEM}, or LOINC 29463-7 (body weight).",
        )
        return
    slug, cell = known
    region = _region(resource, slug=slug, at=at, problems=problems)
    if region is None:
        return
    if (slug, region) in seen:
        problems.add(
            f"{at}.code",
            f"entry[{seen[slug, region]}] already gives this value"
            + (f" for {region}." if region else "."),
        )
        return
    seen[slug, region] = index
    read = _weight(resource, at) if slug == WEIGHT else _integer(resource, at)
    if isinstance(read, tuple):
        value, value_path = read
        into.values.append(Value(index, slug, cell, region, value, value_path))
        into.paths.setdefault(cell if not region else f"{region}-{cell}", value_path)
    else:
        problems.add(*read.issue)


def _codings(concept: Any) -> list[dict[str, Any]]:
    """The codings of a CodeableConcept (fhir.resources lets a missing ``code`` through)."""
    coding = concept.get("coding") if isinstance(concept, dict) else None
    return [c for c in coding if isinstance(c, dict)] if isinstance(coding, list) else []


def _code(resource: dict[str, Any]) -> tuple[str, str] | None:
    for one in _codings(resource.get("code")):
        known = VALUES.get((str(one.get("system")), str(one.get("code"))))
        if known is not None:
            return known
    return None


def _region(resource: dict[str, Any], *, slug: str, at: str, problems: Problems) -> str | None:
    """The body region's id, '' for the whole patient, None when refused (a problem)."""
    site = resource.get("bodySite")
    if site is None:
        return ""
    if slug == WEIGHT:
        problems.add(f"{at}.bodySite", "The body weight has no body site.")
        return None
    for coding in _codings(site):
        if coding.get("system") == codes.REGION_SYSTEM and coding.get("code") in Region.values:
            return str(coding["code"])
    problems.add(
        f"{at}.bodySite",
        f"Unknown body region: use a code of {codes.REGION_SYSTEM} ("
        + ", ".join(Region.values)
        + ").",
    )
    return None


@dataclass
class _Bad:
    issue: tuple[str, str]


def _integer(resource: dict[str, Any], at: str) -> tuple[str, str] | _Bad:
    value = resource.get("valueInteger")
    if value is None:
        given = next((k for k in resource if k.startswith("value")), "valueInteger")
        return _Bad((f"{at}.{given}", "Give the count or the stage as valueInteger."))
    return str(value), f"{at}.valueInteger"


def _weight(resource: dict[str, Any], at: str) -> tuple[str, str] | _Bad:
    quantity = resource.get("valueQuantity")
    path = f"{at}.valueQuantity"
    if not isinstance(quantity, dict) or quantity.get("value") is None:
        given = next((k for k in resource if k.startswith("value")), "valueQuantity")
        return _Bad((f"{at}.{given}", "Give the body weight as valueQuantity in kg."))
    if (quantity.get("code"), quantity.get("system")) != KG:
        return _Bad((f"{path}.code", f"Give the body weight in kg (code kg of {codes.UCUM})."))
    try:
        kilos = Decimal(str(quantity["value"])).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return _Bad((f"{path}.value", "The body weight is not a number."))
    return str(kilos), f"{path}.value"
