"""The clinical-safety guard of a biologic course (issue 12): what the guideline says is not in
place for starting it, listed by rule id before anything is saved.

A biologic course is checked when it is finished as a decision to start it: a new course, or a
correction that changes its drug or its start (``guarded``). A correction that only ends the
course, or changes its dose, regimen or comment, keeps the decision and the override it was
saved with; a course registered after it ended is history, not a decision, and is not checked.

The checks are those for starting this course on its start date: the patient's finished forms
are read (patients.case_document), the course as typed takes the place of the version it
corrects, and the guideline engine evaluates the case as of the start (``as_of`` = the start,
in the past or the future). So a planned course is judged with the vaccines and assessments
registered up to its start, and a course registered after its start by what was known then.
What is found (``Finding``):

- TX-6 not ``eligible``: each criterion (C0-C4) that is not met or unknown where it decides;
- SC-1: the screening tests not taken, and the results that warn (SC-1 Reading, results);
- SC-2: the history not recorded, the contraindications (an open tuberculosis referral among
  them) and the pregnancy warning;
- VA-2: the vaccines due (VA Reading); VA-3: a live vaccine less than 4 weeks before the start,
  or one whose kind is not recorded.

Pure apart from reading the patient's forms: nothing is written here. The form
(treatments.course_guard, on DrugCourseForm) shows the findings and asks for the override;
treatments.services writes it through records.services.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from hsreg.delegations.selectors import department_for, valid_approval
from hsreg.guideline import CaseError, evaluate
from hsreg.guideline.catalog import BIOLOGICS, DRUGS
from hsreg.guideline.evaluation import Evaluation
from hsreg.guideline.il17_response import IL17_INHIBITORS
from hsreg.guideline.labels import field_list
from hsreg.guideline.logic import any3
from hsreg.guideline.screening import CONTRAINDICATIONS, IBD_IL17, TEST_NAMES, warning_text
from hsreg.guideline.text import Text, d, join
from hsreg.guideline.vaccination import VACCINE_NAMES
from hsreg.patients.case_document import case_from_forms, load
from hsreg.patients.models import Patient
from hsreg.units.models import Unit, UnitKind

from .models import DrugCourse

#: the rules a guard finding may name, in the order the form lists them
RULE_ORDER = ("TX-6", "SC-1", "SC-2", "XB-4", "VA-2", "VA-3")
RULE_TITLES: dict[str, Text] = {
    "TX-6": Text("Indikasjon for biologisk behandling", "Indication for a biologic"),
    "SC-1": Text("Screeningprøver", "Screening tests"),
    "SC-2": Text("Anamnese før biologisk behandling", "History before a biologic"),
    "XB-4": Text(
        "IL-17-hemmer (utover NFDV-retningslinjen (2019))",
        "IL-17 inhibitor (beyond the NFDV guideline (2019))",
    ),
    "VA-2": Text("Vaksiner", "Vaccines"),
    "VA-3": Text("Levende vaksiner", "Live vaccines"),
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing not in place, by its rule: ``codes`` are what is stored with an override
    (``RULE:code`` each), ``text`` says it in both languages."""

    rule_id: str
    codes: tuple[str, ...]
    text: Text

    @property
    def keys(self) -> list[str]:
        return [f"{self.rule_id}:{code}" for code in self.codes]


def is_biologic(drug: str) -> bool:
    return drug in BIOLOGICS


def guarded(
    *, drug: str, start: date | None, end: date | None, earlier: DrugCourse | None, today: date
) -> bool:
    """Whether finishing this course is a decision to start a biologic that the guard checks:
    a biologic, not already ended when registered, and either new or a correction that changes
    the drug or the start of ``earlier`` (the version it corrects, or the finished course
    itself when it is checked again as stored)."""
    if start is None or not is_biologic(drug):
        return False
    if end is not None and end <= today:
        return False  # a course registered after it ended is history, not a decision
    return earlier is None or earlier.drug != drug or earlier.date != start


def continues(*, drug: str, start: date | None, end: date | None, today: date) -> bool:
    """Whether finishing this course starts or continues a biologic (TX-6 H-resept): a
    biologic with a start, not ended on or before today. Unlike ``guarded`` this holds for a
    correction of a course already started too: the practice still treats."""
    return start is not None and is_biologic(drug) and (end is None or end > today)


