"""What the seeded forms answer to the dictionary's variables added by issue 16 (point 4): the
intervention's parent questions and "other" drugs, a control's baseline counts and HiSCR, and
now and then a control that could not be done.

Drawn from a side generator (``side``): seeded from the journey's generator state without
drawing from it, so the rest of the seeded registry is the same as before these fields."""

from __future__ import annotations

import random
from typing import Any

from hsreg.assessments.baseline import baseline_counts, hiscr_of
from hsreg.assessments.models import ImpossibleReason, Occasion
from hsreg.guideline.catalog import DRUGS
from hsreg.records.models import Status
from hsreg.treatments.intervention_answers import SITE_ANSWERS
from hsreg.treatments.models import MEDICAL_TYPES, SURGICAL_TYPES, Intervention

#: the intervention's answer of each drug group, by the drug started
GROUP_OF = {
    **{d.id: "biologic_given" for d in DRUGS.values() if d.biologic},
    **{d.id: "antibiotic_given" for d in DRUGS.values() if d.antibiotic},
}
ANTIINFLAMMATORY = (
    "acitretin",
    "dapsone",
    "ciclosporin",
    "prednisolone",
    "isotretinoin",
    "metformin",
    "methotrexate",
    "colchicine",
    "hormonal",
)
GROUP_OF.update(dict.fromkeys(ANTIINFLAMMATORY, "antiinflammatory_given"))
#: drugs the catalog lacks, as a clinician names them in an "other" text
OTHER_ANTIBIOTICS = ("Ciprofloksacin", "Klindamycin alene", "Trimetoprim-sulfa")
OTHER_ANALGESICS = ("Tramadol", "Gabapentin", "Lidokain salve")
#: share of controls that could not be done (HISREG: Fig 35, why a follow-up was not done)
NOT_POSSIBLE_SHARE = 0.03


def side(rng: random.Random) -> random.Random:
    """A generator determined by ``rng``'s state, which it leaves as it is (the state's
    integers: their hash is the same in every run)."""
    return random.Random(hash(rng.getstate()[1]))  # noqa: S311 - synthetic data


def answer_intervention(i: Intervention, rng: random.Random) -> None:
    """The parent questions as a clinician answers them: a site group with a side ticked yes,
    the others no (now and then don't know); the drug groups no until a course is started
    (note_course); analgesics and local treatment by their boxes; now and then another
    antibiotic or analgesic the catalog lacks, named."""
    r = side(rng)
    if i.type in SURGICAL_TYPES:
        sites = set(i.surgery_sites or ())
        for answer, group in SITE_ANSWERS.items():
            ticked = bool(sites & {str(s) for s in group})
            setattr(i, answer, 1 if ticked else r.choices((0, 9), (95, 5))[0])
    if i.type in MEDICAL_TYPES:
        i.biologic_given = i.antibiotic_given = i.antiinflammatory_given = 0
        if r.random() < 0.05:
            i.antibiotic_given, i.antibiotic_other = 1, True
            i.antibiotic_other_text = r.choice(OTHER_ANTIBIOTICS)
    if i.type in SURGICAL_TYPES | MEDICAL_TYPES:
        if r.random() < 0.08:
            i.analgesic_other, i.analgesic_other_text = True, r.choice(OTHER_ANALGESICS)
        boxes = ("analgesic_nsaid", "analgesic_paracetamol", "analgesic_opioid", "analgesic_other")
        i.analgesic_given = 1 if any(getattr(i, b) for b in boxes) else 0
        local = (
            "local_triamcinolone",
            "local_clindamycin",
            "local_resorcinol",
            "local_azelaic_acid",
        )
        i.local_given = 1 if any(getattr(i, b) for b in local) else 0


def note_course(intervention: Intervention | None, drug: str) -> None:
    """A drug course started by ``intervention`` answers its group yes."""
    if intervention is not None and drug in GROUP_OF:
        setattr(intervention, GROUP_OF[drug], 1)


def score_controls(interventions: list[Any], assessments: list[Any]) -> None:
    """Each seeded control's baseline counts and HiSCR, as the form computes them when saved
    (assessments.baseline): the order of the journey's lists is the order of the ids the
    writer gives them, so a control sees the finished before-treatment assessments before it
    and every finished intervention, as an import of the registry does when it saves the
    forms in id order."""
    finished = [x for x in interventions if x.status == Status.FINISHED]
    order = {id(x): n for n, x in enumerate(finished)}
    for k, a in enumerate(assessments):
        followed = a.intervention
        if a.occasion == Occasion.PRE or followed is None or id(followed) not in order:
            continue
        if a.status == Status.DRAFT or a.control_possible == 0:
            continue
        pre = [
            (x.date, n, (x.nodules, x.abscesses, x.draining_tunnels))
            for n, x in enumerate(assessments[:k])
            if x.occasion == Occasion.PRE and x.status == Status.FINISHED
        ]
        baseline = baseline_counts(
            intervention=(followed.date, order[id(followed)]),
            interventions=[(x.date, n) for n, x in enumerate(finished)],
            pre_assessments=pre,
        )
        if baseline is None:
            continue
        a.nodules_last, a.abscesses_last, a.draining_tunnels_last = baseline
        counts = (a.nodules, a.abscesses, a.draining_tunnels)
        a.hiscr, a.hiscr_category = hiscr_of(baseline, counts)


def control_possible(rng: random.Random) -> tuple[int, int | None]:
    """(control_possible, impossible_reason) of a seeded control: now and then the patient did
    not come (or it is not known why)."""
    r = side(rng)
    if r.random() >= NOT_POSSIBLE_SHARE:
        return 1, None
    reason = r.choices((ImpossibleReason.DID_NOT_ATTEND, ImpossibleReason.UNKNOWN), (80, 20))[0]
    return 0, int(reason)
