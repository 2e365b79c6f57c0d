"""Where the columns of the intervention table come from: the Intervention form, its sites
(``surgery_sites``) and the drugs of its finished drug courses (DrugCourse), which HISREG
asked as boxes on the intervention form itself."""

from __future__ import annotations

from typing import Any

from hsreg.guideline.catalog import DRUGS
from hsreg.treatments.intervention_answers import SITE_ANSWERS
from hsreg.treatments.models import (
    MEDICAL_TYPES,
    SURGICAL_TYPES,
    Intervention,
    InterventionType,
    SurgerySite,
)

from .sources_assessments import COMMENT, STATUS
from .values import Extra, Source, any_of, derived, stored

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
    """One of HISREG's drug questions (0/1/9, ``answer`` the Intervention field keeping it):
    its boxes, each ticked by the drugs named (drug courses), and its "other" box with the
    text naming the drugs: a course of one of ``other_drugs``, or a drug the catalog lacks,
    kept in the Intervention's ``<box_field>`` and ``<box_field>_text``."""

    def __init__(
        self,
        question: str,
        answer: str,
        boxes: dict[str, tuple[str, ...]],
        *,
        other: tuple[str, str, tuple[str, ...]],
        box_field: str,
    ) -> None:
        self.question, self.answer, self.boxes, self.other = question, answer, boxes, other
        self.box_field, self.text_field = box_field, f"{box_field}_text"

    def drugs(self) -> set[str]:
        named = {d for ids in self.boxes.values() for d in ids}
        return named | set(self.other[2])


