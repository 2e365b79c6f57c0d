"""HISREG's parent questions of the intervention form (klokebok, Intervensjon: each a
Listevariabel that activates its boxes, 0 no / 1 yes / 9 don't know; BASED_MEDICAL_TREATMENT
0/1) and its "other" drugs, as hsreg's intervention form asks them.

hsreg keeps the sites operated as one list (``surgery_sites``) and the drugs started as drug
courses, so a parent answer and its boxes must agree: a site of the group ticked is a yes
(an empty answer becomes 1, a no or don't know is refused), a yes needs one of its sites; an
analgesic or local treatment ticked is a yes likewise. The drug groups' answers cannot be
checked against the courses, which are registered after the intervention is finished: the
export writes 1 for a group with a course (hisreg.sources_intervention). An "other" box needs
the drug's name (the dictionary's text question under it is obligatorisk).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from hsreg.records.forms import RecordForm
from hsreg.records.models import YesNoUnknown

from .models import SurgerySite

YES = int(YesNoUnknown.YES)
#: the parent answer of each group of sites (AKSILLE, LYSKE, ... OTHER_SURGERY)
SITE_ANSWERS: dict[str, tuple[SurgerySite, ...]] = {
    "site_axilla": (SurgerySite.AXILLA_RIGHT, SurgerySite.AXILLA_LEFT),
    "site_groin": (SurgerySite.GROIN_RIGHT, SurgerySite.GROIN_LEFT),
    "site_pubis": (SurgerySite.PUBIS_RIGHT, SurgerySite.PUBIS_LEFT, SurgerySite.PUBIS_CENTRAL),
    "site_genital": (SurgerySite.GENITAL_RIGHT, SurgerySite.GENITAL_LEFT),
    "site_perianal": (SurgerySite.PERIANAL_RIGHT, SurgerySite.PERIANAL_LEFT),
    "site_gluteal": (
        SurgerySite.GLUTEAL_RIGHT,
        SurgerySite.GLUTEAL_LEFT,
        SurgerySite.GLUTEAL_CENTRAL,
    ),
    "site_mammae": (SurgerySite.MAMMAE_RIGHT, SurgerySite.MAMMAE_LEFT),
    "site_other": (
        SurgerySite.THIGH,
        SurgerySite.ABDOMEN,
        SurgerySite.BACK,
        SurgerySite.NECK,
        SurgerySite.OTHER,
    ),
}
#: the parent answer of each group of boxes on the form itself (ANALGESICS,
#: BASED_MEDICAL_TREATMENT)
BOX_ANSWERS: dict[str, tuple[str, ...]] = {
    "analgesic_given": (
        "analgesic_nsaid",
        "analgesic_paracetamol",
        "analgesic_opioid",
        "analgesic_other",
    ),
    "local_given": (
        "local_triamcinolone",
        "local_clindamycin",
        "local_resorcinol",
        "local_azelaic_acid",
    ),
}
#: the drug groups' parent answers (BIOLOGICAL_TREATMENT, SYSTEMIC_ANTIBIOTIC_THERAPY,
#: ANTIINFLAMMATORY_TREATMENT) and their "other" box
DRUG_ANSWERS: dict[str, str] = {
    "biologic_given": "biologic_other",
    "antibiotic_given": "antibiotic_other",
    "antiinflammatory_given": "antiinflammatory_other",
}
#: each "other" box and the text naming its drug
OTHER_TEXTS: dict[str, str] = {
    "biologic_other": "biologic_other_text",
    "antibiotic_other": "antibiotic_other_text",
    "antiinflammatory_other": "antiinflammatory_other_text",
    "analgesic_other": "analgesic_other_text",
}
PARENT_FIELDS = (*SITE_ANSWERS, *DRUG_ANSWERS, *BOX_ANSWERS)
OTHER_FIELDS = tuple(f for box, text in OTHER_TEXTS.items() for f in (box, text))


def _agree(form: RecordForm, values: dict[str, Any], answer: str, given: bool, shown: str) -> None:
    """``answer`` and whether any of its boxes is ticked (``given``) agree; an empty answer
    with a box ticked becomes yes. Errors go to ``answer`` (shown next to its boxes)."""
    if not form.is_asked(answer, values) or answer in (form._errors or {}):
        return
    value = values.get(answer)
    if given and value is None:
        values[answer] = YES
    elif given and value != YES:
        form.add_error(
            answer,
            gettext("%(boxes)s ticked: the answer is Yes.") % {"boxes": shown},
        )


def clean_answers(form: RecordForm, values: dict[str, Any]) -> None:
    """The parent answers against their boxes, and each ticked "other" box's text."""
    sites = set(values.get("surgery_sites") or ())
    for answer, group_sites in SITE_ANSWERS.items():
        ticked = sites & set(group_sites)
        _agree(form, values, answer, bool(ticked), gettext("A site of this group is"))
        if (
            values.get(answer) == YES
            and not ticked
            and form.is_asked("surgery_sites", values)
            and answer not in (form._errors or {})
        ):
            form.add_error(answer, gettext("Yes: tick the sites operated below."))
    for answer, boxes in BOX_ANSWERS.items():
        given = any(values.get(box) for box in boxes)
        _agree(form, values, answer, given, gettext("A treatment of this group is"))
    for answer, box in DRUG_ANSWERS.items():
        _agree(form, values, answer, bool(values.get(box)), gettext("Other is"))
    if not form.finishing:
        return
    for box, text in OTHER_TEXTS.items():
        if values.get(box) and not values.get(text) and form.is_asked(text, values):
            form.add_error(text, gettext("Name the drug to finish the form."))
