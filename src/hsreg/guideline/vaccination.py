"""VA-1..3: vaccines due, and when a biologic may start or a live vaccine be given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .dates import add_months
from .history import Course, History
from .monitoring import current_biologic
from .text import Explanation, Text, Topic, d, explanations_field, join

WHY = Topic("vaccination")
LIVE_VACCINE_GAP_DAYS = 28  # VA-1, VA-3: at the latest 4 weeks before a biologic starts
LIVE_AFTER_BIOLOGIC_MONTHS = 3  # VA-3: at the earliest 3 months after it ended
# VA-2 with the VA Reading: months since the last dose after which a vaccine is due again.
RECOMMENDED: dict[str, int] = {"influenza": 12, "pneumococcal": 120, "dtap_ipv": 120}
VACCINE_NAMES: dict[str, Text] = {
    "influenza": Text("influensavaksine (årlig)", "influenza vaccine (yearly)"),
    "pneumococcal": Text(
        "pneumokokkvaksine (Pneumovax, hvert 10. år)",
        "pneumococcal vaccine (Pneumovax, every 10 years)",
    ),
    "dtap_ipv": Text(
        "difteri-tetanus-kikhoste-polio (Boostrix, hvert 10. år)",
        "diphtheria-tetanus-pertussis-polio (Boostrix, every 10 years)",
    ),
}


# VA-3: the vaccines of VA-2 are non-live, so they may be given during a biologic.
NON_LIVE = frozenset(RECOMMENDED)


@dataclass(frozen=True, slots=True)
class VaccinationResult:
    """VA-1..3. ``give_by`` is VA-1's deadline for live vaccines before a planned start, never a
    day already past (Reading, a start closer than 4 weeks: then ``live_deadline_passed``);
    ``may_be_given_during_treatment`` lists the due vaccines that are non-live (VA-3)."""

    due: tuple[str, ...]
    on_or_starting_biologic: bool
    planned_biologic_start: date | None
    give_by: date | None
    earliest_biologic_start: date | None
    live_allowed: bool | None
    live_allowed_from: date | None
    live_allowed_until: date | None
    last_given: dict[str, date | None]
    missing: tuple[str, ...]
    may_be_given_during_treatment: tuple[str, ...] = ()
    live_deadline_passed: bool = False
    explanations: tuple[Explanation, ...] = explanations_field()


def _planned_biologic(history: History) -> Course | None:
    planned = [c for c in history.courses if c.drug.biologic and c.start > history.as_of]
    return planned[0] if planned else None


def vaccinate(history: History, *, eligible: bool) -> VaccinationResult:
    """VA-1..3 with the VA Reading. ``eligible``: TX-6 is met, so a biologic may start soon."""
    as_of = history.as_of
    current = current_biologic(history)
    planned = _planned_biologic(history)
    on_or_starting = current is not None or planned is not None or eligible
    why: list[Explanation] = []
    missing: list[str] = []

    last_given = {
        vaccine: max((dose.date for dose in history.doses if dose.vaccine == vaccine), default=None)
        for vaccine in RECOMMENDED
    }
    due: tuple[str, ...] = ()
    if on_or_starting:
        due = tuple(
            vaccine
            for vaccine, months in RECOMMENDED.items()
            if (given := last_given[vaccine]) is None or given <= add_months(as_of, -months)
        )
        if due:
            names = join([VACCINE_NAMES[v] for v in due])
            why.append(
                WHY.reading(
                    "VA-2",
                    f"anbefalt for alle på eller før biologisk behandling, ikke gitt innenfor "
                    f"intervallet: {names.nb}.",
                    f"recommended for everyone on or about to start a biologic, not given within "
                    f"the interval: {names.en}.",
                )
            )
        else:
            why.append(
                WHY(
                    "VA-2",
                    "Influensa-, pneumokokk- og Boostrix-vaksine er gitt innenfor intervallene.",
                    "Influenza, pneumococcal and Boostrix vaccines are given within their intervals.",
                )
            )
    else:
        why.append(
            WHY(
                "VA-2",
                "Vaksineanbefalingene gjelder pasienter på eller like før biologisk behandling.",
                "The vaccine recommendations apply to patients on or about to start a biologic.",
            )
        )

    deadline = planned.start - timedelta(days=LIVE_VACCINE_GAP_DAYS) if planned else None
    passed = deadline is not None and deadline < as_of
    if planned is not None and deadline is not None:
        why.append(_deadline_why(planned.start, deadline, passed=passed))
    during = tuple(v for v in due if v in NON_LIVE)
    if during == due and due:
        # VA-2's vaccines are all non-live: named once, by VA-2 above
        why.append(
            WHY(
                "VA-3",
                "Vaksinene som er aktuelle, er ikke-levende og kan gis under biologisk behandling.",
                "The vaccines due are non-live and may be given during a biologic.",
            )
        )
    elif during:
        names = join([VACCINE_NAMES[v] for v in during])
        why.append(
            WHY(
                "VA-3",
                f"Ikke-levende vaksiner kan gis under biologisk behandling: {names.nb}.",
                f"Non-live vaccines may be given during a biologic: {names.en}.",
            )
        )

    earliest = _earliest_start(history, missing, why)
    allowed, allowed_from, allowed_until = _live_window(history, current, deadline, why)
    return VaccinationResult(
        due=due,
        on_or_starting_biologic=on_or_starting,
        planned_biologic_start=planned.start if planned else None,
        give_by=None if passed else deadline,
        earliest_biologic_start=earliest,
        live_allowed=allowed,
        live_allowed_from=allowed_from,
        live_allowed_until=None if passed else allowed_until,
        last_given=last_given,
        missing=tuple(missing),
        may_be_given_during_treatment=during,
        live_deadline_passed=passed,
        explanations=tuple(why),
    )


def _deadline_why(start: date, deadline: date, *, passed: bool) -> Explanation:
    """VA-1 with the Readings (VA; a start closer than 4 weeks): the deadline binds live
    vaccines only, and a passed one is said in words, never shown as a date to meet."""
    if passed:
        return WHY.reading(
            "VA-1",
            f"planlagt start {d(start).nb} er nærmere enn 4 uker: levende vaksiner kan ikke gis "
            "før oppstart. Fristen gjelder bare levende vaksiner; ikke-levende vaksiner som er "
            "aktuelle, kan gis under behandlingen (VA-3), så oppstarten utsettes ikke.",
            f"the planned start {d(start).en} is closer than 4 weeks: live vaccines can no longer "
            "be given before it. The deadline binds live vaccines only; non-live vaccines that "
            "are due may be given during the treatment (VA-3), so the start is not delayed.",
        )
    return WHY.reading(
        "VA-1",
        f"levende vaksiner gis senest 4 uker før oppstart: innen {d(deadline).nb} (planlagt "
        f"start {d(start).nb}). Ikke-levende vaksiner kan også gis under behandlingen (VA-3).",
        f"live vaccines are given at the latest 4 weeks before the start: by {d(deadline).en} "
        f"(planned start {d(start).en}). Non-live vaccines may also be given during the "
        "treatment (VA-3).",
    )


def _earliest_start(history: History, missing: list[str], why: list[Explanation]) -> date | None:
    """VA Reading: earliest biologic start = latest live vaccine + 28 days (``None``: no live
    vaccine recorded, or one whose kind is unknown could move it)."""
    live = [dose for dose in history.doses if dose.live]
    earliest = live[-1].date + timedelta(days=LIVE_VACCINE_GAP_DAYS) if live else None
    uncertain = [
        dose
        for dose in history.doses
        if dose.live is None
        and (earliest is None or dose.date + timedelta(days=LIVE_VACCINE_GAP_DAYS) > earliest)
    ]
    if uncertain:
        missing += [dose.path("live") for dose in uncertain]
        why.append(
            WHY(
                "VA-3",
                "Det er ikke registrert om disse vaksinene var levende: "
                f"{', '.join(dose.vaccine for dose in uncertain)}; tidligste oppstart kan ikke "
                "beregnes.",
                "It is not recorded whether these vaccines were live: "
                f"{', '.join(dose.vaccine for dose in uncertain)}; the earliest start cannot be "
                "computed.",
            )
        )
        return None
    if earliest is not None:
        why.append(
            WHY.reading(
                "VA-3",
                f"siste levende vaksine {d(live[-1].date).nb} ({live[-1].vaccine}): biologisk "
                f"behandling tidligst fra {d(earliest).nb}.",
                f"latest live vaccine {d(live[-1].date).en} ({live[-1].vaccine}): a biologic may "
                f"start from {d(earliest).en}.",
            )
        )
    return earliest


def _live_window(
    history: History, current: Course | None, give_by: date | None, why: list[Explanation]
) -> tuple[bool | None, date | None, date | None]:
    """VA Reading: live vaccines never during a biologic; again from its end + 3 calendar
    months; before a planned one, at the latest 4 weeks before its start."""
    if current is not None:
        why.append(
            WHY.reading(
                "VA-3",
                "levende vaksiner gis ikke under biologisk behandling; ikke-levende vaksiner kan gis.",
                "live vaccines are never given during a biologic; non-live vaccines may be given.",
            )
        )
        return False, None, None
    ended = [c for c in history.courses if c.drug.biologic and c.ended_by(history.as_of)]
    allowed_from = (
        add_months(max(c.end for c in ended if c.end), LIVE_AFTER_BIOLOGIC_MONTHS)
        if ended
        else None
    )
    allowed = (allowed_from is None or history.as_of >= allowed_from) and (
        give_by is None or history.as_of <= give_by
    )
    if allowed_from is not None:
        why.append(
            WHY.reading(
                "VA-3",
                f"levende vaksiner tidligst 3 måneder etter avsluttet biologisk behandling: fra "
                f"{d(allowed_from).nb}.",
                f"live vaccines at the earliest 3 months after the biologic ended: from "
                f"{d(allowed_from).en}.",
            )
        )
    return allowed, allowed_from, give_by
