"""TX-6: whether the patient meets the indication for adalimumab, criterion by criterion.

Eligible iff C0 and (C1 or C2) and C3 and C4, in three-valued logic: a criterion whose data is
missing is unknown, and the status is ``insufficient_data`` only where an unknown decides it —
then `missing` lists exactly the fields that would decide it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from . import scores
from .catalog import drug_name
from .history import Course, History, Visit
from .labels import field_label, field_list
from .logic import Tri, all3, any3, at_least
from .screening import CONTRAINDICATIONS, ScreeningResult
from .staging import SEVERITY_NAMES, hurley_name
from .text import Explanation, Text, Topic, d, explanations_field, join, reading

EligibilityStatus = Literal["eligible", "not_eligible", "insufficient_data"]

WHY = Topic("biologic_eligibility")
FAILURE_REASONS = frozenset(
    {"inadequate_effect", "adverse_effect", "inadequate_effect_and_adverse_effect"}
)
MODERATE_OR_SEVERE = frozenset({"moderate", "severe"})
# Reading (current activity): C1-C3 read the latest assessment; older than this → a warning.
CURRENT_ACTIVITY_DAYS = 92
ASSESSMENT_OLD = "assessment_over_92_days_old"
# Reading (C0 and the medical history): the history's answers that report earlier antibiotics.
EARLIER_ANTIBIOTICS: dict[str, Text] = {
    "more_than_3_months": Text("i mer enn 3 måneder", "for more than 3 months"),
    "less_than_3_months": Text("i mindre enn 3 måneder", "for less than 3 months"),
    "last_2_weeks": Text("de siste 2 ukene", "in the last 2 weeks"),
}
EARLIER_COURSE = "treatments"  # what C0 misses then: the earlier course, with its stop reason

_STOP_REASONS: dict[str, Text] = {
    "inadequate_effect": Text("utilstrekkelig effekt", "inadequate effect"),
    "adverse_effect": Text("bivirkninger", "adverse effects"),
    "inadequate_effect_and_adverse_effect": Text(
        "utilstrekkelig effekt og bivirkninger", "inadequate effect and adverse effects"
    ),
    "remission": Text("remisjon", "remission"),
    "surgery": Text("kirurgi", "surgery"),
    "patient_wish": Text("pasientens ønske", "the patient's wish"),
    "other": Text("annen grunn", "another reason"),
}


@dataclass(frozen=True, slots=True)
class Criterion:
    met: Tri
    reason: Text
    missing: tuple[str, ...]
    rule_id: str = "TX-6"


@dataclass(frozen=True, slots=True)
class Eligibility:
    """TX-6. ``assessment_date`` is the latest assessment's, which C1-C3 read; ``warnings``
    holds ``assessment_over_92_days_old`` when it is older than 92 days (Reading, current
    activity): the status stands, the clinician is told what it rests on."""

    status: EligibilityStatus
    criteria: dict[str, Criterion]
    missing: tuple[str, ...]
    assessment_date: date | None = None
    warnings: tuple[str, ...] = ()
    explanations: tuple[Explanation, ...] = explanations_field()


def _course_text(course: Course) -> Text:
    name = drug_name(course.drug.id)
    until = d(course.end) if course.end else Text("pågår", "ongoing")
    return Text(
        f"{name.nb} {d(course.start).nb}–{until.nb}",
        f"{name.en} {d(course.start).en} to {until.en}",
    )


def c0_failed_tetracycline(history: History) -> Criterion:
    """C0 (Reading): a tetracycline-class course ended with inadequate effect and/or adverse
    effects."""
    courses = [c for c in history.courses if c.drug.tetracycline_class]
    ended = [c for c in courses if c.ended_by(history.as_of)]
    failed = [c for c in ended if c.stop_reason in FAILURE_REASONS]
    if failed:
        course = failed[-1]
        why = _STOP_REASONS[str(course.stop_reason)]
        text = Text(
            f"{_course_text(course).nb} ble avsluttet på grunn av {why.nb}.",
            f"{_course_text(course).en} was stopped for {why.en}.",
        )
        return Criterion(True, reading(text), ())
    unknown = [c for c in ended if c.stop_reason is None]
    if unknown:
        text = Text(
            f"grunnen til at {join([_course_text(c) for c in unknown]).nb} ble avsluttet er ikke "
            "registrert.",
            f"why {join([_course_text(c) for c in unknown]).en} was stopped is not recorded.",
        )
        return Criterion(None, reading(text), tuple(c.path("stop_reason") for c in unknown))
    reported = history.medical_history.earlier_systemic_antibiotics
    if not courses and reported in EARLIER_ANTIBIOTICS:
        how_long = EARLIER_ANTIBIOTICS[reported]
        text = Text(
            "ingen tetrasyklinkur er registrert, men sykehistorien oppgir tidligere antibiotika "
            f"som tabletter eller injeksjoner ({how_long.nb}). C0 er ukjent, ikke uoppfylt: "
            "registrer den tidligere kuren med grunnen til at den ble avsluttet.",
            "no tetracycline-class course is registered, but the medical history reports earlier "
            f"antibiotics as tablets or injections ({how_long.en}). C0 is unknown, not unmet: "
            "register the earlier course with why it was stopped.",
        )
        return Criterion(None, reading(text), (EARLIER_COURSE,))
    if courses:
        listed = join([_course_text(c) for c in courses])
        text = Text(
            f"ingen tetrasyklinkur er avsluttet for utilstrekkelig effekt eller bivirkninger "
            f"({listed.nb}).",
            f"no tetracycline-class course has ended for inadequate effect or adverse effects "
            f"({listed.en}).",
        )
    else:
        text = Text(
            "ingen kur med tetrasyklin, lymesyklin eller doksysyklin er registrert.",
            "no course of tetracycline, lymecycline or doxycycline is recorded.",
        )
    return Criterion(False, reading(text), ())


def _activity(visit: Visit) -> Tri:
    if visit.inflammatory_activity is None:
        return None
    return visit.inflammatory_activity in MODERATE_OR_SEVERE


def _no_assessment() -> Criterion:
    return Criterion(
        None, Text("Ingen vurdering er registrert.", "No assessment is recorded."), ("assessments",)
    )


def c1_stage_and_activity(visit: Visit | None) -> Criterion:
    """C1 (Reading): IHS4 ≥ 4, or Hurley ≥ II with moderate/severe activity in the worst region."""
    if visit is None:
        return _no_assessment()
    ihs4 = visit.lesions.ihs4
    hurley_ii = at_least(visit.hurley, 2)
    activity = _activity(visit)
    met = any3(ihs4 >= scores.IHS4_MODERATE_FROM, all3(hurley_ii, activity))
    missing: tuple[str, ...] = ()
    if met is None:
        missing = tuple(
            path
            for path, value in (
                (visit.path("hurley"), hurley_ii),
                (visit.path("inflammatory_activity"), activity),
            )
            if value is None
        )
    text = Text(
        f"IHS4 {ihs4} (moderat–alvorlig fra 4), Hurley {hurley_name(visit.hurley)}, inflammatorisk "
        f"aktivitet {_activity_name(visit).nb}.",
        f"IHS4 {ihs4} (moderate–severe from 4), Hurley {hurley_name(visit.hurley)}, inflammatory "
        f"activity {_activity_name(visit).en}.",
    )
    return Criterion(met, reading(text), missing)


def c2_failed_tetracycline_and_activity(c0: Criterion, visit: Visit | None) -> Criterion:
    """C2 (Reading): C0 and moderate–severe activity (IHS4 ≥ 4 or the clinician's assessment of
    the worst region moderate/severe), whatever the Hurley stage."""
    if visit is None:
        return Criterion(
            all3(c0.met, None),
            _no_assessment().reason,
            () if c0.met is False else (*c0.missing, "assessments"),
        )
    ihs4 = visit.lesions.ihs4
    activity = _activity(visit)
    active = any3(ihs4 >= scores.IHS4_MODERATE_FROM, activity)
    met = all3(c0.met, active)
    missing: tuple[str, ...] = ()
    if met is None:
        missing = (c0.missing if c0.met is None else ()) + (
            (visit.path("inflammatory_activity"),) if active is None else ()
        )
    tetra = (
        Text("C0 er oppfylt", "C0 is met")
        if c0.met
        else Text("C0 er ikke oppfylt", "C0 is not met")
        if c0.met is False
        else Text("C0 er ukjent", "C0 is unknown")
    )
    text = Text(
        f"{tetra.nb}; IHS4 {ihs4}, inflammatorisk aktivitet {_activity_name(visit).nb}.",
        f"{tetra.en}; IHS4 {ihs4}, inflammatory activity {_activity_name(visit).en}.",
    )
    return Criterion(met, reading(text), missing)


def c3_dlqi(visit: Visit | None) -> Criterion:
    """C3: DLQI ≥ 11; XB-6 Reading (C3 under 16): CDLQI ≥ 13, the start of its "very large
    effect" band as 11 starts the DLQI's."""
    if visit is None:
        return _no_assessment()
    if visit.instrument == "cdlqi":
        return _c3_cdlqi(visit)
    if visit.dlqi is None:
        return Criterion(
            None,
            Text(
                "DLQI er ikke registrert ved siste vurdering.",
                "The DLQI is not recorded at the latest assessment.",
            ),
            (visit.path("dlqi"),),
        )
    return Criterion(
        visit.dlqi >= scores.DLQI_ELIGIBLE_FROM,
        Text(f"DLQI {visit.dlqi} (krav ≥ 11).", f"DLQI {visit.dlqi} (≥ 11 required)."),
        (),
    )


