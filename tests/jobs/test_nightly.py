"""The nightly job through the real worker: the clock moved past a planned course's start
gives it its week-12 evaluation (TX-9) and its lab check (LM-1) without anyone saving a form,
and the evaluation reads "overdue" by itself once its due date has passed; the job is
idempotent, schedules itself at 02:00 (exactly one pending run), and deletes the old
submission tokens."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hsreg.assessments.models import DoctorAssessment, RegionFinding
from hsreg.guideline.status import due_status
from hsreg.jobs import schedule
from hsreg.jobs.nightly import nightly
from hsreg.records.models import Submission
from hsreg.records.services import save_record
from hsreg.records.submissions import KEPT, remember
from hsreg.treatments.models import DrugCourse
from hsreg.worklists.models import DueItem
from hsreg.worklists.selectors import worklist

TODAY = date.today()
START = TODAY + timedelta(days=14)  # the biologic is planned to start in two weeks


def items(patient) -> dict[str, DueItem]:
    return {i.kind: i for i in DueItem.objects.filter(patient=patient)}


def rows(patient) -> list[tuple]:
    return sorted(
        DueItem.objects.filter(patient=patient).values_list(
            "kind", "opens_on", "due_on", "closes_on", "rule_id", "detail"
        )
    )


@pytest.fixture
def planned(patient, unit):
    """An assessment today and an adalimumab course planned to start on START."""

    def regions(record):
        RegionFinding.objects.create(
            assessment=record,
            region="axilla_right",
            nodules=6,
            abscesses=2,
            draining_tunnels=1,
            hurley=2,
        )

    save_record(
        record=DoctorAssessment(patient=patient, unit=unit, date=TODAY),
        actor=None,
        finish=True,
        children=regions,
    )
    save_record(
        record=DrugCourse(patient=patient, unit=unit, drug="adalimumab", date=START),
        actor=None,
        finish=True,
    )
    return patient


def run_nightly(work, day: date) -> DBTaskResult:
    nightly.enqueue(today=day.isoformat())
    job = work()[-1]
    assert job.status == TaskResultStatus.SUCCESSFUL, job.traceback
    return job


def test_tx9_lm1_a_planned_course_gets_its_week_12_and_lab_items_when_it_starts(
    planned, unit, work
):
    before = items(planned)
    assert "week12" not in before  # saved before the start: not treated yet
    assert "lab" not in before
    day = START + timedelta(days=1)
    job = run_nightly(work, day)
    assert job.return_value["patients"] == 1
    after = items(planned)
    week12 = after["week12"]
    assert (week12.rule_id, week12.detail) == ("TX-9", "adalimumab")
    assert week12.opens_on == START + timedelta(days=77)  # TX-9: from day 77
    assert week12.due_on == START + timedelta(days=84)  # to week 12
    assert after["lab"].rule_id == "LM-1"
    assert 28 <= (after["lab"].due_on - START).days <= 31  # LM-1: a month after the start
    # the evaluations list shows it from day 77, not the day before
    assert not worklist(unit=unit, name="evaluations", today=START + timedelta(days=76))
    listed = worklist(unit=unit, name="evaluations", today=START + timedelta(days=77))
    assert [i.patient for i in listed] == [planned]


def test_tx9_the_week_12_evaluation_turns_overdue_by_itself(planned, unit, work):
    run_nightly(work, START + timedelta(days=84))  # the last day of week 12: still due
    week12 = items(planned)["week12"]
    assert (
        due_status(START + timedelta(days=84), due_on=week12.due_on, opens_on=week12.opens_on)
        == "due"
    )
    day = START + timedelta(days=85)  # the day after: overdue, with nobody saving anything
    run_nightly(work, day)
    week12 = items(planned)["week12"]
    assert week12.due_on < day
    assert due_status(day, due_on=week12.due_on, opens_on=week12.opens_on) == "overdue"
    assert [i.patient for i in worklist(unit=unit, name="evaluations", today=day)] == [planned]


def test_the_nightly_job_is_idempotent(planned, work):
    day = START + timedelta(days=40)
    run_nightly(work, day)
    first = rows(planned)
    assert first
    run_nightly(work, day)
    assert rows(planned) == first


def test_the_scheduled_run_queues_exactly_one_next_run_at_two_at_night(transactional_db, work):
    def pending() -> list[DBTaskResult]:
        return list(
            DBTaskResult.objects.filter(
                task_path=nightly.module_path, status=TaskResultStatus.READY
            )
        )

    assert schedule.ensure_scheduled() is True
    assert schedule.ensure_scheduled() is False  # idempotent: a second worker's start
    (waiting,) = pending()
    when = timezone.localtime(waiting.run_after)
    assert (when.hour, when.minute) == (2, 0)
    assert waiting.run_after > timezone.now()
    assert work() == []  # not due yet: the worker leaves it
    # 02:00 has come: the worker runs it, and it queues the next night's
    DBTaskResult.objects.filter(pk=waiting.pk).update(
        run_after=timezone.now() - timedelta(minutes=1)
    )
    (ran,) = work()
    assert ran.pk == waiting.pk
    assert ran.status == TaskResultStatus.SUCCESSFUL
    (following,) = pending()
    assert following.run_after == schedule.next_run(timezone.now())
    assert following.args_kwargs["kwargs"] == {"scheduled": True}


def test_next_run_is_the_next_two_oclock_local_time():
    zone = timezone.get_current_timezone()
    before = datetime(2026, 3, 28, 1, 59, tzinfo=zone)
    assert schedule.next_run(before) == datetime(2026, 3, 28, 2, 0, tzinfo=zone)
    at = datetime(2026, 3, 28, 2, 0, tzinfo=zone)
    assert schedule.next_run(at) == datetime(2026, 3, 29, 2, 0, tzinfo=zone)


def test_the_nightly_job_deletes_old_submission_tokens(planned, work):
    record = DoctorAssessment.objects.get(patient=planned)
    remember(token="o" * 43, record=record)
    remember(token="n" * 43, record=record)
    Submission.objects.filter(token="o" * 43).update(
        created_at=timezone.now() - KEPT - timedelta(minutes=1)
    )
    remember(token="x" * 43, record=record)  # a save no longer deletes them
    assert Submission.objects.filter(token="o" * 43).exists()
    job = run_nightly(work, TODAY)
    assert job.return_value["submission_tokens_deleted"] == 1
    assert set(Submission.objects.values_list("token", flat=True)) == {"n" * 43, "x" * 43}


def test_a_failed_scheduled_run_is_tried_again_in_fifteen_minutes(transactional_db, work):
    nightly.enqueue(today="31.12.2026", scheduled=True)  # a day it cannot read: it fails
    (failed,) = work()
    assert failed.status == TaskResultStatus.FAILED
    (following,) = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert following.args_kwargs["kwargs"] == {"scheduled": True}
    wait = following.run_after - failed.finished_at
    assert timedelta(minutes=14) < wait <= schedule.RETRY_AFTER
