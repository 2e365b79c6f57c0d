"""Synthetic data (hsreg.seeding): deterministic by seed, valid for the engine, the same case
documents and due items as the registry computes from the database, and every key decision
of the guideline present in a small run."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django import forms
from django.db.models import Count
from django.http import QueryDict

from hsreg.assessments.models import DoctorAssessment, PatientReport
from hsreg.assessments.scoring import RegionCounts, dlqi, score_assessment
from hsreg.guideline import evaluate
from hsreg.guideline.dates import age_in_years
from hsreg.patients.case_document import build_case
from hsreg.patients.models import CareRelationship, Enrolment, Patient, SharingConsent
from hsreg.patients.national_id import parse
from hsreg.records.kinds import KINDS
from hsreg.records.models import Record, Status
from hsreg.seeding.cases import case_of
from hsreg.seeding.generator import generate, identities
from hsreg.seeding.journey import Options, SeededPatient
from hsreg.seeding.stories import STORY_NAMES
from hsreg.seeding.units import SHOWCASE, UNITS, ensure_units
from hsreg.seeding.writer import seed, write_chunk
from hsreg.units.models import Unit
from hsreg.worklists.models import DueItem
from hsreg.worklists.selectors import worklist
from hsreg.worklists.services import refresh_patient

TODAY = date(2026, 11, 26)
OPTIONS = Options(seed=7, today=TODAY)


def due_rows(items: list[DueItem]) -> Counter[tuple[object, ...]]:
    return Counter((i.kind, i.opens_on, i.due_on, i.closes_on, i.rule_id, i.detail) for i in items)


@pytest.fixture
def seeded(db) -> list[SeededPatient]:
    """50 patients written as `hsreg seed` writes them, kept in memory with their ids."""
    ensure_units()
    patients = list(generate(50, OPTIONS))
    write_chunk(patients[:30], today=TODAY)
    write_chunk(patients[30:], today=TODAY)
    return patients


# --- determinism --------------------------------------------------------------------------


def test_same_seed_gives_the_same_patients_and_forms() -> None:
    first = list(generate(50, OPTIONS))
    again = list(generate(50, OPTIONS))
    assert [s.patient.national_id for s in first] == [s.patient.national_id for s in again]
    assert [s.story for s in first] == [s.story for s in again]
    for name in ("assessments", "findings", "reports", "courses", "labs", "vaccinations"):
        assert [len(getattr(s, name)) for s in first] == [len(getattr(s, name)) for s in again]
    assert [a.date for s in first for a in s.assessments] == [
        a.date for s in again for a in s.assessments
    ]


def test_another_seed_gives_other_patients() -> None:
    ours = {i.national_id for i in identities(50, OPTIONS)}
    theirs = {i.national_id for i in identities(50, Options(seed=8, today=TODAY))}
    assert len(ours & theirs) < 5


def test_the_first_patients_do_not_depend_on_how_many_are_made() -> None:
    few = [i.national_id for i in identities(20, OPTIONS)]
    many = [i.national_id for i in identities(300, OPTIONS)]
    assert many[:20] == few


def test_seed_writes_what_was_generated(db) -> None:
    summary = seed(patients=50, seed=7, today=TODAY)
    generated = list(generate(50, OPTIONS))
    assert set(Patient.objects.values_list("national_id", flat=True)) == {
        s.patient.national_id for s in generated
    }
    assert summary.patients == Patient.objects.count() == 50
    assert summary.rows["assessments"] == DoctorAssessment.objects.count()
    assert summary.rows["assessments"] == sum(len(s.assessments) for s in generated)
    assert summary.rows["reports"] == PatientReport.objects.count()
    assert summary.rows["due_items"] == DueItem.objects.count()
    assert summary.rows["enrolments"] == Enrolment.objects.count()


def test_a_patient_seeded_at_several_units_is_in_shared_care_with_consent_at_each(db) -> None:
    """Issue 11: a later enrolment names its care relationship, and the sharing consent lets
    every unit of the patient see the whole history (and list the patient's due items)."""
    seed(patients=200, seed=7, today=TODAY)
    shared = Patient.objects.annotate(n=Count("enrolments")).filter(n__gt=1)
    assert shared.exists()
    for patient in shared:
        enrolments = list(patient.enrolments.order_by("id"))
        assert enrolments[0].care_relationship == ""
        assert {e.care_relationship for e in enrolments[1:]} == {CareRelationship.SHARED_CARE}
        consenting = set(patient.consents.values_list("unit_id", flat=True))
        assert consenting == {e.unit_id for e in enrolments}
    single = Patient.objects.annotate(n=Count("enrolments")).filter(n=1)
    assert not SharingConsent.objects.filter(patient__in=single).exists()


# --- units, identities --------------------------------------------------------------------


def test_units_cover_the_four_health_regions(db) -> None:
    """RG-1 compares the four health regions; RG-2 identifies units by RESH id."""
    ensure_units()
    ensure_units()  # idempotent
    units = list(Unit.objects.all())
    assert 18 <= len(units) == len(UNITS) <= 24
    assert {u.region for u in units} == {"nord", "midt", "vest", "sor_ost"}
    assert {u.kind for u in units} == {"hospital", "private"}
    assert all(u.resh_id > 0 and u.health_trust for u in units)


def test_national_ids_are_synthetic_and_give_birth_date_and_sex() -> None:
    """Month + 80 (synthetic), individual number in the century's range, 9th digit even for
    a woman; ages 12-80, mostly 20-50."""
    people = identities(400, OPTIONS)
    assert len({p.national_id for p in people}) == 400
    for p in people:
        number = parse(p.national_id, accept_synthetic=True)
        assert number.synthetic
        assert number.birth_date == p.birth_date
        assert number.sex == ("female" if p.female else "male")
        individual = int(p.national_id[6:9])
        assert (0 <= individual <= 499) if p.birth_date.year < 2000 else (individual >= 500)
    ages = [age_in_years(p.birth_date, TODAY) for p in people]
    assert min(ages) >= 12
    assert max(ages) <= 80
    assert sum(20 <= a <= 50 for a in ages) > len(ages) / 2
    assert any(a < 18 for a in ages)


def test_some_patients_are_enrolled_at_two_units() -> None:
    people = identities(400, OPTIONS)
    assert all(1 <= len(p.unit_ids) <= 2 for p in people)
    assert any(len(p.unit_ids) == 2 for p in people)
    assert all(p.unit_ids == (SHOWCASE.resh_id,) for p in people[: len(STORY_NAMES)])


# --- the registry's own computations agree ------------------------------------------------


def test_every_seeded_case_document_evaluates(seeded) -> None:
    for s in seeded:
        evaluate(build_case(s.patient, as_of=TODAY), today=TODAY)  # no CaseError


def test_case_built_in_memory_is_the_one_build_case_reads(seeded) -> None:
    """The writer computes due items from cases.case_of; it must be build_case's case."""
    for s in seeded:
        assert case_of(s, as_of=TODAY) == build_case(s.patient, as_of=TODAY), s.story


def test_seeded_due_items_are_what_refresh_patient_computes(seeded) -> None:
    for s in seeded:
        stored = due_rows(list(DueItem.objects.filter(patient=s.patient)))
        assert stored == due_rows(refresh_patient(s.patient, today=TODAY)), s.story


def test_scores_are_the_engines(seeded) -> None:
    """ST-2 (IHS4), MO-2 (AN), XS-3 (Sartorius) and MO-1a (DLQI) as assessments.scoring
    computes them on save."""
    for a in DoctorAssessment.objects.prefetch_related("regions"):
        regions = [
            RegionCounts(
                r.region,
                r.nodules,
                r.abscesses,
                r.draining_tunnels,
                r.hurley,
                None if r.longest_distance_cm is None else float(r.longest_distance_cm),
                r.separated_by_normal_skin,
            )
            for r in a.regions.all()
        ]
        result = score_assessment(
            regions=regions,
            nodules=a.nodules,
            abscesses=a.abscesses,
            draining_tunnels=a.draining_tunnels,
            hurley=a.hurley,
        )
        assert (a.ihs4, a.ihs4_category, a.an_count, a.sartorius, a.hurley) == (
            result.ihs4,
            result.ihs4_category,
            result.an_count,
            result.sartorius,
            result.hurley,
        )
    for r in PatientReport.objects.exclude(dlqi_1=None):
        answers = [getattr(r, f"dlqi_{n}") for n in range(1, 11)]
        assert r.dlqi_total == dlqi(answers, r.dlqi_7_problems)[0]


def test_drafts_and_corrections_are_present_and_left_out_of_the_case(seeded) -> None:
    assert DoctorAssessment.objects.filter(status=Status.DRAFT).exists() or (
        PatientReport.objects.filter(status=Status.DRAFT).exists()
    )
    corrected = DoctorAssessment.objects.filter(status=Status.FINISHED).exclude(replaces=None)
    assert corrected.exists()
    for correction in corrected:
        assert correction.replaces.status == Status.SUPERSEDED
        assert correction.correction_reason
        case = build_case(correction.patient, as_of=TODAY)
        dates = [a["date"] for a in case["assessments"]]
        assert dates.count(correction.date.isoformat()) == 1


def resubmitted(form: forms.ModelForm) -> QueryDict:
    """What a browser would post for ``form`` as displayed, unchanged."""
    data = QueryDict(mutable=True)
    for name, form_field in form.fields.items():
        value = form[name].value()
        if isinstance(form_field, forms.NullBooleanField):
            data[name] = {True: "true", False: "false"}.get(value, "unknown")
        elif isinstance(form_field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif isinstance(form_field, forms.MultipleChoiceField):
            data.setlist(name, [str(v) for v in value or ()])
        else:
            data[name] = "" if value is None else str(getattr(value, "pk", value))
    return data


def test_every_seeded_finished_form_passes_its_forms_checks(seeded) -> None:
    """Seeded forms are forms a user could have finished: each, submitted again as shown with
    action=finish, meets its form's checks (the klokebok's required questions and ranges,
    ages at most the age then, controls after their intervention, dates not in the future)."""
    checked = Counter()
    for kind in KINDS.values():
        for record in kind.model.objects.filter(status=Status.FINISHED):
            assert isinstance(record, Record)
            shown = kind.form(patient=record.patient, instance=record)
            again = kind.form(
                resubmitted(shown),
                patient=record.patient,
                instance=kind.model.objects.get(pk=record.pk),
                finishing=True,
            )
            assert again.is_valid(), (kind.slug, record.pk, again.errors)
            checked[kind.slug] += 1
    assert set(checked) == set(KINDS)


# --- the decisions a small run shows ------------------------------------------------------


def test_a_small_run_has_every_story(seeded) -> None:
    assert set(STORY_NAMES) <= {s.story for s in seeded}


def decisions(seeded: list[SeededPatient]) -> dict[str, list[object]]:
    found: dict[str, list[object]] = {}
    for s in seeded:
        evaluation = evaluate(build_case(s.patient, as_of=TODAY), today=TODAY)
        found.setdefault(evaluation.biologic_eligibility.status, []).append(s)
        found.setdefault(evaluation.response.decision, []).append(s)
    return found


def test_tx6_eligible_and_not_eligible_patients(seeded) -> None:
    found = decisions(seeded)
    assert found.get("eligible")
    assert found.get("not_eligible")


def test_tx9_partial_responder_and_stop(seeded) -> None:
    found = decisions(seeded)
    assert found.get("extend_12_weeks")
    assert found.get("stop")
    assert found.get("continue")


def test_tx9_a_12_week_evaluation_is_due_today_at_the_showcase_unit(seeded) -> None:
    unit = Unit.objects.get(pk=SHOWCASE.resh_id)
    items = list(worklist(unit=unit, name="evaluations", today=TODAY))
    assert any(i.kind == "week12" and i.due_on == TODAY and i.rule_id == "TX-9" for i in items)
    assert any(i.kind == "week24" for i in items)


def test_sc1_screening_incomplete_before_a_planned_biologic(seeded) -> None:
    unit = Unit.objects.get(pk=SHOWCASE.resh_id)
    items = list(worklist(unit=unit, name="screening", today=TODAY))
    assert items
    assert all(i.due_on > TODAY and i.rule_id == "SC-1" and i.detail for i in items)


def test_follow_ups_due_after_medical_and_surgical_interventions(seeded) -> None:
    unit = Unit.objects.get(pk=SHOWCASE.resh_id)
    kinds = {i.kind for i in worklist(unit=unit, name="followups", today=TODAY)}
    assert kinds == {"followup3", "followup6"}


def test_lm1_lab_checks_due(seeded) -> None:
    unit = Unit.objects.get(pk=SHOWCASE.resh_id)
    assert worklist(unit=unit, name="labs", today=TODAY).exists()


def test_tx7_adolescent_with_weight_for_the_dose(seeded) -> None:
    adolescents = [s for s in seeded if age_in_years(s.patient.birth_date, TODAY) < 18]
    assert adolescents
    for s in adolescents:
        case = build_case(s.patient, as_of=TODAY)
        assert case["patient"]["weight_kg"] >= 30
        evaluation = evaluate(case, today=TODAY)
        if evaluation.adalimumab_regimen.status != "not_applicable":
            assert evaluation.adalimumab_regimen.population == "adolescent"


def test_seeded_forms_answer_the_dictionarys_variables_issue_16(seeded) -> None:
    """The parent questions answered (a ticked site is a yes, the others no or don't know), the
    drug groups yes when a course was started, the scored controls with their baseline counts,
    and the complications answered at every control that was possible."""
    from hsreg.treatments.models import DrugCourse, Intervention

    surgical = Intervention.objects.filter(status=Status.FINISHED, type__in=(1, 3))
    assert surgical.exists()
    for i in surgical:
        assert i.site_axilla in (0, 1, 9)
        assert (i.site_axilla == 1) == any(s.startswith("axilla") for s in i.surgery_sites)
    medical = Intervention.objects.filter(status=Status.FINISHED, type__in=(2, 3))
    with_biologic = DrugCourse.objects.filter(drug="adalimumab", intervention__in=medical)
    assert {c.intervention.biologic_given for c in with_biologic} <= {1}
    assert all(i.biologic_given in (0, 1) for i in medical)
    controls = DoctorAssessment.objects.filter(status=Status.FINISHED, occasion__in=("3m", "6m"))
    scored = controls.exclude(hiscr_category="")
    assert scored.exists()
    assert set(scored.values_list("hiscr_category", flat=True)) <= {
        "Full-Responder",
        "Non-Responder",
    }
    assert all(c.nodules_last is not None for c in scored)
    reports = PatientReport.objects.filter(status=Status.FINISHED, occasion__in=("3m", "6m"))
    assert all(r.wound_infection is not None for r in reports if r.control_possible != 0)