GROUPS = (
    DrugGroup(
        "BIOLOGICAL_TREATMENT",
        "biologic_given",
        {"ADALIMUMAB_BIOSIMILAR": ("adalimumab",), "INFLIXIMAB_BIOSIMILAR": ("infliximab",)},
        other=(
            "BIOLOGICAL_TREATMENT_OTHER",
            "OTHER_BIOLOGICAL_TREATMENT_OTHER_TEXT",
            ("secukinumab", "bimekizumab"),
        ),
        box_field="biologic_other",
    ),
    DrugGroup(
        "SYSTEMIC_ANTIBIOTIC_THERAPY",
        "antibiotic_given",
        {
            "TETRACYCLIN_LYMECYCLIN": ("tetracycline", "lymecycline"),
            "RIFAMPICIN_CLINDAMYCIN": ("rifampicin_clindamycin",),
            "AMOXICILIN": ("amoxicillin_clavulanate",),
        },
        other=("SYSTEMIC_ANTIBIOTIC_THERAPY_OTHER", "OTHER_LOCATION_OTHER_TEXT", ("doxycycline",)),
        box_field="antibiotic_other",
    ),
    DrugGroup(
        "ANTIINFLAMMATORY_TREATMENT",
        "antiinflammatory_given",
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
        box_field="antiinflammatory_other",
    ),
)
#: the site questions' Intervention fields (intervention_answers.SITE_ANSWERS, by question)
SITE_FIELDS = dict(zip(SITES, SITE_ANSWERS, strict=True))
ANALGESIC_BOXES = (
    "analgesic_nsaid",
    "analgesic_paracetamol",
    "analgesic_opioid",
    "analgesic_other",
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


def _answer(
    question: str, answer: str, *, yes_when: str, asked: set[InterventionType] | None
) -> Source:
    """A parent question kept in Intervention.``answer`` (0/1/9): 1 when its boxes say yes
    (``yes_when``), else the stored answer; an intervention saved before the answer was kept
    (empty) writes 0, as the export did then. Empty when the intervention's type does not ask
    it (``asked``)."""

    def read(record: Any, extra: Extra) -> Any:
        if asked is not None and record.type not in asked:
            return None
        if _says_yes(question, record, extra):
            return 1
        stored_answer = getattr(record, answer)
        return 0 if stored_answer is None else stored_answer

    where = "" if asked is None else "; empty when the intervention's type does not ask it"
    return derived(
        f"Intervention.{answer}; 1 when {yes_when}{where}",
        read,
        kept_in=f"Intervention.{answer}",
        field=answer,
    )


def _says_yes(question: str, record: Any, extra: Extra) -> bool:
    if question in SITES:
        return bool(_sites(record) & {str(s) for s in SITES[question].values()})
    for group in GROUPS:
        if question == group.question:
            return bool(extra.drugs & group.drugs()) or bool(getattr(record, group.box_field))
    if question == "ANALGESICS":
        return any(getattr(record, box) for box in ANALGESIC_BOXES)
    return any(_local_given(box, drug, record, extra) for box, (_n, drug) in LOCAL.items())


def _local_given(box: str, drug: str | None, record: Any, extra: Extra) -> bool:
    name = LOCAL[box][0]
    return bool(getattr(record, name)) or (drug is not None and drug in extra.drugs)


def _site_box(site: SurgerySite) -> Source:
    return derived(
        f"'{site}' in Intervention.surgery_sites",
        lambda record, _e: site in _sites(record),
        kept_in="Intervention.surgery_sites",
    )


def _drug_box(drugs: tuple[str, ...]) -> Source:
    return derived(
        "a finished DrugCourse.drug of the intervention is " + " or ".join(drugs),
        lambda _record, extra: any_of(bool(extra.drugs & set(drugs))),
        kept_in="DrugCourse.drug",
    )


def _other_box(group: DrugGroup) -> Source:
    drugs = group.other[2]
    return derived(
        f"Intervention.{group.box_field}, or a finished DrugCourse.drug of the intervention "
        f"is {' or '.join(drugs)}",
        lambda record, extra: any_of(
            bool(getattr(record, group.box_field)), bool(extra.drugs & set(drugs))
        ),
        kept_in=f"Intervention.{group.box_field}, DrugCourse.drug",
    )


def other_text(names: list[str], text: str) -> str:
    """An "other" text: the catalog's names of the courses, then the drug the catalog lacks."""
    return ", ".join([*names, *([text] if text else [])])


def _other_names(group: DrugGroup) -> Source:
    drugs = group.other[2]

    def read(record: Any, extra: Extra) -> str:
        names = [DRUGS[d].name.en for d in sorted(extra.drugs & set(drugs))]
        return other_text(names, getattr(record, group.text_field))

    return derived(
        f"the names of the intervention's DrugCourse drugs counted as other, then "
        f"Intervention.{group.text_field}",
        read,
        kept_in=f"Intervention.{group.text_field}, DrugCourse.drug",
    )


def _local_box(box: str, drug: str | None) -> Source:
    if drug is None:
        return stored("Intervention", box)
    return derived(
        f"Intervention.{box}, or a finished DrugCourse.drug {drug} of the intervention",
        lambda record, extra: any_of(getattr(record, box), drug in extra.drugs),
        kept_in=f"Intervention.{box}, DrugCourse.drug",
    )


def intervention() -> dict[str, Source]:
    """intervention <- Intervention and its drug courses."""
    sources = {v: stored("Intervention", f) for f, (_t, v) in Intervention.KLOKEBOK.items()}
    sources.update({v: stored("Intervention", f) for v, f in BOXES.items()})
    surgical, medical = set(SURGICAL_TYPES), set(MEDICAL_TYPES)
    for question, boxes in SITES.items():
        sources[question] = _answer(
            question, SITE_FIELDS[question], yes_when="a site of it is ticked", asked=surgical
        )
        sources.update({box: _site_box(site) for box, site in boxes.items()})
    for group in GROUPS:
        sources[group.question] = _answer(
            group.question,
            group.answer,
            yes_when="a finished DrugCourse of the group, or its other box",
            asked=medical,
        )
        sources.update({box: _drug_box(drugs) for box, drugs in group.boxes.items()})
        box, names, _drugs = group.other
        sources[box] = _other_box(group)
        sources[names] = _other_names(group)
    sources["ANALGESICS"] = _answer(
        "ANALGESICS", "analgesic_given", yes_when="an analgesic is ticked", asked=None
    )
    sources["ANALGESICS_OTHER"] = stored("Intervention", "analgesic_other")
    sources["OTHER_ANALGESICS_OTHER_TEXT"] = stored("Intervention", "analgesic_other_text")
    for box, (name, drug) in LOCAL.items():
        sources[box] = _local_box(name, drug)
    sources["BASED_MEDICAL_TREATMENT"] = _answer(
        "BASED_MEDICAL_TREATMENT",
        "local_given",
        yes_when="a local treatment below is given",
        asked=None,
    )
    sources["USERCOMMENT"] = COMMENT
    sources["STATUS"] = STATUS
    return sources
