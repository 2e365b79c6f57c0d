"""Defects a new user hit (issue 12 point 5; RG-3 registration at the point of care), each
fixed: Enter in a count field does not leave the form, discarding a draft is confirmed first,
the duplicate-patient message gives the registry id with a link, a name is found as the list
shows it ("Foss, Ragnhild"), and a 403 is one line in the server log."""

from __future__ import annotations

import logging
import re
import sys

import pytest
from django.test import Client
from django.urls import reverse

from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.patients.services import register_patient
from hsreg.treatments.models import LabCheck
from hsreg.web.log_filters import ClientErrorsOnOneLine
from tests.signin import sign_in

from .conftest import PASSWORD, make_number
from .pages import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def foss(unit):
    return register_patient(
        unit=unit, national_id=make_number(21), first_name="Ragnhild", last_name="Foss"
    )


@pytest.fixture
def others(unit):
    return [
        register_patient(
            unit=unit, national_id=make_number(22), first_name="Kari", last_name="Foss"
        ),
        register_patient(
            unit=unit, national_id=make_number(23), first_name="Ragnhild", last_name="Fossum"
        ),
        register_patient(
            unit=unit, national_id=make_number(24), first_name="Foss", last_name="Hansen"
        ),
    ]


# --- Enter in a count field --------------------------------------------------------------


def test_rg3_enter_in_a_field_does_not_submit_the_form(en, patient):
    """The record form's first submit button, the one Enter in a field presses (HTML's
    implicit submission), is disabled: Enter does nothing, the user stays on the form. The
    save buttons come after it and are pressed with Tab and Enter or Space."""
    html = en.get(url("new", patient, "doctor-assessment")).content.decode()
    form = html.split('id="record-form"')[1].split("</form>")[0]
    buttons = re.findall(r"<button[^>]*>", form)
    assert 'type="submit"' in buttons[0]
    assert "disabled" in buttons[0]
    assert "data-keep-disabled" in buttons[0]  # hsreg.js never enables it
    assert 'value="draft"' in buttons[1]
    assert "disabled" not in buttons[1]


# --- discarding a draft ----------------------------------------------------------------------


def draft(en, patient) -> LabCheck:
    en.post(url("new", patient, "lab-check"), {"date": "2026-11-20", "action": "draft"})
    return LabCheck.objects.get(patient=patient)


def test_rg3_discarding_a_draft_asks_first(en, patient):
    record = draft(en, patient)
    discard = url("discard", patient, "lab-check", record)
    response = en.post(discard)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="discard-confirm"' in html
    assert 'name="confirmed" value="yes"' in html
    assert url("edit", patient, "lab-check", record) in html  # "no, keep it"
    assert LabCheck.objects.filter(pk=record.pk).exists()
    assert en.post(discard, {"confirmed": "no"}).status_code == 200
    assert LabCheck.objects.filter(pk=record.pk).exists()

    response = en.post(discard, {"confirmed": "yes"})
    assert response.status_code == 302
    assert not LabCheck.objects.filter(pk=record.pk).exists()


def test_rg3_the_form_page_offers_the_browser_dialog_as_well(en, patient):
    record = draft(en, patient)
    html = en.get(url("edit", patient, "lab-check", record)).content.decode()
    (tag,) = re.findall(r'<form[^>]*id="discard-form"[^>]*>', html)
    assert 'data-confirm="Discard this draft?' in tag  # hsreg.js asks before it is sent


# --- the duplicate patient -------------------------------------------------------------------


