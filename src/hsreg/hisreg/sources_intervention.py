"""Where the columns of the intervention table come from: the Intervention form, its sites
(``surgery_sites``) and the drugs of its finished drug courses (DrugCourse), which HISREG
asked as boxes on the intervention form itself."""

from __future__ import annotations

from typing import Any

from hsreg.guideline.catalog import DRUGS
from hsreg.treatments.models import MEDICAL_TYPES, SURGICAL_TYPES, Intervention, SurgerySite

from .sources_assessments import COMMENT, STATUS
from .values import Extra, Source, any_of, derived, not_stored, stored

BOXES = {
    "SURGERY_TYPE_EXCISION_SUTUR": "surgery_excision_suture",
    "SURGERY_TYPE_EXCISION_GRANUL": "surgery_excision_granulation",
    "SURGERY_TYPE_EXCISION_TRANSPLANT": "surgery_excision_graft",
    "SURGERY_TYPE_LASER": "surgery_laser",
    "SURGERY_TYPE_DEROOFING": "surgery_deroofing",
    "SURGERY_TYPE_OTHER": "surgery_other",
    "ANESTHESIA_TYPE_LOCAL": "anaesthesia_local",
    "ANESTHESIA_TYPE_NARCOSIS": "anaesthesia_general",
    "NSAID": "analgesic_nsaid",
    "PARACETAMOL": "analgesic_paracetamol",
    "OPIOIDER_MORFIN": "analgesic_opioid",
}
#: HISREG's site question (0/1/9, asked for a surgical intervention) -> its boxes -> our site
SITES: dict[str, dict[str, SurgerySite]] = {
    "AKSILLE": {"AKSILLE_RIGHT": SurgerySite.AXILLA_RIGHT, "AKSILLE_LEFT": SurgerySite.AXILLA_LEFT},
    "LYSKE": {"LYSKE_RIGHT": SurgerySite.GROIN_RIGHT, "LYSKE_LEFT": SurgerySite.GROIN_LEFT},
    "PUBIS": {
        "PUBIS_RIGHT": SurgerySite.PUBIS_RIGHT,
        "PUBIS_LEFT": SurgerySite.PUBIS_LEFT,
        "PUBIS_CENTRAL": SurgerySite.PUBIS_CENTRAL,
    },
    "GENITALT": {
        "GENITALT_RIGHT": SurgerySite.GENITAL_RIGHT,
        "GENITALT_LEFT": SurgerySite.GENITAL_LEFT,
    },
    "PERIALT": {
        "PERIALT_RIGHT": SurgerySite.PERIANAL_RIGHT,
        "PERIALT_LEFT": SurgerySite.PERIANAL_LEFT,
    },
    "GLUTEALT": {
        "GLUTEALT_RIGHT": SurgerySite.GLUTEAL_RIGHT,
        "GLUTEALT_LEFT": SurgerySite.GLUTEAL_LEFT,
        "GLUTEALT_CENTRAL": SurgerySite.GLUTEAL_CENTRAL,
    },
    "MAMMAE": {"MAMMAE_RIGHT": SurgerySite.MAMMAE_RIGHT, "MAMMAE_LEFT": SurgerySite.MAMMAE_LEFT},
    "OTHER_SURGERY": {
        "OTHER_SURGERY_THIGH": SurgerySite.THIGH,
        "OTHER_SURGERY_STOMACH": SurgerySite.ABDOMEN,
        "OTHER_SURGERY_BACK": SurgerySite.BACK,
        "OTHER_SURGERY_NECK": SurgerySite.NECK,
        "OTHER_SURGERY_OTHER": SurgerySite.OTHER,
    },
}


class DrugGroup:
    """One of HISREG's drug questions (0/1/9): its boxes, each ticked by the drugs named, the
    box for other drugs of the group and the text naming them."""

    def __init__(
        self,
        question: str,
        boxes: dict[str, tuple[str, ...]],
        *,
        other: tuple[str, str, tuple[str, ...]] | None,
    ) -> None:
        self.question, self.boxes, self.other = question, boxes, other

    def drugs(self) -> set[str]:
        named = {d for ids in self.boxes.values() for d in ids}
        return named | (set(self.other[2]) if self.other else set())