def _c3_cdlqi(visit: Visit) -> Criterion:
    """XB-6 Reading (C3 under 16): the patient was under 16 on the assessment date."""
    beyond = Text(
        " Under 16 år gjelder barne-DLQI (XB-6 Reading; utover NFDV-retningslinjen (2019); "
        "Lewis-Jones og Finlay 1995, bånd Waters mfl. 2010).",
        " Under 16 years the children's DLQI applies (XB-6 Reading; beyond the NFDV guideline "
        "(2019); Lewis-Jones & Finlay 1995, bands Waters et al. 2010).",
    )
    if visit.dlqi is None:
        return Criterion(
            None,
            Text(
                "CDLQI er ikke registrert ved siste vurdering.",
                "The CDLQI is not recorded at the latest assessment.",
            )
            + beyond,
            (visit.path("dlqi"),),
        )
    return Criterion(
        visit.dlqi >= scores.CDLQI_ELIGIBLE_FROM,
        Text(f"CDLQI {visit.dlqi} (krav ≥ 13).", f"CDLQI {visit.dlqi} (≥ 13 required).") + beyond,
        (),
    )


def c4_no_contraindication(screening: ScreeningResult) -> Criterion:
    """C4: no contraindication to the biologic (SC-2 Reading)."""
    if screening.contraindications:
        found = join([CONTRAINDICATIONS[c] for c in screening.contraindications])
        text = Text(f"kontraindikasjon: {found.nb}.", f"contraindication: {found.en}.")
    elif screening.no_contraindication is None:
        # the fields are listed once, by SC-2's screening result and TX-6's summary
        count = len(dict.fromkeys(field_label(p) for p in screening.unknown))
        text = Text(
            f"anamnesen før biologisk behandling er ikke fullstendig: {count} "
            f"{'opplysning' if count == 1 else 'opplysninger'} mangler (SC-2).",
            f"the history before a biologic is incomplete: {count} "
            f"{'item' if count == 1 else 'items'} not recorded (SC-2).",
        )
    else:
        text = Text("ingen kontraindikasjon registrert.", "no contraindication recorded.")
    return Criterion(screening.no_contraindication, reading(text), screening.unknown)


