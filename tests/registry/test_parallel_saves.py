"""Issue 11 point 3 with real parallel requests: a live server (pytest-django's threaded one)
on the real database and N threads, each with its own signed-in HTTP session and cookies,
released at once by a barrier. Before issue 11, 59 of 60 parallel saves of one draft were
silently overwritten, a double-click created two records and 6 parallel "new" medical-history
requests stored 2.

PostgreSQL only: the live server shares one connection between its threads when the SQLite test
database is in memory, so nothing would run in parallel there (the same rules are tested one
request at a time on both databases in test_conflicts.py)."""

from __future__ import annotations

import http.cookies
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from hsreg.accounts.services import create_user
from hsreg.assessments.models import MedicalHistory
from hsreg.patients.services import register_patient
from hsreg.records.models import Status, Submission
from hsreg.records.services import save_record
from hsreg.treatments.models import LabCheck
from hsreg.units.models import Unit
from tests.registry.conftest import PASSWORD, make_number
from tests.registry.pages import url
from tests.signin import sign_in

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="parallel requests need PostgreSQL (the in-memory SQLite test database is one "
    "connection shared by the live server's threads)",
)

DAY = "2026-11-02"
N = 12  # parallel saves of one draft (the probe used 60; the live server's threads each hold
# a database connection, and the test database is shared with other runs)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


@dataclass
class Answer:
    status: int
    location: str
    html: str


class Browser:
    """One signed-in HTTP session of its own (its cookies, its CSRF token), as a browser is."""

    def __init__(self, base: str, user) -> None:  # type: ignore[no-untyped-def]
        assert base.startswith("http://")
        name = settings.SESSION_COOKIE_NAME
        self.base = base
        self.cookies = {name: sign_in(Client(), user).cookies[name].value}
        self.lock = threading.Lock()
        self.opener = urllib.request.build_opener(NoRedirect)

    def get(self, path: str) -> Answer:
        return self._send(path, None)

    def post(self, path: str, data: dict[str, str]) -> Answer:
        return self._send(path, urllib.parse.urlencode(data).encode())

    def _send(self, path: str, body: bytes | None) -> Answer:
        with self.lock:
            sent = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(  # noqa: S310 - the live server's http URL
            self.base + path, data=body, headers={"Cookie": sent}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                answer = Answer(response.status, "", response.read().decode())
                headers = response.headers
        except urllib.error.HTTPError as error:
            answer = Answer(error.code, error.headers.get("Location", ""), error.read().decode())
            headers = error.headers
        for line in headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie(line)
            with self.lock:
                self.cookies.update({k: morsel.value for k, morsel in jar.items()})
        return answer

    def page(self, path: str) -> dict[str, str]:
        """The hidden fields of a form page: CSRF token, one-time token, version."""
        answer = self.get(path)
        assert answer.status == 200, (answer.status, answer.location, answer.html[:500])
        fields = dict(
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', answer.html)
        )
        return {k: fields[k] for k in ("csrfmiddlewaretoken", "submission", "version")}


def at_once(jobs: list) -> list[Answer]:  # type: ignore[type-arg]
    """Runs the jobs in threads released together; their answers in order."""
    start = threading.Barrier(len(jobs))
    answers: list[Answer | BaseException | None] = [None] * len(jobs)

    def run(i: int) -> None:
        start.wait()
        try:
            answers[i] = jobs[i]()
        except BaseException as error:  # reported below
            answers[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    for answer in answers:
        assert isinstance(answer, Answer), answer
    return answers  # type: ignore[return-value]


@pytest.fixture
def unit(transactional_db):
    return Unit.objects.create(
        resh_id=102959, name="Hudavdelingen, Haukeland", health_trust="Helse Bergen", region="vest"
    )


@pytest.fixture
def patient(unit):
    return register_patient(
        unit=unit, national_id=make_number(1), first_name="Kari", last_name="Nordmann"
    )


@pytest.fixture
def browsers(live_server, unit):
    """N registrars of the unit, each signed in in a session of their own."""
    return [
        Browser(
            live_server.url,
            create_user(username=f"lege{i}", password=PASSWORD, units=[unit], first_name=f"L{i}"),
        )
        for i in range(N)
    ]


def test_of_n_parallel_saves_of_one_draft_exactly_one_wins_and_the_others_see_both_values(
    browsers, patient, unit
):
    draft = save_record(
        record=LabCheck(patient=patient, unit=unit, date=date(2026, 11, 1), note="loaded"),
        actor=None,
        finish=False,
    )
    path = url("edit", patient, "lab-check", draft)
    pages = [b.page(path) for b in browsers]
    assert {p["version"] for p in pages} == {"1"}

    answers = at_once(
        [
            (lambda b=b, p=p, i=i: b.post(path, {**p, "date": DAY, "note": f"note {i}"}))
            for i, (b, p) in enumerate(zip(browsers, pages, strict=True))
        ]
    )

    statuses = sorted(a.status for a in answers)
    assert statuses == [302] + [409] * (N - 1), statuses
    winner = next(i for i, a in enumerate(answers) if a.status == 302)
    stored = LabCheck.objects.get(pk=draft.pk)
    assert (stored.note, stored.version) == (f"note {winner}", 2)
    for i, answer in enumerate(answers):
        if i != winner:
            row = re.search(
                r'<tr data-field="note">.*?<td class="stored">([^<]*)</td>'
                r'<td class="typed">([^<]*)</td>',
                answer.html,
                re.S,
            )
            assert row, answer.html[:1000]
            assert row.groups() == (f"note {winner}", f"note {i}")
            assert f'name="note" value="note {i}"' in answer.html  # kept in the form


def test_n_parallel_posts_of_one_new_form_page_create_one_record(browsers, patient):
    """A double-click (or more) and a second tab of one page: one session, one token."""
    one = browsers[0]
    path = url("new", patient, "lab-check")
    page = one.page(path)
    data = {**page, "date": DAY, "note": "once", "action": "draft"}

    answers = at_once([(lambda: one.post(path, data)) for _ in range(6)])

    assert [a.status for a in answers] == [302] * 6, [a.html[:300] for a in answers]
    record = LabCheck.objects.get(patient=patient)
    assert Submission.objects.get(token=page["submission"]).form_id == record.pk
    detail = url("detail", patient, "lab-check", record)
    assert sum(a.location.endswith(detail) for a in answers) == 5  # the others go to it


def test_six_parallel_new_medical_histories_store_one(browsers, patient):
    path = url("new", patient, "medical-history")
    pages = [b.page(path) for b in browsers[:6]]

    answers = at_once(
        [
            (lambda b=b, p=p: b.post(path, {**p, "date": DAY, "action": "draft"}))
            for b, p in zip(browsers[:6], pages, strict=True)
        ]
    )

    assert [a.status for a in answers] == [302] * 6, [a.html[:300] for a in answers]
    assert MedicalHistory.objects.filter(patient=patient).count() == 1
    stored = MedicalHistory.objects.get(patient=patient)
    assert stored.status == Status.DRAFT
    # the five that lost were sent to the one that won
    edit = url("edit", patient, "medical-history", stored)
    assert sum(a.location.endswith(edit) for a in answers) == 5
    assert connection.vendor == "postgresql"
