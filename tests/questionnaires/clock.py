"""Fixtures of the schedule's and the privacy tests (imported by them): ``clock``
(django.utils.timezone.now set to a chosen moment, so the schedule, the links' expiry and the
job queue's ``run_after`` all see the same day), ``sent_sms`` (the SMS outbox, emptied before
and after)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time

import pytest
from django.utils import timezone

from hsreg.questionnaires import sms


class Clock:
    """The registry's "now", moved by the test (tests/accounts/test_one_time_password.py does
    the same for its expiry)."""

    def __init__(self) -> None:
        self.at = timezone.localtime()

    def __call__(self) -> datetime:
        return self.at

    def set(self, day: date, hour: int = 2, minute: int = 0) -> datetime:
        """Local ``hour``:``minute`` on ``day`` (the nightly job runs at 02:00)."""
        self.at = timezone.make_aware(datetime.combine(day, time(hour, minute)))
        return self.at


@pytest.fixture(name="clock")
def clock_fixture(monkeypatch) -> Clock:
    moved = Clock()
    monkeypatch.setattr(timezone, "now", moved)
    return moved


@pytest.fixture(name="sent_sms")
def sent_sms_fixture() -> Iterator[list[sms.Sms]]:
    """The SMS sent so far, after the jobs due by the clock have run (call ``run_ready_jobs``
    or read ``mailoutbox`` to send them)."""
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
