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
does not say which. What hsreg cannot carry is a problem, never dropped silently: a ticked box
of a drug hsreg's catalog lacks (AMOXICILIN), an "other" drug whose name is not in the
catalog, a group answered yes with no drug ticked, and another analgesic (ANALGESICS_OTHER)."""

from __future__ import annotations

from hsreg.accounts.actor import Actor
from hsreg.guideline.catalog import DRUGS
from hsreg.records.services import save_record
from hsreg.treatments.models import DrugCourse, Intervention

from .dictionary import file_name
from .problems import Problems
from .readers import Line
from .sources_intervention import GROUPS

TABLE = "intervention"
YES = "1"
#: the catalog's drugs by their English name, as the export writes them in an "other" text
BY_NAME = {drug.name.en.casefold(): drug.id for drug in DRUGS.values()}


def _named(text: str, allowed: tuple[str, ...]) -> list[str] | None:
    """The drugs an "other" text names (the export's ", "-separated names), or None when a
    name is not one of ``allowed``."""
    found = []
    for name in (part.strip() for part in text.split(",")):
        if not name:
            continue
        drug = BY_NAME.get(name.casefold())
        if drug is None or drug not in allowed:
            return None
        found.append(drug)
    return found


def drugs_of(line: Line, problems: Problems) -> list[str]:
    """The drugs ``line``'s boxes start, in the dictionary's order; reports what cannot be
    carried."""
    where = (file_name(TABLE), line.number)
    found: list[str] = []
    for group in GROUPS:
        ticked: list[str] = []
        for box, drugs in group.boxes.items():
            if line[box] != YES:
                continue
            if not drugs:
                problems.add(
                    *where, box, "hsreg's drug catalog has no such drug: the box cannot be carried"
                )
                continue
            ticked.append(drugs[0])
        if group.other is not None:
            box, text, allowed = group.other
            named = _named(line[text], allowed)
            if named is None:
                problems.add(
                    *where,
                    text,
                    "names a drug hsreg's catalog does not hold in this group (one of "
                    + ", ".join(DRUGS[d].name.en for d in allowed)
                    + ")",
                )
            elif line[box] == YES and not named:
                problems.add(*where, text, f"{box} is ticked: name the drug")
            else:
                ticked.extend(named)
        if line[group.question] == YES and not ticked:
            problems.add(
                *where,
                group.question,
                "1 (yes), but no drug of the group is ticked: hsreg records each drug as a course",
            )
        found.extend(d for d in ticked if d not in found)
    if line["ANALGESICS_OTHER"] == YES:
        problems.add(*where, "ANALGESICS_OTHER", "hsreg's intervention form has no other analgesic")
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
