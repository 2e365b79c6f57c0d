"""Fixtures of the job tests: a unit, a patient, and ``work``, which runs the real worker
(django-tasks-db's ``db_worker``, in batch mode: every job due now, then it returns) against the
test database. The tests that run it use the transactional database, as a worker sees only
what was committed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hsreg.accounts.services import create_user
from hsreg.patients.services import register_patient
from hsreg.units.models import Unit
from tests.registry.conftest import PASSWORD, make_number

from .running import run_worker


@pytest.fixture
def work() -> Callable[[], list[DBTaskResult]]:
    """Runs the worker; returns the jobs that are finished, oldest first."""

    def run() -> list[DBTaskResult]:
        run_worker()
        return list(
            DBTaskResult.objects.filter(
                status__in=(TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
            ).order_by("enqueued_at")
        )

    return run


@pytest.fixture
def unit(transactional_db):
    return Unit.objects.create(
        resh_id=102959, name="Hudavdelingen, Haukeland", health_trust="Helse Bergen", region="vest"
    )


@pytest.fixture
def user(unit):
    return create_user(username="lege", password=PASSWORD, units=[unit], first_name="Liv")


@pytest.fixture
def patient(unit):
    return register_patient(
        unit=unit, national_id=make_number(1), first_name="Kari", last_name="Nordmann"
    )
