"""HISREG's drug boxes of the intervention form, carried as hsreg's drug courses.

HISREG asked which drugs an intervention started as boxes on the intervention form (grouped
under BIOLOGICAL_TREATMENT, SYSTEMIC_ANTIBIOTIC_THERAPY and ANTIINFLAMMATORY_TREATMENT, each
with a box for other drugs and a text naming them); hsreg records each drug started as a
DrugCourse linked to the intervention (hisreg.sources_intervention writes them back as boxes).
Each ticked box becomes one finished course starting on the intervention's date, at its unit,
written by records.services.save_record (its audit row and the refresh of the due items).

The course is the record of a start that happened in HISREG, so the drug course form's
clinical-safety guard (TX-6, SC-1, SC-2: a decision to start a biologic now) is not asked.
A box naming two drugs (TETRACYCLIN_LYMECYCLIN) becomes its first (tetracycline): the box
does not say which. An "other" text's names of the group's catalog drugs become courses; a
name the catalog lacks is kept as the intervention's "other" box and text (issue 16), so
every box is carried; the group's own answer (0/1/9) is kept as the form's answer."""

from __future__ import annotations

from hsreg.accounts.actor import Actor
from hsreg.guideline.catalog import DRUGS
from hsreg.records.services import save_record
from hsreg.treatments.models import DrugCourse, Intervention

from .readers import Line
from .sources_intervention import GROUPS

YES = "1"
#: the catalog's drugs by their English name, as the export writes them in an "other" text
BY_NAME = {drug.name.en.casefold(): drug.id for drug in DRUGS.values()}


def split_other(text: str, allowed: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """An "other" text as the export writes it (", "-separated): the catalog's drugs of the
    group it names (``allowed``, by English name), and the other names, which hsreg keeps as
    the text of the intervention's "other" box (a drug the catalog lacks)."""
    found: list[str] = []
    free: list[str] = []
    for name in (part.strip() for part in text.split(",")):
        if not name:
            continue
        drug = BY_NAME.get(name.casefold())
        if drug is not None and drug in allowed:
            found.append(drug)
        else:
            free.append(name)
    return found, free


def drugs_of(line: Line) -> list[str]:
    """The drugs ``line``'s boxes start, in the dictionary's order. A box naming a drug of
    the catalog is a course; the rest of an "other" text is kept as text (hisreg.formdata);
    an "other" box ticked with no name is the form's problem (the text is required)."""
    found: list[str] = []
    for group in GROUPS:
        ticked = [drugs[0] for box, drugs in group.boxes.items() if line[box] == YES]
        _box, text, allowed = group.other
        named, _free = split_other(line[text], allowed)
        ticked.extend(named)
        found.extend(d for d in ticked if d not in found)
    return found


def start_courses(*, intervention: Intervention, drugs: list[str], actor: Actor) -> int:
    """One finished course per drug, linked to ``intervention``; returns how many."""
    for drug in drugs:
        save_record(
            record=DrugCourse(
                patient_id=intervention.patient_id,
                unit_id=intervention.unit_id,
                date=intervention.date,
                drug=drug,
                intervention=intervention,
            ),
            actor=actor,
            finish=True,
        )
    return len(drugs)
