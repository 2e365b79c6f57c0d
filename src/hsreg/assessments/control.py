"""Whether a 3- or 6-month control could be done, on both control forms (the patient's report
and the doctor's assessment): HISREG's CONTROL_POSSIBLE and IMPOSSIBLE_REASON, which R reads
from patientcontrol and doctorcontrol (lastShinyHisreg.R) and codes 1 "Møtte ikke", 2 "Død",
9 "Vet ikke" (hisregPrepVar.R, valgtVar IMPOSSIBLE_REASON).

A control that could not be done needs only the reason: every other question of the form is
then not asked, so it is neither required nor stored (the server clears it, as for any
branch), and the page hides it. Before-treatment forms do not ask the question, and a control
saved before it was asked (null) counts as possible. The patient's own questionnaire
(hsreg.questionnaires) never asks it: a patient who answers has come to the control.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.utils.translation import gettext

from hsreg.records.forms import RecordForm, When, only_when
from hsreg.records.layout import CONTROL_OCCASIONS, Group, RowGroup, as_choice

NOT_POSSIBLE = "0"
#: a group asked unless the control could not be done ("1" yes, or not asked: before treatment)
GATE = When("control_possible", ("1", ""))
#: the same inside the control's own follow-up group (asked only at a control): a distinct
#: object, told apart by identity (``is``)
FOLLOW_GATE = When("control_possible", ("1", ""))
#: the questions of a control form that stay when the control could not be done
KEPT = ("date", "occasion", "intervention", "control_possible", "impossible_reason", "comment")


def control_questions() -> list[Any]:
    """The control's first questions, in the occasion's group after the intervention."""
    return [
        "control_possible",
        only_when("control_possible", NOT_POSSIBLE, items=["impossible_reason"]),
    ]


def not_possible(form: RecordForm, values: dict[str, Any]) -> bool:
    """Whether ``values`` say the control could not be done."""
    return (
        form.occasion(values) in CONTROL_OCCASIONS
        and as_choice(values.get("control_possible")) == NOT_POSSIBLE
    )


class ControlPossible(RecordForm):
    """The gate of a control form (mixed in before the form's own class)."""

    def is_asked(self, name: str, values: dict[str, Any]) -> bool:
        if name not in KEPT and name in self.fields and not_possible(self, values):
            return False
        when = self._branch.get(name)
        if when is GATE:
            return True  # the gate's own test is the line above
        if when is FOLLOW_GATE:
            return self.occasion(values) in CONTROL_OCCASIONS
        return super().is_asked(name, values)

    def display(self) -> list[RowGroup]:
        """The stored answers: only the occasion and the reason when the control could not be
        done; else as laid out, the gates (which read an answer a before-treatment form does
        not have) left out."""
        impossible = self.control_not_possible()

        def ungated(g: Group) -> Group:
            items = tuple(i if isinstance(i, str) else ungated(i) for i in g.items)
            when = None if g.when is GATE or g.when is FOLLOW_GATE else g.when
            return replace(g, items=items, when=when)

        def kept(g: Group) -> bool:
            return any(i in KEPT for i in g.items if isinstance(i, str))

        laid_out = self.LAYOUT  # the instance's own (XB-6: the CDLQI's) or the class's
        own = "LAYOUT" in vars(self)
        self.LAYOUT = tuple(ungated(g) for g in laid_out if not impossible or kept(g))  # type: ignore[misc]
        try:
            return super().display()
        finally:
            if own:
                self.LAYOUT = laid_out  # type: ignore[misc]
            else:
                del self.LAYOUT

    def clean_control(self, values: dict[str, Any]) -> None:
        """A control not possible names why (on finishing; a draft may wait)."""
        if (
            self.finishing
            and not_possible(self, values)
            and values.get("impossible_reason") is None
            and "impossible_reason" not in (self._errors or {})
        ):
            self.add_error(
                "impossible_reason",
                gettext("The control was not possible: say why to finish the form."),
            )

    def control_not_possible(self) -> bool:
        """For the page: the stored control could not be done."""
        return not_possible(self, {"control_possible": self.instance.control_possible})