GROUPS = (
    DrugGroup(
        "BIOLOGICAL_TREATMENT",
        {"ADALIMUMAB_BIOSIMILAR": ("adalimumab",), "INFLIXIMAB_BIOSIMILAR": ("infliximab",)},
        other=(
            "BIOLOGICAL_TREATMENT_OTHER",
            "OTHER_BIOLOGICAL_TREATMENT_OTHER_TEXT",
            ("secukinumab", "bimekizumab"),
        ),
    ),
    DrugGroup(
        "SYSTEMIC_ANTIBIOTIC_THERAPY",
        {
            "TETRACYCLIN_LYMECYCLIN": ("tetracycline", "lymecycline"),
            "RIFAMPICIN_CLINDAMYCIN": ("rifampicin_clindamycin",),
            "AMOXICILIN": (),
        },
        other=("SYSTEMIC_ANTIBIOTIC_THERAPY_OTHER", "OTHER_LOCATION_OTHER_TEXT", ("doxycycline",)),
    ),
    DrugGroup(
        "ANTIINFLAMMATORY_TREATMENT",
        {
            "ACITRETIN": ("acitretin",),
            "DAPSON": ("dapsone",),
            "CICLOSPORIN": ("ciclosporin",),
            "PREDNISOLON": ("prednisolone",),
            "ISOTRETINOIN": ("isotretinoin",),
            "METFORMIN": ("metformin",),
        },
        other=(
            "ANTIINFLAMMATORY_TREATMENT_OTHER",
            "OTHER_ANTIINFLAMMATORY_TREATMENT_OTHER_TEXT",
            ("methotrexate", "colchicine", "hormonal"),
        ),
    ),
)
#: the local treatments: a box of the intervention form, or a course of the drug
LOCAL = {
    "INTRALESIONAL_CORTICOSTEROID_INJECTION": (
        "local_triamcinolone",
        "triamcinolone_intralesional",
    ),
    "CLINDAMYCIN": ("local_clindamycin", "clindamycin_topical"),
    "RESORCINOL": ("local_resorcinol", None),
    "ACELACIC_ACID": ("local_azelaic_acid", None),
}


def _sites(record: Any) -> set[str]:
    return set(record.surgery_sites or ())


def _site_question(boxes: dict[str, SurgerySite]) -> Source:
    def read(record: Any, _extra: Extra) -> Any:
        if record.type not in SURGICAL_TYPES:
            return None
        return any_of(*(site in _sites(record) for site in boxes.values()))

    return derived(
        "yes when Intervention.surgery_sites holds one of "
        + ", ".join(str(s) for s in boxes.values())
        + "; empty when the intervention is not surgical",
        read,
    )


def _site_box(site: SurgerySite) -> Source:
    return derived(
        f"'{site}' in Intervention.surgery_sites", lambda record, _e: site in _sites(record)
    )


def _group_question(group: DrugGroup) -> Source:
    drugs = group.drugs()

    def read(record: Any, extra: Extra) -> Any:
        if record.type not in MEDICAL_TYPES:
            return None
        return any_of(bool(extra.drugs & drugs))

    return derived(
        "yes when a finished DrugCourse of the intervention is one of "
        + ", ".join(sorted(drugs))
        + "; empty when the intervention is not medical",
        read,
    )


def _drug_box(drugs: tuple[str, ...]) -> Source:
    if not drugs:
        return not_stored("hsreg's drug catalog (guideline.catalog) has no such drug")
    return derived(
        "a finished DrugCourse.drug of the intervention is " + " or ".join(drugs),
        lambda _record, extra: any_of(bool(extra.drugs & set(drugs))),
    )


def _drug_names(drugs: tuple[str, ...]) -> Source:
    def read(_record: Any, extra: Extra) -> str:
        return ", ".join(DRUGS[d].name.en for d in sorted(extra.drugs & set(drugs)))

    return derived("the names of the intervention's DrugCourse drugs counted as other", read)


def _local_box(box: str, drug: str | None) -> Source:
    if drug is None:
        return stored("Intervention", box)
    return derived(
        f"Intervention.{box}, or a finished DrugCourse.drug {drug} of the intervention",
        lambda record, extra: any_of(getattr(record, box), drug in extra.drugs),
    )


def intervention() -> dict[str, Source]:
    """intervention <- Intervention and its drug courses."""
    sources = {v: stored("Intervention", f) for f, (_t, v) in Intervention.KLOKEBOK.items()}
    sources.update({v: stored("Intervention", f) for v, f in BOXES.items()})
    for question, boxes in SITES.items():
        sources[question] = _site_question(boxes)
        sources.update({box: _site_box(site) for box, site in boxes.items()})
    for group in GROUPS:
        sources[group.question] = _group_question(group)
        sources.update({box: _drug_box(drugs) for box, drugs in group.boxes.items()})
        if group.other:
            box, names, drugs = group.other
            sources[box] = _drug_box(drugs)
            sources[names] = _drug_names(drugs)
    sources["ANALGESICS"] = derived(
        "yes when one of Intervention.analgesic_nsaid, analgesic_paracetamol, "
        "analgesic_opioid is ticked",
        lambda r, _e: any_of(r.analgesic_nsaid, r.analgesic_paracetamol, r.analgesic_opioid),
    )
    sources["ANALGESICS_OTHER"] = not_stored("hsreg's intervention form offers no other analgesic")
    sources["OTHER_ANALGESICS_OTHER_TEXT"] = not_stored(
        "hsreg's intervention form offers no other analgesic"
    )
    for box, (name, drug) in LOCAL.items():
        sources[box] = _local_box(name, drug)
    sources["BASED_MEDICAL_TREATMENT"] = derived(
        "yes when one of the local treatments below is given",
        lambda record, extra: any_of(
            *(sources[box].read(record, extra) == 1 for box in LOCAL)  # type: ignore[misc]
        ),
    )
    sources["USERCOMMENT"] = COMMENT
    sources["STATUS"] = STATUS
    return sources
