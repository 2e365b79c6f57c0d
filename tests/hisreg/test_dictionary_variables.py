"""Issue 16, point 4: every dictionary variable stored. The parent questions' no and don't know
(0/9) and a control that could not be done travel through the import and back out of the
export unchanged; pain scores are written as the dictionary's whole numbers; the form-coverage
table is the code's and the README shows it."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from hsreg.accounts.actor import system_actor
from hsreg.assessments.models import DoctorAssessment, PatientReport
from hsreg.hisreg.coverage import coverage, form_variables, table
from hsreg.hisreg.importing import import_directory
from hsreg.hisreg.sources_intervention import GROUPS, SITES
from hsreg.hisreg.values import whole
from hsreg.records.klokebok import questions
from hsreg.treatments.intervention_answers import SITE_ANSWERS
from hsreg.treatments.models import Intervention

from .conftest import export_to

README = Path(__file__).resolve().parents[2] / "README.md"


def rows(directory: Path, name: str) -> tuple[list[str], list[list[str]]]:
    with (directory / name).open(encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle, delimiter=";"))
    return lines[0], lines[1:]


def write(directory: Path, name: str, header: list[str], body: list[list[str]]) -> None:
    with (directory / name).open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\n").writerows([header, *body])


def by_id(directory: Path, name: str) -> dict[str, dict[str, str]]:
    header, body = rows(directory, name)
    return {r[header.index("FORM_ID")]: dict(zip(header, r, strict=True)) for r in body}


def test_the_twelve_parent_questions_are_the_dictionarys():
    """The dictionary's activating list questions coded 0/1/9 of the intervention form: the
    eight sites and the four drug groups (BASED_MEDICAL_TREATMENT is 0/1 only)."""
    found = {
        name
        for (table_name, name), q in questions().items()
        if table_name == "intervention"
        and q.kind == "Listevariabel"
        and set(q.codes) == {"0", "1", "9"}
        and not name.startswith("INTRAOPERATIVE_")
    }
    groups = {g.question for g in GROUPS} | {"ANALGESICS"}
    assert found == set(SITES) | groups
    assert len(found) == 12
    assert set(questions()[("intervention", "BASED_MEDICAL_TREATMENT")].codes) == {"0", "1"}
    assert len(SITE_ANSWERS) == len(SITES)


def test_no_and_dont_know_round_trip_through_import_and_export(exported, tmp_path):
    header, body = rows(exported, "intervention.csv")
    col = header.index
    surgical = next(i for i, r in enumerate(body) if r[col("TYPE_INTERVENTION")] in ("1", "3"))
    medical = next(i for i, r in enumerate(body) if r[col("TYPE_INTERVENTION")] == "2")
    unticked = [
        q for q, boxes in SITES.items() if all(body[surgical][col(b)] != "1" for b in boxes)
    ]
    assert len(unticked) >= 2
    body[surgical][col(unticked[0])] = "9"
    body[surgical][col(unticked[1])] = "0"
    group = next(g for g in GROUPS if all(body[medical][col(b)] != "1" for b in g.boxes))
    other, _text, _drugs = group.other
    if body[medical][col(other)] != "1":
        body[medical][col(group.question)] = "9"
    write(exported, "intervention.csv", header, body)
    outcome = import_directory(directory=exported, actor=system_actor(), check=False)
    assert outcome.imported, outcome.problems.lines()
    again = by_id(export_to(tmp_path / "again"), "intervention.csv")
    ids = body[surgical][col("FORM_ID")], body[medical][col("FORM_ID")]
    assert again[ids[0]][unticked[0]] == "9"
    assert again[ids[0]][unticked[1]] == "0"
    assert again[ids[1]][group.question] == body[medical][col(group.question)]
    kept = Intervention.objects.get(pk=int(ids[0]))
    assert getattr(kept, list(SITE_ANSWERS)[list(SITES).index(unticked[0])]) == 9


def test_a_control_not_possible_round_trips_with_only_its_reason(exported, tmp_path):
    header, body = rows(exported, "doctorcontrol.csv")
    col = header.index
    body[0][col("CONTROL_POSSIBLE")] = "0"
    body[0][col("IMPOSSIBLE_REASON")] = "2"
    write(exported, "doctorcontrol.csv", header, body)
    outcome = import_directory(directory=exported, actor=system_actor(), check=False)
    assert outcome.imported, outcome.problems.lines()
    control = DoctorAssessment.objects.get(pk=int(body[0][col("FORM_ID")]))
    assert (control.control_possible, control.impossible_reason) == (0, 2)
    assert (control.nodules, control.hurley, control.hiscr_category) == (None, None, "")
    again = by_id(export_to(tmp_path / "again"), "doctorcontrol.csv")[body[0][col("FORM_ID")]]
    assert (again["CONTROL_POSSIBLE"], again["IMPOSSIBLE_REASON"], again["IHS4_NODULI"]) == (
        "0",
        "2",
        "",
    )


def test_a_bad_reason_code_is_a_problem(exported):
    header, body = rows(exported, "patientcontrol.csv")
    body[0][header.index("IMPOSSIBLE_REASON")] = "5"
    write(exported, "patientcontrol.csv", header, body)
    outcome = import_directory(directory=exported, actor=system_actor(), check=True)
    assert any(
        p.column == "IMPOSSIBLE_REASON" and "5 is not one of 1, 2, 9" in p.message
        for p in outcome.problems.found
    )


def test_pain_scores_are_written_as_whole_numbers_half_up(seeded, tmp_path):
    """The dictionary codes VASSCORE with 0 decimals; hsreg keeps the decimal and writes the
    whole number, half up (4.5 is 5, 4.4 is 4)."""
    assert [whole(Decimal(v)) for v in ("4.5", "4.4", "0.5", "9.5", "10.0")] == [5, 4, 1, 10, 10]
    report = PatientReport.objects.filter(occasion="pre", status="finished").first()
    PatientReport.objects.filter(pk=report.pk).update(vas_total=Decimal("6.5"))
    written = by_id(export_to(tmp_path / "out"), "preintervention.csv")[str(report.pk)]
    assert written["VASSCORE"] == "7"
    for name in ("patientcontrol.csv", "preintervention.csv"):
        header, body = rows(tmp_path / "out", name)
        for column in ("VASSCORE", "ABSCESS_PAIN", "VASSCORE_OTHER"):
            assert all("." not in r[header.index(column)] for r in body)


def test_the_doctors_control_writes_baseline_counts_and_hiscr(seeded, tmp_path):
    controls = DoctorAssessment.objects.filter(
        occasion__in=("3m", "6m"), status="finished", hiscr_category__gt=""
    )
    assert controls.exists()
    written = by_id(export_to(tmp_path / "out"), "doctorcontrol.csv")
    for control in controls[:5]:
        row = written[str(control.pk)]
        assert row["IHS4_NODULI_LAST"] == str(control.nodules_last)
        assert row["HISCR_CATEGORY"] == control.hiscr_category
        assert row["HISCR_CATEGORY"] in ("Full-Responder", "Non-Responder")
        assert row["IHS4SCORE_CATEGORY"] in ("1", "2", "3")


def test_coverage_lists_all_291_form_variables():
    found = coverage()
    assert len(form_variables()) == len(found) == 291
    assert all(c.kept_in for c in found)
    exceptions = {(c.form, c.variable) for c in found if c.exception}
    assert {v for _f, v in exceptions} == {"USERCOMMENT"}
    assert len(exceptions) == 8
    shown = table()
    assert shown.startswith("**291 of 291 stored; 283 of 291 exported.**")
    assert "privacy" in shown


def test_the_readme_shows_the_coverage_table():
    """The README's form-coverage table is the code's (python -m hsreg.hisreg.coverage)."""
    text = README.read_text(encoding="utf-8")
    generated = table()
    first = generated.splitlines()[0]
    assert first in text, "README.md has no coverage table: run python -m hsreg.hisreg.coverage"
    start = text.index(first)
    shown = "\n".join(text[start:].splitlines()[: len(generated.splitlines())])
    assert shown == generated, "README.md's coverage table differs: python -m hsreg.hisreg.coverage"
