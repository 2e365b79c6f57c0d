"""Fixtures of the clinic's invitation tests (imported by test_invitations, test_delivery,
test_staff_pages and test_cli_invite): the units, a registrar and a unit leader signed in, a
patient with a mobile number and an e-mail address and a finished intervention, and
``sent_sms`` (the SMS outbox once the queued jobs have run, emptied before and after)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hsreg.accounts.actor import Actor, actor_for
from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.patients.services import register_patient
from hsreg.questionnaires import sms
from hsreg.records.services import save_record
from hsreg.treatments.models import Intervention
from hsreg.units.models import Unit
from tests.jobs.running import run_ready_jobs
from tests.registry.conftest import PASSWORD, make_number
from tests.signin import sign_in

OSLO = ZoneInfo("Europe/Oslo")
MOBILE = "+4791234567"
EMAIL = "kari.nordmann@example.no"


def oslo(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=OSLO)


def noon() -> datetime:
    """Today at 12:00 Oslo time: a time an SMS goes at once."""
    return oslo(datetime.now(OSLO).date(), 12)


def actor_of(user: Any) -> Actor:
    return actor_for(user, request_id="test")


def task_table() -> str:
    """Everything the job queue stores (arguments and results), as one text."""
    rows = DBTaskResult.objects.values_list("args_kwargs", "return_value", "exception_class_path")
    return json.dumps(list(rows), default=str)


@pytest.fixture
def unit(db):
    return Unit.objects.create(
        resh_id=102959, name="Hudavdelingen, Haukeland", health_trust="Helse Bergen", region="vest"
    )


@pytest.fixture
def other_unit(db):
    return Unit.objects.create(
        resh_id=700922, name="Hudavdelingen, UNN", health_trust="UNN", region="nord"
    )


@pytest.fixture
def registrar(unit):
    return create_user(username="lege", password=PASSWORD, units=[unit], first_name="Liv")


@pytest.fixture
def leader(unit):
    return create_user(
        username="leder", password=PASSWORD, units=[unit], first_name="Lars", role=Role.UNIT_LEADER
    )


@pytest.fixture
def staff(registrar) -> Client:
    """The registrar's client, signed in with both factors, in English."""
    client = sign_in(Client(), registrar)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def leader_client(leader) -> Client:
    client = sign_in(Client(), leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def patient(unit):
    patient = register_patient(
        unit=unit, national_id=make_number(1), first_name="Kari", last_name="Nordmann"
    )
    patient.mobile, patient.email = MOBILE, EMAIL
    patient.save(update_fields=["mobile", "email"])
    return patient


@pytest.fixture
def intervention(patient, unit):
    return save_record(
        record=Intervention(patient=patient, unit=unit, date=date(2026, 1, 10), type=2),
        actor=None,
        finish=True,
    )


@pytest.fixture
def sent_sms() -> Iterator[Callable[[], list[sms.Sms]]]:
    """The SMS sent once the jobs that are due have run (SMS_URL = "outbox" in the tests)."""
    sms.outbox.clear()

    def sent(*, morning: bool = False) -> list[sms.Sms]:
        """``morning``: the SMS held back for the night are due too (a page test that runs
        at night sends at the time of day it is)."""
        if morning:
            DBTaskResult.objects.update(run_after=timezone.now())
        run_ready_jobs()
        return list(sms.outbox)

    yield sent
    sms.outbox.clear()