def h_resept(
    *,
    unit: Unit | None,
    patient_id: int,
    drug: str,
    start: date | None,
    end: date | None,
    today: date,
) -> list[Finding]:
    """TX-6 H-resept: at a private practice, a biologic course started or continued needs an
    approval of the region's university hospital dermatology department for this patient and
    drug covering the day (the start, or today for a course already running)."""
    if unit is None or unit.kind != UnitKind.PRIVATE or start is None:
        return []
    if not continues(drug=drug, start=start, end=end, today=today):
        return []
    day = max(start, today)
    if valid_approval(patient_id=patient_id, practice=unit, drug=drug, on=day):
        return []
    department = department_for(region=unit.region)
    name = department.name if department else unit.get_region_display()
    return [
        Finding(
            "TX-6",
            ("h_resept",),
            Text(
                f"H-resept: praksisen har ingen gyldig godkjenning fra {name} for å behandle "
                f"denne pasienten med {DRUGS[drug].name.nb} {d(day).nb}.",
                f"H-resept: the practice has no valid approval from {name} to treat this "
                f"patient with {DRUGS[drug].name.en} on {d(day).en}.",
            ),
        )
    ]


def check(*, patient: Patient, course: DrugCourse) -> list[Finding]:
    """What is not in place for starting ``course`` (unsaved, as typed) on its start date."""
    forms = load(patient)
    replaced = {course.pk, course.replaces_id} - {None}
    others = [c for c in forms.courses if c.pk not in replaced]
    courses = sorted([*others, course], key=lambda c: (c.date, c.pk is None, c.pk or 0))
    case = case_from_forms(patient, replace(forms, courses=courses), as_of=course.date)
    try:
        evaluation = evaluate(case, today=course.date)
    except CaseError as error:
        return [_case_error(error)]
    return findings(evaluation, start=course.date, drug=course.drug)


def findings(evaluation: Evaluation, *, start: date, drug: str | None = None) -> list[Finding]:
    """The findings of an evaluation as of a biologic's start, in RULE_ORDER; ``drug`` is the
    course's (XB-4 checks an IL-17 inhibitor's course only)."""
    return [
        *_eligibility(evaluation),
        *_screening(evaluation),
        *_il17(evaluation, drug),
        *_vaccination(evaluation, start),
    ]


def overridden_keys(found: list[Finding]) -> list[str]:
    """What an override stores: every finding's ``RULE:code``, as listed."""
    return [key for finding in found for key in finding.keys]


def _case_error(error: CaseError) -> Finding:
    fields = ", ".join(sorted({p.path for p in error.problems}))
    return Finding(
        "TX-6",
        ("case_error",),
        Text(
            f"Veilederen kan ikke vurdere pasientens skjema ({fields}); indikasjonen er ukjent.",
            f"The guideline cannot evaluate the patient's forms ({fields}); the indication is "
            "unknown.",
        ),
    )


_VERDICT = {
    None: Text("ukjent", "unknown"),
    False: Text("ikke oppfylt", "not met"),
}


def _eligibility(evaluation: Evaluation) -> list[Finding]:
    """TX-6 not eligible or undecided: each criterion in the way, with the engine's reason."""
    eligibility = evaluation.biologic_eligibility
    if eligibility.status == "eligible":
        return []
    criteria = eligibility.criteria
    either = any3(criteria["C1"].met, criteria["C2"].met)
    found = []
    for name, criterion in criteria.items():
        if criterion.met is True or (name in ("C1", "C2") and either is True):
            continue
        verdict = _VERDICT[criterion.met]
        reason = criterion.reason
        found.append(
            Finding(
                "TX-6",
                (name,),
                Text(f"{name} {verdict.nb}: {reason.nb}", f"{name} {verdict.en}: {reason.en}"),
            )
        )
    return found


def _screening(evaluation: Evaluation) -> list[Finding]:
    screening = evaluation.screening
    found = []
    if screening.missing_tests:
        names = join([TEST_NAMES[t] for t in screening.missing_tests])
        found.append(
            Finding(
                "SC-1",
                tuple(screening.missing_tests),
                Text(f"Prøver som ikke er tatt: {names.nb}.", f"Tests not taken: {names.en}."),
            )
        )
    results = [w for w in screening.warnings if ":" in w]
    if results:
        listed = join([warning_text(w) for w in results], Text("; ", "; "))
        found.append(
            Finding(
                "SC-1",
                tuple(results),
                Text(f"Resultater å vurdere: {listed.nb}.", f"Results to assess: {listed.en}."),
            )
        )
    if screening.unknown:
        fields = field_list(screening.unknown)
        found.append(
            Finding(
                "SC-2",
                tuple(u.removeprefix("screening.") for u in screening.unknown),
                Text(f"Ikke registrert: {fields.nb}.", f"Not recorded: {fields.en}."),
            )
        )
    if screening.contraindications:
        names = join([CONTRAINDICATIONS[c] for c in screening.contraindications])
        found.append(
            Finding(
                "SC-2",
                tuple(screening.contraindications),
                Text(f"Kontraindikasjon: {names.nb}.", f"Contraindication: {names.en}."),
            )
        )
    if "pregnancy" in screening.warnings:
        found.append(
            Finding(
                "SC-2",
                ("pregnancy",),
                Text(
                    "Graviditet eller ønske om graviditet: vurder annen behandling.",
                    "Pregnancy or wish for pregnancy: consider another treatment.",
                ),
            )
        )
    return found


