"""The code systems and identifier systems of hsreg's FHIR API, in one place (issue 14).

Identifiers follow the Norwegian base profiles (HL7Norway/basisprofiler-r4): the national id
number (fødselsnummer) and the D-number by their OIDs, a unit by its RESH id. Observations
use LOINC where LOINC has a code for what hsreg measures (body weight, BMI, pain on a visual
analogue scale) and hsreg's own CodeSystem ``OBSERVATION_SYSTEM`` for the HS scores that
LOINC does not code; body regions use hsreg's own ``REGION_SYSTEM`` (the engine's region ids,
ST-1 / XS-3). Both CodeSystems are served under ``/fhir/CodeSystem/``.
"""

from __future__ import annotations

from typing import Final

CANONICAL: Final = "https://hsreg.no/fhir"

# identifiers (no-basis)
FNR_SYSTEM: Final = "urn:oid:2.16.578.1.12.4.1.4.1"  # fødselsnummer
DNR_SYSTEM: Final = "urn:oid:2.16.578.1.12.4.1.4.2"  # D-nummer
RESH_SYSTEM: Final = "urn:oid:2.16.578.1.12.4.1.4.102"  # RESH id of a unit
PATIENT_PROFILE: Final = "http://hl7.no/fhir/StructureDefinition/no-basis-Patient"
ORGANIZATION_PROFILE: Final = "http://hl7.no/fhir/StructureDefinition/no-basis-Organization"

# terminologies
LOINC: Final = "http://loinc.org"
SNOMED: Final = "http://snomed.info/sct"
ICD10: Final = "http://hl7.org/fhir/sid/icd-10"
ATC: Final = "http://www.whocc.no/atc"
UCUM: Final = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL: Final = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION: Final = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
#: the CapabilityStatement's security service (SMART App Launch: "SMART-on-FHIR")
RESTFUL_SECURITY: Final = "http://terminology.hl7.org/CodeSystem/restful-security-service"
#: SNOMED CT 387713003 |Surgical procedure|: the category of a Procedure
SURGICAL_PROCEDURE: Final = (SNOMED, "387713003", "Surgical procedure")

#: hidradenitis suppurativa: ICD-10 L73.2, SNOMED CT 59393003
HS_CONDITION: Final = (
    (ICD10, "L73.2", "Hidradenitis suppurativa"),
    (SNOMED, "59393003", "Hidradenitis suppurativa"),
)

OBSERVATION_SYSTEM: Final = f"{CANONICAL}/CodeSystem/hsreg-observation"
REGION_SYSTEM: Final = f"{CANONICAL}/CodeSystem/hsreg-body-region"
#: why a clinician set a CDS Hooks card aside (the cards' overrideReasons, hsreg.cdshooks)
CDS_OVERRIDE_SYSTEM: Final = f"{CANONICAL}/CodeSystem/hsreg-cds-override-reason"

#: hsreg's own observation codes: code -> (display, definition)
OBSERVATION_CODES: Final[dict[str, tuple[str, str]]] = {
    "ihs4": (
        "IHS4",
        "International HS Severity Score: nodules + 2 x abscesses + 4 x draining tunnels (ST-2)",
    ),
    "nodules": (
        "Inflammatory nodules",
        "Count of inflammatory nodules, in a body region or in all",
    ),
    "abscesses": ("Abscesses", "Count of abscesses, in a body region or in all"),
    "draining-tunnels": (
        "Draining tunnels",
        "Count of draining tunnels (sinuses, fistulae), in a body region or in all",
    ),
    "an-count": ("AN count", "Abscesses and inflammatory nodules, counted together (MO-2, TX-9)"),
    "hurley": (
        "Hurley stage",
        "Hurley stage 1-3 of a body region, or the worst region without a body site (ST-1)",
    ),
    "msartorius": ("Modified Sartorius score", "Modified Sartorius score (XS-3)"),
    "dlqi": ("DLQI total", "Dermatology Life Quality Index, total 0-30 (MO-1a)"),
    "cdlqi": ("CDLQI total", "Children's Dermatology Life Quality Index, total 0-30 (XB-6)"),
    "pain-worst-boil": ("Pain of the worst boil", "The patient's pain of the worst boil, 0-10"),
    "pain-region": ("Pain in a body region", "The patient's pain in one body region, 0-10 (VAS)"),
    "hiscr": ("HiSCR achieved", "HS Clinical Response against the episode's baseline (MO-2, MO-3)"),
    "hs-pga": ("HS-PGA", "HS Physician's Global Assessment, 0-5 (XS-5)"),
}

#: the extensions a client writes with (issue 14, the writes): on an Observation of a doctor's
#: assessment, the occasion (valueCode ``pre``, ``3m`` or ``6m``, as assessments.Occasion);
#: on such an Observation or a QuestionnaireResponse of a control, the intervention followed up
#: (valueReference with an ``identifier`` of INTERVENTION_SYSTEM: the intervention's registry id)
OCCASION_EXTENSION: Final = f"{CANONICAL}/StructureDefinition/occasion"
INTERVENTION_EXTENSION: Final = f"{CANONICAL}/StructureDefinition/intervention"
INTERVENTION_SYSTEM: Final = f"{CANONICAL}/intervention"

#: LOINC codes used: code -> display
LOINC_CODES: Final[dict[str, str]] = {
    "29463-7": "Body weight",
    "39156-5": "Body mass index (BMI) [Ratio]",
    "38214-3": "Pain severity [Score] Visual analog score",
}
