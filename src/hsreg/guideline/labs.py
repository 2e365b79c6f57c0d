"""LM-1: when the next monitoring blood tests are due during a biologic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .catalog import drug_name
from .dates import add_months
from .history import History
from .monitoring import current_biologic
from .status import DueStatus, due_status
from .text import Explanation, Text, Topic, d, explanations_field, reading

WHY = Topic("labs")
FIRST_CHECK_MONTHS = 1
WINDOW_OPENS_MONTHS = 2
DUE_MONTHS = 3
TESTS = Text(
    "hemoglobin, hvite med differensialtelling, trombocytter, ALAT, ALP, GGT, kreatinin, CRP; "
    "urinprøve ved indikasjon",
    "haemoglobin, white cells with differential, platelets, ALT, ALP, GGT, creatinine, CRP; "
    "urine test when indicated",
)


@dataclass(frozen=True, slots=True)
class Labs:
    next_due: date | None = None
    window_start: date | None = None
    last_check: date | None = None
    overdue: bool | None = None
    status: DueStatus | None = None  # guideline.status: overdue / due / not yet
    explanations: tuple[Explanation, ...] = explanations_field()


def next_check(history: History) -> Labs:
    """LM-1 Reading: the first check 1 calendar month after the start; after each check the
    next window opens 2 and is due 3 calendar months later."""
    course = current_biologic(history)
    if course is None:
        return Labs(
            explanations=(
                WHY(
                    "LM-1",
                    "Blodprøvekontroller gjelder under pågående biologisk behandling.",
                    "Monitoring blood tests apply while a biologic is ongoing.",
                ),
            ),
        )
    checks = [c for c in history.lab_checks if c >= course.start]
    name = drug_name(course.drug.id)
    if checks:
        last = checks[-1]
        window_start = add_months(last, WINDOW_OPENS_MONTHS)
        due = add_months(last, DUE_MONTHS)
        text = Text(
            f"siste kontroll {d(last).nb}: neste fra {d(window_start).nb}, senest {d(due).nb}",
            f"last check {d(last).en}: next from {d(window_start).en}, due by {d(due).en}",
        )
    else:
        last = None
        due = window_start = add_months(course.start, FIRST_CHECK_MONTHS)
        text = Text(
            f"{name.nb} startet {d(course.start).nb}: første kontroll {d(due).nb}",
            f"{name.en} started {d(course.start).en}: first check due {d(due).en}",
        )
    status = due_status(history.as_of, due_on=due, opens_on=window_start)
    overdue = status == "overdue"
    late = Text(" (forfalt)", " (overdue)") if overdue else Text("", "")
    return Labs(
        due,
        window_start,
        last,
        overdue,
        status,
        (
            WHY.text(
                "LM-1",
                reading(text + late + Text(f". Prøver: {TESTS.nb}.", f". Tests: {TESTS.en}.")),
            ),
        ),
    )