def _activity_name(visit: Visit) -> Text:
    if visit.inflammatory_activity is None:
        return Text("ikke vurdert", "not assessed")
    return SEVERITY_NAMES[visit.inflammatory_activity]


def assess(history: History, screening: ScreeningResult) -> Eligibility:
    """TX-6 for the latest assessment."""
    visit = history.latest_visit
    c0 = c0_failed_tetracycline(history)
    c1 = c1_stage_and_activity(visit)
    c2 = c2_failed_tetracycline_and_activity(c0, visit)
    c3 = c3_dlqi(visit)
    c4 = c4_no_contraindication(screening)
    criteria = {"C0": c0, "C1": c1, "C2": c2, "C3": c3, "C4": c4}
    either = any3(c1.met, c2.met)
    met = all3(c0.met, either, c3.met, c4.met)

    missing: list[str] = []
    if met is None:
        deciding = [c0, c3, c4] + ([c1, c2] if either is None else [])
        for criterion in deciding:
            if criterion.met is None:
                missing += [m for m in criterion.missing if m not in missing]

    status: EligibilityStatus = (
        "eligible" if met else "not_eligible" if met is False else "insufficient_data"
    )
    why = [
        WHY.text("TX-6", Text(f"{name}: ", f"{name}: ") + _verdict(c.met) + c.reason)
        for name, c in criteria.items()
    ]
    summary = summary_text(status, tuple(missing))
    why.append(WHY.text("TX-6", summary))
    warnings: tuple[str, ...] = ()
    if visit is not None and (history.as_of - visit.date).days > CURRENT_ACTIVITY_DAYS:
        warnings = (ASSESSMENT_OLD,)
        why.append(current_activity_warning(visit.date, (history.as_of - visit.date).days))
    return Eligibility(
        status,
        criteria,
        tuple(missing),
        assessment_date=visit.date if visit else None,
        warnings=warnings,
        explanations=tuple(why),
    )


