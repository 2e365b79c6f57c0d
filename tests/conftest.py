"""The test database, as every test directory shares it.

On PostgreSQL, Django empties every table with one TRUNCATE after each transactional test
(pytest-django's ``transaction=True``, the live server of the browser tests); the audit log
refuses TRUNCATE (audit migration 0007), so in the test database only that trigger is
disabled once the database is set up. tests/audit/test_append_only.py enables it where it
tests it, inside a transaction that is rolled back.

On SQLite the test database lives in memory, and Django's live server hands its one
connection to every request thread (``connections_override``). Chromium asks for a report
page's charts at once, and requests using that one connection from several threads at the
same time have deadlocked (every thread waiting on a futex: seen once in test_accessibility,
with matplotlib's render lock held). So on SQLite the live server's threads run the application
one request at a time."""

from __future__ import annotations

import os
import threading

import pytest

if os.environ.get("HSREG_TEST_DB") != "postgresql":
    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test.testcases import LiveServerThread

    class OneRequestAtATime(ThreadedWSGIServer):
        """Django's threaded live server, whose threads run the application one at a time:
        each connection still gets its thread (an idle connection the browser keeps open
        blocks nothing), but the shared SQLite connection is used by one request at a time."""

        def set_app(self, application):
            lock = threading.Lock()

            def one_at_a_time(environ, start_response):
                with lock:
                    return application(environ, start_response)

            super().set_app(one_at_a_time)

    LiveServerThread.server_class = OneRequestAtATime


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
