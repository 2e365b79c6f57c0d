"""The test database, as every test directory shares it.

On PostgreSQL, Django empties every table with one TRUNCATE after each transactional test
(pytest-django's ``transaction=True``, the live server of the browser tests); the audit log
refuses TRUNCATE (audit migration 0007), so in the test database only that trigger is
disabled once the database is set up. tests/audit/test_append_only.py enables it where it
tests it, inside a transaction that is rolled back."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_no_truncate"
                )


@pytest.fixture
def mailoutbox(mailoutbox):
    """pytest-django's outbox, read after the worker has sent the queued mails (the registry's
    mails are sent by a job, hsreg.jobs.mails; tests/jobs/running.py)."""
    from tests.jobs.running import SentMail

    return SentMail(mailoutbox)


@pytest.fixture(autouse=True)
def _fresh_default_cache():
    """Each test starts with an empty default cache: what one test leaves there (the clinic
    tablet's count of wrong short codes per client address, questionnaires.patient_views)
    must not refuse another test's requests from the same address."""
    from django.core.cache import caches

    caches["default"].clear()
