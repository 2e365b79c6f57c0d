"""The stories synthetic patients follow, one per patient, each exercising rules of the
guideline: a new referral, first-line antibiotics, eligible for adalimumab, screening
incomplete before a planned start, the 12-week evaluation due, partial responders, surgery
with its 6-month control, third line, biologics beyond the guideline, adolescents.

A story gets a `Journey` and whether it is *canonical*: the first patients of a run take the
stories in order, in the form that shows the decision now (e.g. the 12-week evaluation due
exactly today); the others vary in timing and outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from hsreg.treatments.models import DrugCourse, Intervention, InterventionType

from .journey import Journey, State, an_of

TETRACYCLINES = ("tetracycline", "lymecycline", "doxycycline")

# --- the stories --------------------------------------------------------------------------

Story = Callable[[Journey, bool], None]


def _referral(j: Journey, canonical: bool) -> None:
    """A new referral with mild to moderate disease: topical clindamycin (TX-2), for some
    with intralesional triamcinolone (TX-3), as a medical intervention whose 3-month control
    opens 77 days on (canonical: due now)."""
    rng = j.rng
    first = j.ago(100 if canonical else rng.randint(3, 160))
    j.history(first)
    state = j.state("mild" if canonical or rng.random() < 0.6 else "moderate")
    j.visit(first, state, dlqi_total=rng.randint(2, 12), criteria=True)
    i = j.intervention(
        first,
        InterventionType.MEDICAL,
        local_clindamycin=True,
        local_triamcinolone=rng.random() < 0.4,
    )
    end = first + timedelta(days=84)
    j.course(
        "clindamycin_topical",
        first,
        end=end if end <= j.today else None,
        stop="other" if end <= j.today else "",
        intervention=i,
        dose="2 ganger daglig",
    )
    control = first + timedelta(days=rng.randint(84, 100))
    if not canonical and control <= j.ago(3) and rng.random() < 0.8:
        j.control(i, j.respond(state, "responder"), rng.randint(0, 5), control)


def _first_line(j: Journey, canonical: bool) -> None:
    """On a tetracycline-class course (TX-4), ongoing: not yet eligible for a biologic (C0)."""
    rng = j.rng
    first = j.ago(rng.randint(30, 700))
    j.history(first)
    state = j.state("moderate")
    j.visit(first, state, dlqi_total=rng.randint(6, 16), criteria=True)
    start = max(j.ago(rng.randint(10, 120)), first)
    i = j.intervention(start, InterventionType.MEDICAL)
    j.course(rng.choice(TETRACYCLINES), start, intervention=i)
    control = start + timedelta(days=rng.randint(84, 98))
    if control <= j.ago(3):
        j.control(i, j.respond(state, "partial"), rng.randint(4, 12), control)


def _first_line_too_short(j: Journey, canonical: bool) -> None:
    """A tetracycline course stopped after a few weeks for the patient's wish: not a failed
    course (C0 unmet), so the next step is a proper course (TX-4, TX-12)."""
    rng = j.rng
    first = j.ago(rng.randint(120, 600))
    j.history(first)
    state = j.state("moderate")
    j.visit(first, state, dlqi_total=rng.randint(8, 18), criteria=True)
    i = j.intervention(first, InterventionType.MEDICAL)
    end = first + timedelta(days=rng.randint(14, 35))
    j.course(
        rng.choice(TETRACYCLINES),
        first,
        end=end,
        stop=rng.choice(("patient_wish", "other")),
        intervention=i,
    )
    j.control(
        i,
        j.respond(state, "none"),
        rng.randint(8, 18),
        first + timedelta(days=rng.randint(80, 100)),
    )


def _failed_first_line(j: Journey, first: date, *, adverse: bool = False) -> State:
    """Registration, then a tetracycline-class course that ended with inadequate effect after
    at least 12 weeks (or adverse effects after a few): C0 of TX-6. Returns the state then."""
    rng = j.rng
    j.history(first)
    state = j.state("moderate")
    j.visit(first, state, dlqi_total=rng.randint(8, 18), criteria=True)
    start = first + timedelta(days=rng.randint(0, 20))
    i = j.intervention(start, InterventionType.MEDICAL, local_clindamycin=rng.random() < 0.5)
    drug = rng.choice(TETRACYCLINES)
    if adverse:
        j.course(
            drug,
            start,
            end=start + timedelta(days=rng.randint(10, 30)),
            stop="adverse_effect",
            intervention=i,
        )
    else:
        reasons = ("inadequate_effect", "inadequate_effect_and_adverse_effect")
        stop = rng.choices(reasons, (85, 15))[0]
        j.course(
            drug, start, end=start + timedelta(days=rng.randint(84, 126)), stop=stop, intervention=i
        )
    worse = j.state("moderate" if rng.random() < 0.5 else "severe", hurley=2)
    j.control(i, worse, rng.randint(11, 22), start + timedelta(days=rng.randint(84, 110)))
    return worse


def _eligible_now(j: Journey, on: date) -> State:
    """An assessment meeting TX-6: IHS4 >= 4 with Hurley II-III and moderate-severe activity
    (C1/C2), DLQI >= 11 (C3)."""
    rng = j.rng
    state = j.state(rng.choice(("moderate", "severe", "severe")), hurley=2)
    j.visit(on, state, dlqi_total=rng.randint(11, 24), weigh=True)
    return state


def _eligible(j: Journey, canonical: bool) -> None:
    """Failed first line, active disease, DLQI >= 11, screening complete without a bar:
    eligible for adalimumab (TX-6 C0-C4), not yet started."""
    rng = j.rng
    adverse = not canonical and rng.random() < 0.3
    _failed_first_line(j, j.ago(rng.randint(250, 1100)), adverse=adverse)
    latest = j.ago(rng.randint(2, 40))
    _eligible_now(j, latest)
    j.screening(latest - timedelta(days=rng.randint(0, 20)))


def _not_eligible(j: Journey, canonical: bool) -> None:
    """Failed first line but a DLQI of at most 10 (C3 unmet), or mild disease (C1/C2 unmet):
    not eligible; surgery and local treatment remain (TX-12, SU-1)."""
    rng = j.rng
    _failed_first_line(j, j.ago(rng.randint(250, 1100)))
    latest = j.ago(rng.randint(2, 60))
    if canonical or rng.random() < 0.6:
        j.visit(latest, j.state("moderate", hurley=2), dlqi_total=rng.randint(2, 10))
    else:
        j.visit(latest, j.state("mild", hurley=1), dlqi_total=rng.randint(11, 20))
    if rng.random() < 0.5:
        j.screening(latest)


def _planned(j: Journey, canonical: bool, *, complete: bool) -> None:
    """Eligible, adalimumab planned to start in a few weeks: with the screening incomplete
    (SC-1/SC-2 due before the start; sometimes a live vaccine just given, VA-3) or complete."""
    rng = j.rng
    _failed_first_line(j, j.ago(rng.randint(250, 900)))
    latest = j.ago(rng.randint(2, 20))
    _eligible_now(j, latest)
    i = j.intervention(latest, InterventionType.MEDICAL)
    start = j.today + timedelta(days=14 if canonical else rng.randint(5, 40))
    j.course("adalimumab", start, regimen=rng.choice(("weekly_40", "biweekly_80")), intervention=i)
    j.screening(latest, complete=complete)
    if complete:
        j.vaccines_before(start)
    else:
        j.flu_seasons(j.ago(300))
        if canonical or rng.random() < 0.3:
            j.vaccinate(rng.choice(("yellow_fever", "mmr")), j.ago(rng.randint(3, 20)), live=True)


def _screening_incomplete(j: Journey, canonical: bool) -> None:
    _planned(j, canonical, complete=False)


def _planned_ready(j: Journey, canonical: bool) -> None:
    _planned(j, canonical, complete=True)


def _start_biologic(
    j: Journey, start: date, *, prior: bool = True, vaccines: bool = True
) -> tuple[State, int, Intervention]:
    """Failed first line (when ``prior``), screening and vaccines, then the baseline
    assessment on or just before the start day (MO-2's baseline) and the intervention that
    starts the course. Returns the baseline state, its DLQI and the intervention."""
    rng = j.rng
    if prior:
        _failed_first_line(j, start - timedelta(days=rng.randint(200, 700)))
    j.screening(start - timedelta(days=rng.randint(14, 40)))
    if vaccines:
        j.vaccines_before(start)
    state = j.state(rng.choice(("moderate", "severe", "severe")), hurley=2)
    while an_of(state) < 4:
        state = j.state("severe", hurley=2)
    base_dlqi = rng.randint(12, 26)
    j.visit(
        start - timedelta(days=rng.choice((0, 0, 0, 3, 7))), state, dlqi_total=base_dlqi, weigh=True
    )
    i = j.intervention(start, InterventionType.MEDICAL)
    return state, base_dlqi, i


def _adalimumab(
    j: Journey, start: date, i: Intervention, *, end: date | None = None, stop: str = ""
) -> DrugCourse:
    regimen = "" if j.age < 18 else j.rng.choice(("weekly_40", "biweekly_80"))
    return j.course("adalimumab", start, regimen=regimen, intervention=i, end=end, stop=stop)


def _week12_due(j: Journey, canonical: bool) -> None:
    """Adalimumab started 11-14 weeks ago, no assessment since: the 12-week evaluation (TX-9)
    and the 3-month control are due (canonical: started 84 days ago, due today)."""
    rng = j.rng
    start = j.ago(84 if canonical else rng.randint(77, 100))
    _, _, i = _start_biologic(j, start)
    _adalimumab(j, start, i)
    j.labs(start)


def _early(j: Journey, canonical: bool) -> None:
    """Adalimumab started in the last ten weeks: evaluation not due (TX-9); the first lab
    check a month after the start (LM-1), sometimes missed."""
    rng = j.rng
    start = j.ago(rng.randint(5, 70))
    _, _, i = _start_biologic(j, start)
    _adalimumab(j, start, i)
    j.labs(start, overdue=rng.random() < 0.25)


def _follow_ups(j: Journey, base: State, base_dlqi: int, since: date, *, kind: str) -> None:
    """Routine assessments every 3-4 months from ``since`` until recently."""
    rng = j.rng
    on = since + timedelta(days=rng.randint(80, 120))
    until = j.ago(rng.randint(0, 30))
    while on <= until:
        fall = rng.randint(4, base_dlqi) if kind == "responder" else rng.randint(0, 3)
        j.visit(on, j.respond(base, kind), dlqi_total=base_dlqi - fall)
        on += timedelta(days=rng.randint(80, 125))


def _responder(j: Journey, canonical: bool) -> None:
    """Adalimumab for months or years with an adequate response at week 12 (DLQI fall >= 4
    and HiSCR): continue (TX-9, TX-10). Lab checks every 2-3 months, now and then overdue."""
    rng = j.rng
    start = j.ago(rng.randint(150, 1800))
    state, base_dlqi, i = _start_biologic(j, start)
    _adalimumab(j, start, i)
    week12 = start + timedelta(days=rng.randint(80, 95))
    j.control(i, j.respond(state, "responder"), base_dlqi - rng.randint(4, base_dlqi), week12)
    _follow_ups(j, state, base_dlqi, week12, kind="responder")
    j.labs(start, overdue=rng.random() < 0.15)


def _partial(j: Journey, canonical: bool) -> None:
    """AN reduced 25-49 % at week 12: continue another 12 weeks (TX-9); the week-24
    evaluation opens on day 161 (canonical: started 168 days ago, due today)."""
    rng = j.rng
    start = j.ago(168 if canonical else rng.randint(100, 175))
    state, base_dlqi, i = _start_biologic(j, start)
    _adalimumab(j, start, i)
    j.control(
        i,
        j.respond(state, "partial"),
        base_dlqi - rng.randint(1, 6),
        start + timedelta(days=rng.randint(80, 92)),
    )
    j.labs(start)


def _extended_responder(j: Journey, canonical: bool) -> None:
    """Partial at week 12, adequate at week 24 after the extension: continue (TX-9)."""
    rng = j.rng
    start = j.ago(rng.randint(200, 600))
    state, base_dlqi, i = _start_biologic(j, start)
    _adalimumab(j, start, i)
    j.control(
        i, j.respond(state, "partial"), base_dlqi - rng.randint(1, 3), start + timedelta(days=85)
    )
    week24 = start + timedelta(days=rng.randint(163, 175))
    j.visit(week24, j.respond(state, "responder"), dlqi_total=base_dlqi - rng.randint(4, base_dlqi))
    _follow_ups(j, state, base_dlqi, week24, kind="responder")
    j.labs(start)


def _non_responder(j: Journey, canonical: bool) -> None:
    """AN reduced < 25 % at week 12: stop adalimumab, consider third line (TX-9, TX-11); the
    course ended for inadequate effect, or the decision is fresh and the course still open.
    Some instead reach AN >= 50 % without the DLQI fall: clinical judgement."""
    rng = j.rng
    judgement = not canonical and rng.random() < 0.25
    fresh = canonical or rng.random() < 0.4
    start = j.ago(rng.randint(86, 100) if fresh else rng.randint(150, 900))
    state, base_dlqi, i = _start_biologic(j, start)
    week12 = start + timedelta(days=rng.randint(80, 85))
    if judgement:
        _adalimumab(j, start, i)
        j.control(i, j.respond(state, "responder"), base_dlqi - rng.randint(0, 3), week12)
    elif fresh:
        _adalimumab(j, start, i)
        j.control(i, j.respond(state, "none"), base_dlqi - rng.randint(-2, 2), week12)
    else:
        _adalimumab(
            j, start, i, end=week12 + timedelta(days=rng.randint(0, 14)), stop="inadequate_effect"
        )
        j.control(i, j.respond(state, "none"), base_dlqi - rng.randint(-2, 2), week12)
        j.visit(
            j.ago(rng.randint(5, 40)), j.state("severe", hurley=2), dlqi_total=rng.randint(12, 25)
        )
    j.labs(start, until=week12 + timedelta(days=14))


def _second_biologic(j: Journey, drug: str) -> None:
    """Adalimumab failed, then another biologic (TX-9 applies to any biologic course)."""
    rng = j.rng
    start = j.ago(rng.randint(30, 500))
    first_start = start - timedelta(days=rng.randint(200, 500))
    state, base_dlqi, i = _start_biologic(j, first_start)
    week12 = first_start + timedelta(days=85)
    _adalimumab(j, first_start, i, end=week12 + timedelta(days=7), stop="inadequate_effect")
    j.control(i, j.respond(state, "none"), base_dlqi, week12)
    state2, dlqi2, i2 = _start_biologic(j, start, prior=False, vaccines=False)
    j.course(drug, start, intervention=i2)
    week12b = start + timedelta(days=rng.randint(80, 95))
    if week12b <= j.ago(2):
        j.control(
            i2,
            j.respond(state2, rng.choice(("responder", "responder", "partial"))),
            dlqi2 - rng.randint(2, 10),
            week12b,
        )
    j.labs(start)


def _infliximab(j: Journey, canonical: bool) -> None:
    """Third line after adalimumab: infliximab (TX-11)."""
    _second_biologic(j, "infliximab")


def _il17(j: Journey, canonical: bool) -> None:
    """Beyond the guideline: secukinumab or bimekizumab after adalimumab (XS-1)."""
    _second_biologic(j, j.rng.choice(("secukinumab", "bimekizumab")))


def _rifampicin(j: Journey, canonical: bool) -> None:
    """Third line antibiotics: rifampicin + clindamycin for 12 weeks (TX-11)."""
    rng = j.rng
    worse = _failed_first_line(j, j.ago(rng.randint(300, 1200)))
    start = j.ago(rng.randint(20, 250))
    j.visit(start, worse, dlqi_total=rng.randint(8, 20))
    i = j.intervention(start, InterventionType.MEDICAL)
    end = start + timedelta(days=84)
    if end <= j.today:
        j.course(
            "rifampicin_clindamycin",
            start,
            end=end,
            stop=rng.choice(("remission", "inadequate_effect", "other")),
            intervention=i,
        )
    else:
        j.course("rifampicin_clindamycin", start, intervention=i)
    control = start + timedelta(days=rng.randint(84, 100))
    if control <= j.ago(3):
        j.control(
            i, j.respond(worse, rng.choice(("responder", "partial"))), rng.randint(3, 12), control
        )


def _surgery(j: Journey, canonical: bool) -> None:
    """Hurley II-III operated (SU-1, TX-5), alone or with medical treatment: the 6-month
    control is due 5 months on (canonical: operated 170 days ago, control due now)."""
    rng = j.rng
    first = j.ago(rng.randint(200, 900))
    j.history(first)
    state = j.state("severe" if rng.random() < 0.5 else "moderate", hurley=2)
    j.visit(first, state, dlqi_total=rng.randint(6, 20), criteria=True)
    operated = j.ago(170 if canonical else rng.randint(20, 420))
    operated = max(operated, first + timedelta(days=14))
    kind = InterventionType.SURGICAL if canonical or rng.random() < 0.75 else InterventionType.BOTH
    j.visit(operated - timedelta(days=rng.randint(1, 14)), state, dlqi_total=rng.randint(6, 20))
    i = j.intervention(operated, kind)
    if kind == InterventionType.BOTH:
        end = operated + timedelta(days=90)
        done = end <= j.today
        j.course(
            rng.choice(TETRACYCLINES),
            operated,
            end=end if done else None,
            stop="other" if done else "",
            intervention=i,
        )
    control = operated + timedelta(days=rng.randint(170, 200))
    if not canonical and control <= j.ago(2) and rng.random() < 0.9:
        j.control(i, j.respond(state, "responder"), rng.randint(1, 8), control)


def _adolescent(j: Journey, canonical: bool) -> None:
    """A 12-17-year-old (TX-7: 80 mg, then 40 mg every other week from week 1 at >= 30 kg):
    on adalimumab, or eligible with the weight recorded for the dose."""
    rng = j.rng
    if canonical or rng.random() < 0.6:
        start = j.ago(rng.randint(20, 250))
        first = start - timedelta(days=rng.randint(150, 300))
        j.history(first)
        state = j.state("moderate")
        j.visit(first, state, dlqi_total=rng.randint(10, 20), criteria=True)
        i0 = j.intervention(first, InterventionType.MEDICAL)
        j.course(
            rng.choice(("lymecycline", "doxycycline")),
            first,
            end=first + timedelta(days=rng.randint(84, 110)),
            stop="inadequate_effect",
            intervention=i0,
        )
        base, base_dlqi, i = _start_biologic(j, start, prior=False)
        _adalimumab(j, start, i)
        week12 = start + timedelta(days=rng.randint(80, 92))
        if week12 <= j.ago(2):
            j.control(i, j.respond(base, "responder"), base_dlqi - rng.randint(4, 10), week12)
        j.labs(start)
    else:
        _failed_first_line(j, j.ago(rng.randint(200, 500)))
        latest = j.ago(rng.randint(2, 40))
        _eligible_now(j, latest)
        j.screening(latest)


def _quiet(j: Journey, canonical: bool) -> None:
    """Long-standing mild disease in remission, or a patient who chose to wait: nothing due."""
    rng = j.rng
    first = j.ago(rng.randint(400, 2000))
    j.history(first)
    state = j.state("mild")
    j.visit(first, state, dlqi_total=rng.randint(1, 8), criteria=True)
    if rng.random() < 0.5:
        i = j.intervention(first, InterventionType.MEDICAL)
        j.course(
            rng.choice(TETRACYCLINES),
            first,
            end=first + timedelta(days=100),
            stop="remission",
            intervention=i,
        )
        j.control(i, j.respond(state, "responder"), rng.randint(0, 3), first + timedelta(days=95))
    else:
        j.intervention(
            first, rng.choice((InterventionType.NONE_BY_DOCTOR, InterventionType.NONE_BY_PATIENT))
        )
    on = first + timedelta(days=rng.randint(200, 400))
    while on <= j.ago(30):
        j.visit(on, j.state("mild"), dlqi_total=rng.randint(0, 5), report=rng.random() < 0.7)
        on += timedelta(days=rng.randint(300, 500))


#: every story in the order the first patients of a run take them, with its weight after that
STORIES: tuple[tuple[str, int, Story], ...] = (
    ("week12_due", 5, _week12_due),
    ("eligible", 8, _eligible),
    ("not_eligible", 6, _not_eligible),
    ("partial", 5, _partial),
    ("screening_incomplete", 4, _screening_incomplete),
    ("surgery", 8, _surgery),
    ("referral", 8, _referral),
    ("responder", 14, _responder),
    ("planned_ready", 3, _planned_ready),
    ("non_responder", 4, _non_responder),
    ("extended_responder", 3, _extended_responder),
    ("early", 4, _early),
    ("first_line", 8, _first_line),
    ("first_line_too_short", 3, _first_line_too_short),
    ("infliximab", 2, _infliximab),
    ("il17", 2, _il17),
    ("rifampicin_clindamycin", 3, _rifampicin),
    ("adolescent", 3, _adolescent),
    ("quiet", 5, _quiet),
)
STORY_NAMES = tuple(name for name, _, _ in STORIES)
STORY_FUNCTIONS: dict[str, Story] = {name: tell for name, _, tell in STORIES}