def test_rg3_a_duplicate_patient_is_named_by_registry_id_with_a_link(en, foss):
    response = en.post(
        reverse("patients:create"),
        {"national_id": foss.national_id, "first_name": "Ragnhild", "last_name": "Foss"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "%(id)s" not in html
    link = reverse("patients:detail", args=[foss.pk])
    assert f'<a href="{link}" id="duplicate-patient">registry id #{foss.pk}</a>' in html
    assert "This patient is already registered at this unit" in html


def test_rg3_the_duplicate_message_links_only_what_the_user_may_open(foss, unit):
    from hsreg.accounts.actor import actor_for
    from hsreg.patients.selectors import is_readable

    reporter = create_user(username="rapport", password=PASSWORD, units=[unit], role=Role.REPORTING)
    registrar = create_user(username="reg", password=PASSWORD, units=[unit])
    assert is_readable(actor=actor_for(registrar, request_id="t"), patient_id=foss.pk)
    assert not is_readable(actor=actor_for(reporter, request_id="t"), patient_id=foss.pk)


def test_rg3_the_service_message_has_the_id_filled_in(foss, unit):
    from hsreg.patients.services import AlreadyRegisteredError

    with pytest.raises(AlreadyRegisteredError) as refused:
        register_patient(unit=unit, national_id=foss.national_id, first_name="R", last_name="Foss")
    assert refused.value.patient_id == foss.pk
    assert refused.value.message_dict["national_id"] == [
        f"This patient is already registered at this unit (#{foss.pk})."
    ]


# --- searching by name as the list shows it ---------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [  # each part is the start of its name, as a search by words is: "Foss" starts "Fossum"
        ("Foss, Ragnhild", ["Foss, Ragnhild", "Fossum, Ragnhild"]),  # as the list shows it
        ("foss,ragnhild", ["Foss, Ragnhild", "Fossum, Ragnhild"]),
        ("  Fossu ,  Ragn ", ["Fossum, Ragnhild"]),  # prefixes, odd spaces
        ("Foss, K", ["Foss, Kari"]),
        ("Foss,", ["Foss, Kari", "Foss, Ragnhild", "Fossum, Ragnhild"]),  # the last name only
        (", Ragnhild", ["Foss, Ragnhild", "Fossum, Ragnhild"]),  # the first name only
        ("Ragnhild Foss", ["Foss, Ragnhild", "Fossum, Ragnhild"]),  # "First Last" as before
        ("Hansen, Foss", ["Hansen, Foss"]),  # the comma says which name is which
        ("Ragnhild, Foss", []),
        (",", ["Foss, Kari", "Foss, Ragnhild", "Fossum, Ragnhild", "Hansen, Foss"]),
    ],
)
def test_rg3_a_name_is_found_as_last_comma_first_or_first_last(en, foss, others, query, found):
    response = en.get(reverse("patients:search"), {"q": query})
    assert response.status_code == 200
    shown = [f"{p.last_name}, {p.first_name}" for p in response.context["patients"]]
    assert shown == found  # in the list's order: "Foss" before "Fossum"


def test_rg3_last_comma_first_reads_through_the_name_prefix_index(foss, unit):
    """On PostgreSQL the "Last, First" search is answered through the upper-case prefix index
    of the last name (patients migration), as the word search is: no scan of every patient."""
    from django.db import connection

    from hsreg.patients.selectors import _search, unit_patients

    if connection.vendor != "postgresql":
        pytest.skip("the prefix indexes are PostgreSQL's (HSREG_TEST_DB=postgresql)")
    sql, params = _search(unit_patients(unit=unit), "Foss, Ragnhild").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the plan the index allows
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "patients_patient_last_name_upper_prefix" in plan
    assert "Seq Scan on patients_patient" not in plan


# --- a 403 in the server log -------------------------------------------------------------------


def test_a_403_is_one_line_in_the_server_log_without_a_traceback(unit, patient, caplog):
    reporter = create_user(username="rapport", password=PASSWORD, units=[unit], role=Role.REPORTING)
    client = sign_in(Client(), reporter)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("patients:detail", args=[patient.pk]))
    assert response.status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith("Forbidden (Permission denied): ")
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def test_a_500_keeps_its_traceback():
    try:
        raise RuntimeError("a real error")
    except RuntimeError:
        error = logging.LogRecord("django.request", logging.ERROR, "", 0, "x", (), sys.exc_info())
        warning = logging.LogRecord(
            "django.request", logging.WARNING, "", 0, "y", (), sys.exc_info()
        )
    one_line = ClientErrorsOnOneLine()
    assert one_line.filter(error)
    assert error.exc_info is not None
    assert one_line.filter(warning)
    assert warning.exc_info is None
