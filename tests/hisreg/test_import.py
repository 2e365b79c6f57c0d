"""`hsreg hisreg import DIR` (issue 14, point 5): an empty registry only; every problem by
file, line and column, all of them; nothing imported unless all is valid; `--check` imports
nothing; units from units.csv, national id numbers from patients.csv; drug boxes as courses;
the services' audit rows and one row of the import."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from hsreg.accounts.actor import system_actor
from hsreg.assessments.models import DoctorAssessment, PatientReport
from hsreg.audit.models import AuditEvent
from hsreg.cli import main
from hsreg.hisreg.export import export
from hsreg.hisreg.importing import TARGET, NotEmptyError, import_directory
from hsreg.hisreg.problems import Problems
from hsreg.patients.models import Enrolment, Patient
from hsreg.treatments.models import DrugCourse, Intervention
from hsreg.units.models import Unit

from .conftest import export_to


def rows(directory: Path, name: str) -> tuple[list[str], list[list[str]]]:
    with (directory / name).open(encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle, delimiter=";"))
    return lines[0], lines[1:]


def write(directory: Path, name: str, header: list[str], body: list[list[str]]) -> None:
    with (directory / name).open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\n").writerows([header, *body])


def edit(directory: Path, name: str, index: int, **cells: str) -> int:
    """Sets ``cells`` of data line ``index`` (0 = the line after the header); returns the
    line's number in the file."""
    header, body = rows(directory, name)
    for column, value in cells.items():
        body[index][header.index(column)] = value
    write(directory, name, header, body)
    return index + 2


def run(directory: Path, capsys, *extra: str) -> tuple[int, str]:
    code = main(["hisreg", "import", str(directory), *extra])
    return code, capsys.readouterr().err


def test_an_import_brings_everything_in(exported, capsys):
    code, err = run(exported, capsys)
    assert code == 0, err
    assert "imported" in err
    _header, people = rows(exported, "patients.csv")
    assert sorted(Patient.objects.values_list("pk", flat=True)) == sorted(int(p[0]) for p in people)
    _header, doctor = rows(exported, "preinterventiondoctor.csv")
    assert DoctorAssessment.objects.filter(occasion="pre").count() == len(doctor)
    assessment = DoctorAssessment.objects.get(pk=int(doctor[0][2]))
    assert assessment.ihs4 is not None  # computed by the engine on save (ST-2)
    assert (AuditEvent.objects.filter(target=TARGET)).count() == 1


def test_a_registry_with_patients_is_refused(exported, capsys):
    assert run(exported, capsys)[0] == 0
    code, err = run(exported, capsys)
    assert code == 2
    assert "already has patients" in err
    with pytest.raises(NotEmptyError):
        import_directory(directory=exported, actor=system_actor(), check=True)


def test_check_imports_nothing(exported, capsys):
    code, err = run(exported, capsys, "--check")
    assert code == 0, err
    assert "would import" in err
    assert not Patient.objects.exists()
    assert not Intervention.objects.exists()
    assert not AuditEvent.objects.filter(target=TARGET).exists()
    assert run(exported, capsys)[0] == 0  # the check left the ids free


def test_every_problem_is_reported_and_nothing_imported(exported, capsys):
    hurley = edit(exported, "preinterventiondoctor.csv", 0, HURLEY_SCORE="4")
    smoking = edit(exported, "preintervention.csv", 1, SMOKING="7")
    age = edit(exported, "registration.csv", 0, AGE_ABSCESS="60", AGE_DOCTOR="", HIGHT="50")
    day = edit(exported, "intervention.csv", 0, INTERVENTION_DATE="2026-13-01")
    for check in (True, False):
        code, err = run(exported, capsys, *(["--check"] if check else []))
        assert code == 2
        assert (
            f"preinterventiondoctor.csv line {hurley}, column HURLEY_SCORE: 4 is not one of 1, 2, 3"
            in err
        )
        assert f"preintervention.csv line {smoking}, column SMOKING: 7 is not one of" in err
        assert f"registration.csv line {age}, column HIGHT: 50 is outside" in err
        assert f"intervention.csv line {day}, column INTERVENTION_DATE:" in err
        assert "nothing was imported" in err
        assert not Patient.objects.exists()


def test_a_forms_own_rule_is_reported_at_its_column(exported, capsys):
    header, body = rows(exported, "registration.csv")
    body[0][header.index("AGE_ABSCESS")] = "60"  # allowed by the dictionary (0-60)
    write(exported, "registration.csv", header, body)
    code, err = run(exported, capsys, "--check")
    assert code == 2
    assert "registration.csv line 2, column AGE_ABSCESS: Cannot be more than the patient" in err


