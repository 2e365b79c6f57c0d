"""The measured burden (issue 13, point 7): the fields clinic staff type per follow-up episode
before and after the patients answer their own forms, counted from the forms' definitions.

Run ``python -m hsreg.questionnaires.burden``: it prints a Markdown table (the README shows it).

An episode is a baseline visit and its control: HISREG's 3-month control after a medical
intervention, the 6-month one after a surgical intervention (guideline.followup). Each form
is counted as its LAYOUT asks it (records.layout: ``group``/``only_when`` with ``When``),
following one typical path through the branches (``PATHS``, each answer that opens or closes
a branch written down there), so a question counts only when it is asked on that path:

- a field is anything typed or ticked: a number, a choice, a date, a tick box;
- the internal comment is not counted (never required, rarely typed);
- the doctor's assessment counts its lesions per body region in two regions (the grid's six
  cells each, assessments.forms.CELLS), and then not the totals and Hurley stage the grid
  computes (ST-1);
- the medical history is typed once per patient, not per episode, and a drug course is typed
  the same way before and after: neither is counted.

Before: staff type the patient's status form and control from paper, and the doctor's
assessments and the intervention. After: the patient answers their own forms
(questionnaires); staff type the doctor's forms only, plus one action to send the status
form's invitation (the control's is sent by the schedule, questionnaires.schedule, at a unit
that has turned it on).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

#: the regions a typical doctor's assessment counts lesions in (both armpits)
TYPICAL_REGIONS = 2
#: computed from the region grid when regions are counted (assessments.forms.clean_record)
FROM_GRID = ("nodules", "abscesses", "draining_tunnels", "hurley")
NOT_COUNTED = ("comment",)
SEND_INVITATION = 1


@dataclass(frozen=True)
class Path:
    """One form as typed at one visit: the answers that decide its branches (as a form
    submits them) and which dynamic branches are open."""

    label: str
    form: str  # "patient" | "doctor" | "intervention"
    answers: dict[str, str]
    dynamic: dict[str, bool] = field(default_factory=dict)
    patients_own: bool = False


def _paths(*, surgical: bool) -> list[Path]:
    control = "6m" if surgical else "3m"
    typical = {
        "dlqi_7": "0",  # "No": works or studies, so item 7's follow-up is asked (MO-1a)
        "still_on_treatment": "1",  # still on it: the dose is asked, not the stop reason
        "other_complications": "0",  # no other complication to describe
    }
    return [
        Path(
            "Patient's status form (baseline)",
            "patient",
            {**typical, "occasion": "pre"},
            patients_own=True,
        ),
        Path("Doctor's assessment (baseline)", "doctor", {"occasion": "pre"}),
        Path("Intervention", "intervention", {"type": "1" if surgical else "2"}),
        Path(
            "Patient's control (3 months after medical, 6 after surgical)",
            "patient",
            {**typical, "occasion": control},
            dynamic={"surgical_interventions": surgical},
            patients_own=True,
        ),
        Path("Doctor's assessment at the control", "doctor", {"occasion": control}),
    ]


def _form_class(kind: str) -> Any:
    from hsreg.assessments.forms import DoctorAssessmentForm, PatientReportForm  # noqa: PLC0415
    from hsreg.treatments.forms import InterventionForm  # noqa: PLC0415

    return {
        "patient": PatientReportForm,
        "doctor": DoctorAssessmentForm,
        "intervention": InterventionForm,
    }[kind]


def asked_fields(path: Path) -> list[str]:
    """The fields of ``path``'s form asked on its path, in the form's order (as
    RecordForm.is_asked decides, from the form's LAYOUT)."""
    from hsreg.assessments.control import FOLLOW_GATE, GATE  # noqa: PLC0415

    form = _form_class(path.form)

    def is_asked(name: str) -> bool:
        when = form._branch.get(name)
        if when is None or when is GATE:  # a control that was possible (assessments.control)
            return True
        if when is FOLLOW_GATE:
            return path.answers.get("occasion", "") in ("3m", "6m")
        if not is_asked(when.field):
            return False
        if when.dynamic:
            return path.dynamic.get(when.dynamic, False)
        return path.answers.get(when.field, "") in when.values

    skipped = {*NOT_COUNTED, *(FROM_GRID if path.form == "doctor" else ())}
    return [name for name in form._order if name not in skipped and is_asked(name)]


def count(path: Path) -> int:
    """The fields typed for ``path``: its asked fields, and the region grid's cells."""
    from hsreg.assessments.forms import CELLS  # noqa: PLC0415

    grid = TYPICAL_REGIONS * len(CELLS) if path.form == "doctor" else 0
    return len(asked_fields(path)) + grid


@dataclass(frozen=True)
class Row:
    label: str
    before: int
    after: int


def episode(*, surgical: bool) -> list[Row]:
    """Each form of the episode with the fields staff type before and after."""
    rows = [
        Row(path.label, count(path), 0 if path.patients_own else count(path))
        for path in _paths(surgical=surgical)
    ]
    rows.append(Row("Sending the status form's invitation", 0, SEND_INVITATION))
    return rows


def table() -> str:
    """The Markdown table of both episodes."""
    medical, surgical = episode(surgical=False), episode(surgical=True)
    lines = [
        "| Typed by clinic staff per episode | Medical, before | Medical, after "
        "| Surgical, before | Surgical, after |",
        "|---|---:|---:|---:|---:|",
    ]
    for m, s in zip(medical, surgical, strict=True):
        lines.append(f"| {m.label} | {m.before} | {m.after} | {s.before} | {s.after} |")
    (mb, ma), (sb, sa) = totals().values()
    lines.append(f"| **Total** | **{mb}** | **{ma}** | **{sb}** | **{sa}** |")
    lines.append(f"| **Saved** | | **{_saved(mb, ma)}** | | **{_saved(sb, sa)}** |")
    return "\n".join(lines)


def totals() -> dict[str, tuple[int, int]]:
    """(before, after) per episode: for the tests and the README's text."""
    return {
        kind: (sum(r.before for r in rows), sum(r.after for r in rows))
        for kind, rows in (
            ("medical", episode(surgical=False)),
            ("surgical", episode(surgical=True)),
        )
    }


def _saved(before: int, after: int) -> str:
    return f"{before - after} ({round(100 * (before - after) / before)} %)"


def main() -> None:
    """Prints the table. Django is set up with hsreg's settings if it is not yet (as the
    ``hsreg`` command does: HSREG_SECRET_KEY, or HSREG_DEMO=1); the forms' definitions are
    read, the database is not."""
    from django.apps import apps  # noqa: PLC0415

    if not apps.ready:
        from hsreg.cli.common import InputError, setup_django  # noqa: PLC0415

        try:
            setup_django()
        except InputError as error:
            print(f"hsreg: {error}", file=sys.stderr)  # noqa: T201
            raise SystemExit(2) from None
    print(table())  # noqa: T201 - the script's output


if __name__ == "__main__":
    main()
