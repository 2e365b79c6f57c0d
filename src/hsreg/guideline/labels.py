"""What the fields of a case document are called, for texts a clinician reads.

Results list missing data as field paths (``assessments[1].dlqi``) for programs; explanations
name the same fields in words (``DLQI``), through `field_label`.
"""

from __future__ import annotations

import re

from .text import Text, join

_LABELS: dict[str, Text] = {
    "assessments": Text("en vurdering", "an assessment"),
    "nodules": Text("antall noduli", "the number of nodules"),
    "abscesses": Text("antall abscesser", "the number of abscesses"),
    "draining_tunnels": Text("antall drenerende fistler", "the number of draining tunnels"),
    "hurley": Text("Hurley-stadium", "the Hurley stage"),
    "inflammatory_activity": Text("inflammatorisk aktivitet", "the inflammatory activity"),
    "dlqi": Text("DLQI", "the DLQI"),
    "pain_vas": Text("smerte-VAS", "the pain VAS"),
    "treatments": Text(
        "den tidligere antibiotikakuren, med grunnen til at den ble avsluttet",
        "the earlier antibiotic course, with why it was stopped",
    ),
    "stop_reason": Text("grunnen til at kuren ble avsluttet", "why the course was stopped"),
    "weight_kg": Text("vekt", "the weight"),
    "live": Text("om vaksinen var levende", "whether the vaccine was live"),
    "typical_lesions": Text("typiske lesjoner", "typical lesions"),
    "typical_location": Text("typisk lokalisasjon", "typical location"),
    "chronic_relapsing": Text("kronisk residiverende forløp", "chronic relapsing course"),
    "cancer_within_5_years": Text("kreft siste 5 år", "cancer within 5 years"),
    "heart_failure_nyha": Text("hjertesvikt (NYHA-klasse)", "heart failure (NYHA class)"),
    "demyelinating_disease": Text("demyeliniserende sykdom", "demyelinating disease"),
    "tb_symptoms": Text("tuberkulosesymptomer", "TB symptoms"),
    "tb_exposure": Text("tidligere tuberkuloseeksponering", "earlier TB exposure"),
    "tb_treated_before": Text("tidligere tuberkulosebehandling", "earlier TB treatment"),
    "igra": Text("IGRA-resultat", "the IGRA result"),
    "chest_xray": Text("røntgen thorax-resultat", "the chest X-ray result"),
}


def field_label(path: str) -> Text:
    """``screening.heart_failure_nyha`` → "hjertesvikt (NYHA-klasse)" / "heart failure …"."""
    field = re.split(r"[.\[]", path)[-1]
    return _LABELS.get(field, Text(path, path))


def field_list(paths: tuple[str, ...] | list[str]) -> Text:
    """Several fields named in words, in order, without repeats."""
    return join(list(dict.fromkeys(field_label(p) for p in paths)))