def _il17(evaluation: Evaluation, drug: str | None) -> list[Finding]:
    """XB-4 (beyond the NFDV guideline, 2019): inflammatory bowel disease in the history may
    worsen on an IL-17 inhibitor (both summaries of product characteristics). Only for an
    IL-17 inhibitor's course: the engine's warning may come from an option, not this course."""
    if drug not in IL17_INHIBITORS:
        return []
    if IBD_IL17 not in evaluation.screening.warnings:
        return []
    return [Finding("XB-4", (IBD_IL17,), warning_text(IBD_IL17))]


def _vaccination(evaluation: Evaluation, start: date) -> list[Finding]:
    vaccination = evaluation.vaccination
    found = []
    if vaccination.due:
        names = join([VACCINE_NAMES[v] for v in vaccination.due])
        found.append(
            Finding(
                "VA-2",
                tuple(vaccination.due),
                Text(
                    f"Vaksiner som skal gis (ikke gitt innenfor intervallet): {names.nb}.",
                    f"Vaccines due (not given within their interval): {names.en}.",
                ),
            )
        )
    earliest = vaccination.earliest_biologic_start
    if earliest is not None and start < earliest:
        found.append(
            Finding(
                "VA-3",
                ("live_vaccine",),
                Text(
                    f"En levende vaksine er gitt mindre enn 4 uker før oppstart: biologisk "
                    f"behandling tidligst fra {d(earliest).nb}.",
                    f"A live vaccine was given less than 4 weeks before the start: a biologic "
                    f"may start from {d(earliest).en}.",
                ),
            )
        )
    if vaccination.missing:
        found.append(
            Finding(
                "VA-3",
                ("live_unknown",),
                Text(
                    "Det er ikke registrert om en vaksine var levende; tidligste oppstart kan "
                    "ikke beregnes.",
                    "It is not recorded whether a vaccine was live; the earliest start cannot "
                    "be computed.",
                ),
            )
        )
    return found


# --- what a stored override says, in words ------------------------------------------------------

_CRITERIA = {f"C{n}": Text(f"C{n}", f"C{n}") for n in range(5)}
_OTHER: dict[str, Text] = {
    "case_error": Text("skjemaene kunne ikke vurderes", "the forms could not be evaluated"),
    "pregnancy": Text("graviditet eller ønske om graviditet", "pregnancy or wish for pregnancy"),
    "live_vaccine": Text(
        "levende vaksine under 4 uker før oppstart", "live vaccine within 4 weeks"
    ),
    "live_unknown": Text("ukjent om en vaksine var levende", "unknown whether a vaccine was live"),
    # TX-6: a private practice's biologic without the department's approval (delegations)
    "h_resept": Text(
        "H-resept uten godkjenning fra regionens universitetssykehus",
        "H-resept without the regional university hospital's approval",
    ),
    # XB-4: the override's list names the warning briefly (the form shows warning_text)
    "ibd_il17": Text(
        "inflammatorisk tarmsykdom ved IL-17-hemmer",
        "inflammatory bowel disease on an IL-17 inhibitor",
    ),
}


def describe(key: str) -> Text:
    """One stored ``RULE:code`` of an override in words ("SC-1: haemoglobin")."""
    rule_id, _colon, code = key.partition(":")
    if code in _CRITERIA:
        name = _CRITERIA[code]
    elif code in _OTHER:
        name = _OTHER[code]
    elif rule_id == "SC-1" and ":" in code:
        try:
            name = warning_text(code)
        except KeyError:  # a result the engine no longer names: the code as stored
            name = Text(code, code)
    elif code in TEST_NAMES and rule_id == "SC-1":
        name = TEST_NAMES[code]
    elif code in CONTRAINDICATIONS:
        name = CONTRAINDICATIONS[code]
    elif code in VACCINE_NAMES:
        name = VACCINE_NAMES[code]
    else:
        name = field_list([code])
    return Text(f"{rule_id}: {name.nb}", f"{rule_id}: {name.en}")


def overridden_rules(keys: list[str]) -> list[str]:
    """The rule ids of a stored override, in RULE_ORDER."""
    found = {key.partition(":")[0] for key in keys}
    return [r for r in RULE_ORDER if r in found] + sorted(found - set(RULE_ORDER))
