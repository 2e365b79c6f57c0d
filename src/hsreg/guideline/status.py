"""Whether something the guideline asks for is overdue, due or not yet due, on a given day.

One function for every dated item (the week-12/24 evaluation of TX-9, the lab check of LM-1,
screening before a planned biologic of SC-1/SC-2, the vaccines of VA-2), so the patient page's
guideline panel and the worklists can never disagree about the same item: both read
`due_status`.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from .text import Text

DueStatus = Literal["overdue", "due", "not_yet"]

STATUS_NAMES: dict[DueStatus, Text] = {
    "overdue": Text("forfalt", "overdue"),
    "due": Text("aktuell nå", "due"),
    "not_yet": Text("ikke aktuell ennå", "not yet due"),
}


def due_status(today: date, *, due_on: date | None, opens_on: date | None = None) -> DueStatus:
    """``overdue`` once ``due_on`` has passed (the day after it), ``due`` from ``opens_on``
    (default: ``due_on`` itself) up to and including ``due_on``, ``not_yet`` before.

    ``due_on`` None: due with no deadline (a non-live vaccine that may be given during the
    treatment, VA-3), so ``due`` from ``opens_on`` and never ``overdue``.
    """
    opens = opens_on if opens_on is not None else due_on
    if opens is not None and today < opens:
        return "not_yet"
    if due_on is not None and today > due_on:
        return "overdue"
    return "due"