def test_the_national_id_number_comes_from_patients_csv(exported, capsys):
    header, people = rows(exported, "patients.csv")
    number = people[0][header.index("NATIONAL_ID")]
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    edit(exported, "patients.csv", 0, NATIONAL_ID=wrong)
    missing = people[1][0]
    write(
        exported,
        "patients.csv",
        header,
        [p for p in rows(exported, "patients.csv")[1] if p[0] != missing],
    )
    code, err = run(exported, capsys)
    assert code == 2
    assert "patients.csv line 2, column NATIONAL_ID: The check digits do not match" in err
    assert wrong not in err
    assert number not in err
    assert f"column PATIENT_ID: {missing} is not in patients.csv" in err


def test_patients_csv_is_required(exported, capsys):
    (exported / "patients.csv").unlink()
    code, err = run(exported, capsys, "--check")
    assert code == 2
    assert "patients.csv: the file is missing" in err


def test_a_missing_table_or_column_is_reported(exported, capsys):
    (exported / "doctorcontrol.csv").unlink()
    header, body = rows(exported, "intervention.csv")
    at = header.index("OPERATION_TIME")
    write(
        exported,
        "intervention.csv",
        header[:at] + header[at + 1 :],
        [r[:at] + r[at + 1 :] for r in body],
    )
    code, err = run(exported, capsys, "--check")
    assert code == 2
    assert "doctorcontrol.csv: the file is missing" in err
    assert "intervention.csv line 1, column OPERATION_TIME: the column is missing" in err


def test_units_missing_are_created_from_units_csv(exported, capsys):
    from hsreg.delegations.models import Delegation, RegionalDepartment

    # the H-resept configuration and approvals (TX-6) protect their units
    Delegation.objects.all().delete()
    RegionalDepartment.objects.all().delete()
    Unit.objects.all().delete()
    code, err = run(exported, capsys)
    assert code == 0, err
    _header, units = rows(exported, "units.csv")
    assert Unit.objects.count() == len(units)
    assert AuditEvent.objects.filter(target__startswith="unit ").count() == len(units)


def test_a_unit_named_nowhere_is_a_problem(exported, capsys):
    line = edit(exported, "intervention.csv", 0, CENTREID="999")
    code, err = run(exported, capsys, "--check")
    assert code == 2
    assert f"intervention.csv line {line}, column CENTREID: 999 is no unit" in err


def test_unfinished_forms_are_left_out(exported, capsys):
    header, body = rows(exported, "preintervention.csv")
    left_out = int(body[0][header.index("FORM_ID")])
    edit(exported, "preintervention.csv", 0, STATUS="0")
    code, err = run(exported, capsys)
    assert code == 0, err
    assert "preintervention not finished (left out) 1" in err
    assert not PatientReport.objects.filter(pk=left_out).exists()
    assert PatientReport.objects.filter(occasion="pre").count() == len(body) - 1


def test_drug_boxes_become_courses(exported, capsys):
    header, body = rows(exported, "intervention.csv")
    index = next(i for i, r in enumerate(body) if r[header.index("TYPE_INTERVENTION")] == "2")
    for box in ("ADALIMUMAB_BIOSIMILAR", "TETRACYCLIN_LYMECYCLIN", "ACITRETIN"):
        body[index][header.index(box)] = "1"
    for box in (
        "BIOLOGICAL_TREATMENT",
        "SYSTEMIC_ANTIBIOTIC_THERAPY",
        "ANTIINFLAMMATORY_TREATMENT",
    ):
        body[index][header.index(box)] = "1"
    write(exported, "intervention.csv", header, body)
    code, err = run(exported, capsys)
    assert code == 0, err
    intervention = Intervention.objects.get(pk=int(body[index][header.index("FORM_ID")]))
    drugs = set(DrugCourse.objects.filter(intervention=intervention).values_list("drug", flat=True))
    assert {"adalimumab", "tetracycline", "acitretin"} <= drugs
    course = DrugCourse.objects.filter(intervention=intervention, drug="adalimumab").get()
    assert course.date == intervention.date
    assert course.unit_id == intervention.unit_id


