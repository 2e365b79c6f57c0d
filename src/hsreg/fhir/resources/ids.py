"""The logical ids of hsreg's FHIR Observations: a contract between the read side and the
write side of the API (issue 14), so it lives in one place.

A form holds many values, and each value is one Observation. Its id names the form and the
value: ``da-<DoctorAssessment pk>-<code>`` for a value of the whole doctor's assessment
(``da-12-ihs4``, ``da-12-hurley`` for the worst stage, ``da-12-weight``), and
``da-<pk>-<code>-<region>`` for a value of one body region, the region id with ``_`` written
``-`` (``da-12-nodules-axilla-left``, ``da-12-hurley-groin-right``); ``pr-<PatientReport
pk>-<code>`` for the patient's report, and ``pr-<pk>-pain-region-<region>`` for the pain in one
region. The codes are slugs of ``SLUGS``: hsreg's own codes (codes.OBSERVATION_CODES) by their
code, the LOINC ones by a short name. Ids stay within FHIR's ``[A-Za-z0-9-.]{1,64}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from hsreg.assessments.models import Region
from hsreg.fhir import codes

Form = Literal["da", "pr"]
DOCTOR: Final = "da"
PATIENT: Final = "pr"

#: slug in an id -> (code system, code)
SLUGS: Final[dict[str, tuple[str, str]]] = {
    **{code: (codes.OBSERVATION_SYSTEM, code) for code in codes.OBSERVATION_CODES},
    "weight": (codes.LOINC, "29463-7"),
    "bmi": (codes.LOINC, "39156-5"),
    "pain": (codes.LOINC, "38214-3"),
}
#: the slugs whose values are given per body region, by form
REGIONAL: Final[dict[str, frozenset[str]]] = {
    DOCTOR: frozenset({"nodules", "abscesses", "draining-tunnels", "hurley"}),
    PATIENT: frozenset({"pain-region"}),
}
REGIONS: Final = frozenset(Region.values)
MAX_PK: Final = 2**63 - 1
_ID = re.compile(r"(?P<form>da|pr)-(?P<pk>[1-9][0-9]{0,18})-(?P<rest>[a-z0-9-]+)")
# the longest slug first, so ``pain-region-...`` is not read as ``pain`` with a region
_BY_LENGTH: Final = sorted(SLUGS, key=len, reverse=True)


@dataclass(frozen=True, slots=True)
class ObservationId:
    """What an Observation id names: the form (``da`` / ``pr``) and its pk, the value's slug,
    and the body region's id (``axilla_left``) or ``""`` for the whole form."""

    form: Form
    pk: int
    slug: str
    region: str = ""

    def __str__(self) -> str:
        return observation_id(form=self.form, pk=self.pk, slug=self.slug, region=self.region)

    @property
    def coding(self) -> tuple[str, str]:
        """(system, code) of the value."""
        return SLUGS[self.slug]


def observation_id(*, form: Form, pk: int, slug: str, region: str = "") -> str:
    """The id of one value of a form; ``ValueError`` for a slug or region hsreg does not have,
    or a region given to a value of the whole form only."""
    if form not in REGIONAL or slug not in SLUGS:
        raise ValueError(f"no such observation: {form} {slug}")
    if not region and slug not in WHOLE[form]:
        raise ValueError(f"no such observation of a whole form: {form} {slug}")
    if region:
        if region not in REGIONS or slug not in REGIONAL[form]:
            raise ValueError(f"no such regional observation: {slug} {region}")
        return f"{form}-{pk}-{slug}-{region.replace('_', '-')}"
    return f"{form}-{pk}-{slug}"


def parse_observation_id(text: str) -> ObservationId | None:
    """The parts of an Observation id, or None when it is not one hsreg gives."""
    match = _ID.fullmatch(text)
    if match is None:
        return None
    form: Form = DOCTOR if match["form"] == DOCTOR else PATIENT
    pk, rest = int(match["pk"]), match["rest"]
    if pk > MAX_PK:
        return None
    for slug in _BY_LENGTH:
        if rest == slug:
            return _whole(form, pk, slug)
        if rest.startswith(slug + "-") and slug in REGIONAL[form]:
            region = rest.removeprefix(slug + "-").replace("-", "_")
            if region in REGIONS:
                return ObservationId(form, pk, slug, region)
    return None


def _whole(form: Form, pk: int, slug: str) -> ObservationId | None:
    """A value of the whole form, if that form has it: ``pain-region`` is only per region."""
    return ObservationId(form, pk, slug) if slug in WHOLE[form] else None


#: the values of a whole form, by form
DOCTOR_WHOLE: Final = frozenset(
    {
        "ihs4",
        "nodules",
        "abscesses",
        "draining-tunnels",
        "an-count",
        "hurley",
        "msartorius",
        "weight",
        "bmi",
        "hs-pga",
        "hiscr",
    }
)
PATIENT_WHOLE: Final = frozenset({"dlqi", "cdlqi", "pain", "pain-worst-boil"})
WHOLE: Final[dict[str, frozenset[str]]] = {DOCTOR: DOCTOR_WHOLE, PATIENT: PATIENT_WHOLE}