def summary_text(status: EligibilityStatus, missing: tuple[str, ...]) -> Text:
    """TX-6's conclusion; for ``insufficient_data`` it lists, once, what would decide it."""
    return {
        "eligible": Text(
            "Indikasjon for adalimumab er oppfylt: C0 og (C1 eller C2) og C3 og C4. Klinikeren "
            "avgjør.",
            "The indication for adalimumab is met: C0 and (C1 or C2) and C3 and C4. The "
            "clinician decides.",
        ),
        "not_eligible": Text(
            "Indikasjon for adalimumab er ikke oppfylt (krever C0 og (C1 eller C2) og C3 og C4).",
            "The indication for adalimumab is not met (requires C0 and (C1 or C2) and C3 and C4).",
        ),
        "insufficient_data": Text(
            f"Indikasjonen kan ikke avgjøres før dette er registrert: {field_list(missing).nb}.",
            f"The indication cannot be decided until this is recorded: {field_list(missing).en}.",
        ),
    }[status]


def current_activity_warning(assessed: date, days: int) -> Explanation:
    """Reading (current activity): the result stands, but rests on an old assessment."""
    return WHY.reading(
        "TX-6",
        f"C1, C2 og C3 bygger på en vurdering fra {d(assessed).nb} ({days} dager gammel, mer enn "
        "92). Resultatet står, men registrer en ny legevurdering og pasientrapport for dagens "
        "sykdomsaktivitet.",
        f"C1, C2 and C3 are based on an assessment from {d(assessed).en} ({days} days old, more "
        "than 92). The result stands, but register a new doctor's assessment and patient report "
        "for today's disease activity.",
    )


def _verdict(met: Tri) -> Text:
    if met is None:
        return Text("ukjent. ", "unknown. ")
    return Text("oppfylt. ", "met. ") if met else Text("ikke oppfylt. ", "not met. ")