def test_every_box_is_carried_issue_16(exported, capsys):
    """Amoxicillin is a drug of the catalog now, and another analgesic or antibiotic the
    catalog lacks is kept as the intervention's "other" box and text (issue 16)."""
    header, body = rows(exported, "intervention.csv")
    index = next(i for i, r in enumerate(body) if r[header.index("TYPE_INTERVENTION")] == "2")
    cells = {
        "SYSTEMIC_ANTIBIOTIC_THERAPY": "1",
        "AMOXICILIN": "1",
        "SYSTEMIC_ANTIBIOTIC_THERAPY_OTHER": "1",
        "OTHER_LOCATION_OTHER_TEXT": "Doxycycline, Ciprofloksacin",
        "ANALGESICS": "1",
        "ANALGESICS_OTHER": "1",
        "OTHER_ANALGESICS_OTHER_TEXT": "Tramadol",
    }
    edit(exported, "intervention.csv", index, **cells)
    code, err = run(exported, capsys)
    assert code == 0, err
    intervention = Intervention.objects.get(pk=int(body[index][header.index("FORM_ID")]))
    drugs = set(DrugCourse.objects.filter(intervention=intervention).values_list("drug", flat=True))
    assert {"amoxicillin_clavulanate", "doxycycline"} <= drugs
    assert (intervention.antibiotic_other, intervention.antibiotic_other_text) == (
        True,
        "Ciprofloksacin",
    )
    assert (intervention.analgesic_other, intervention.analgesic_other_text) == (True, "Tramadol")
    assert (intervention.antibiotic_given, intervention.analgesic_given) == (1, 1)


def test_an_other_box_without_a_name_is_a_problem_at_its_text(exported, capsys):
    header, body = rows(exported, "intervention.csv")
    index = next(i for i, r in enumerate(body) if r[header.index("TYPE_INTERVENTION")] == "2")
    line = edit(
        exported,
        "intervention.csv",
        index,
        ANALGESICS="1",
        ANALGESICS_OTHER="1",
        OTHER_ANALGESICS_OTHER_TEXT="",
    )
    code, err = run(exported, capsys, "--check")
    assert code == 2
    assert f"intervention.csv line {line}, column OTHER_ANALGESICS_OTHER_TEXT: Name the drug" in err


def test_problems_are_capped(exported):
    header, body = rows(exported, "preintervention.csv")
    for row in body:
        row[header.index("SMOKING")] = "8"
        row[header.index("WORK")] = "8"
    write(exported, "preintervention.csv", header, body)
    outcome = import_directory(directory=exported, actor=system_actor(), check=True)
    assert outcome.problems.total == len(outcome.problems.found) >= 2 * len(body)
    small = Problems(cap=3)
    for problem in outcome.problems.found:
        small.add(problem.file, problem.line, problem.column, problem.message)
    assert len(small.lines()) == 4
    assert small.lines()[-1] == f"... and {outcome.problems.total - 3} more problems"


def test_enrolments_follow_the_units_that_wrote_forms(exported, capsys):
    assert run(exported, capsys)[0] == 0
    for patient in Patient.objects.all():
        first = Enrolment.objects.filter(patient=patient, care_relationship="")
        assert first.count() == 1


def test_the_national_ids_are_written_only_when_asked(tmp_path, seeded):
    plain = tmp_path / "plain"
    plain.mkdir()
    export(actor=system_actor(), directory=plain)
    assert not (plain / "patients.csv").exists()
    written = "".join(p.read_text(encoding="utf-8") for p in plain.iterdir())
    assert all(s.patient.national_id not in written for s in seeded)
    asked = export_to(tmp_path / "asked")
    assert seeded[0].patient.national_id in (asked / "patients.csv").read_text(encoding="utf-8")


def test_a_control_of_no_intervention_is_reported_at_episode_id(exported, capsys):
    line = edit(exported, "doctorcontrol.csv", 0, EPISODE_ID="987654")
    code, err = run(exported, capsys, "--check")
    assert code == 2
    assert f"doctorcontrol.csv line {line}, column EPISODE_ID:" in err


def test_dir_must_be_a_directory(db, tmp_path, capsys):
    code, err = run(tmp_path / "missing", capsys)
    assert code == 2
    assert "DIR" in err
    with pytest.raises(SystemExit) as stopped:
        main(["hisreg", "import"])
    assert stopped.value.code == 2


def test_a_second_medical_history_of_a_patient_is_a_problem(exported, capsys):
    header, body = rows(exported, "registration.csv")
    twin = list(body[0])
    twin[header.index("FORM_ID")] = "987654"
    write(exported, "registration.csv", header, [*body, twin])
    code, err = run(exported, capsys)
    assert code == 2
    assert f"registration.csv line {len(body) + 2}, column PATIENT_ID: {twin[0]} has a" in err
    assert not Patient.objects.exists()
